"""What residents do on a public proposal: support it, follow it, edit their comment (a
comment is posted on the proposal's page, views.detail)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import DomainError
from portal.permissions import require
from proposals import selectors, services
from proposals.forms import CommentForm
from proposals.views._pages import add_error, readable


@login_required
@require_POST
def proposal_support(request, pk: int):
    proposal = readable(request, pk, read=selectors.proposal_act_get)
    require(request.user, "proposals.support", proposal)
    try:
        if request.POST.get("action") == "withdraw":
            services.support_withdraw(proposal=proposal, user=request.user)
            messages.success(request, _("You no longer support this proposal."))
        else:
            services.support_add(proposal=proposal, user=request.user)
            messages.success(request, _("You support this proposal."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{proposal.get_absolute_url()}#support")


@login_required
@require_POST
def proposal_follow(request, pk: int):
    proposal = readable(request, pk, read=selectors.proposal_act_get)
    require(request.user, "proposals.follow", proposal)
    try:
        if request.POST.get("action") == "unfollow":
            services.proposal_unfollow(proposal=proposal, user=request.user)
            messages.success(request, _("You no longer follow this proposal."))
        else:
            services.proposal_follow(proposal=proposal, user=request.user)
            messages.success(
                request, _("You follow this proposal: you are told of every change.")
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(proposal)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int, comment_pk: int):
    proposal = readable(request, pk)
    comment = selectors.comment_get(proposal=proposal, pk=comment_pk)
    require(request.user, "proposals.edit_comment", comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, actor=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Your comment is changed."))
            return redirect(f"{proposal.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "proposals/comment_edit.html",
        {
            "proposal": proposal,
            "unit": proposal.unit,
            "comment": comment,
            "form": form,
            "edit_until": services.comment_editable_until(comment),
        },
        status=400 if form.errors else 200,
    )
