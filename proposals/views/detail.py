"""A proposal's page: what everyone reads of it, what it offers the reader to do, and the
comment posted on it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import fragments
from portal.errors import DomainError
from portal.permissions import allows, is_due, require
from proposals import selectors, services
from proposals.codes import ErrorCode
from proposals.forms import CommentForm
from proposals.models import Proposal
from proposals.views._pages import add_error, login_redirect, readable


@require_http_methods(["GET", "POST"])
def proposal_detail(request, pk: int):
    if fragments.is_visitor_read(request):
        # A visitor reads what every visitor reads: kept (portal.fragments).
        return fragments.visitor_page(
            request,
            "proposals/detail.html",
            lambda: _context(request, readable(request, pk), CommentForm()),
            unit_id=selectors.proposal_unit_id(pk=pk),
            parts=[_comments_page(request)],
        )
    proposal = readable(request, pk, read=selectors.proposal_reader_get)
    form = CommentForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_redirect(request)
        require(request.user, "proposals.comment", proposal)
        form = CommentForm(request.POST)
        if form.is_valid():
            posted = _comment_post(request, proposal, form)
            if posted is not None:
                return posted
    return render(
        request,
        "proposals/detail.html",
        _reader_context(request, proposal, form),
        status=400 if form.errors else 200,
    )


def _comments_page(request) -> str | None:
    """The page of comments asked for; anything but a number of a few digits asks for
    the first (and a visitor's page is kept under a few keys only)."""
    number = request.GET.get("page", "")
    return number if number.isdigit() and len(number) <= COMMENTS_PAGE_DIGITS else None


COMMENTS_PAGE_DIGITS = 6


def _context(request, proposal: Proposal, form: CommentForm) -> dict:
    page = selectors.proposal_page(
        proposal=proposal, user=request.user, comments_page=_comments_page(request)
    )
    return {
        "proposal": proposal,
        "unit": proposal.unit,
        "cycle": proposal.cycle,
        "form": form,
        **page,
        **_offers(request.user, proposal),
    }


def _reader_context(request, proposal: Proposal, form: CommentForm) -> dict:
    """A signed-in reader's page: its heading and what it shows the same to everyone
    kept (portal.fragments) and drawn from the whole proposal when its unit's data
    changed; what is theirs (the acts offered, the comments they may edit or answer)
    from the light read of `proposal_reader_get`."""

    def draw() -> dict:
        whole = selectors.proposal_get(pk=proposal.pk)
        shown = {
            "proposal": whole,
            "unit": whole.unit,
            "cycle": whole.cycle,
            **selectors.proposal_shown(proposal=whole),
        }
        return {
            part: render_to_string(template, shown, request)
            for part, template in KEPT_PARTS.items()
        }

    kept = fragments.kept(
        fragments.key(proposal.unit_id, "proposals/detail.html", proposal.pk), draw
    )
    return {
        "proposal": proposal,
        "unit": proposal.unit,
        "cycle": proposal.cycle,
        "form": form,
        "kept": kept,
        **selectors.proposal_review_shown(proposal=proposal),
        **selectors.proposal_reader_parts(
            proposal=proposal,
            user=request.user,
            comments_page=_comments_page(request),
        ),
        **_offers(request.user, proposal),
    }


# The parts of a proposal's page the same for every reader, each drawn by its template.
KEPT_PARTS = {
    "header": "proposals/includes/header.html",
    "body": "proposals/includes/detail_body.html",
}


def _comment_post(request, proposal: Proposal, form: CommentForm):
    """Post the comment of a valid form: the answer that goes back to the proposal, or
    None when the form is to be shown again with the service's refusal on it."""
    reply_to = None
    if form.cleaned_data["reply_to"]:
        reply_to = selectors.comment_find(
            proposal=proposal, pk=form.cleaned_data["reply_to"]
        )
    try:
        comment = services.comment_post(
            proposal=proposal,
            author=request.user,
            body=form.cleaned_data["body"],
            reply_to=reply_to,
        )
    except DomainError as error:
        if error.code != ErrorCode.PROPOSAL_NOT_COMMENTABLE:
            add_error(form, error)
            return None
        # A hidden or private proposal shows no comment form to carry the error: say
        # why on the proposal's page.
        messages.error(request, error.message)
        return redirect(proposal)
    messages.success(request, _("Your comment is published."))
    number = selectors.comment_page_number(comment)
    shown = f"?page={number}" if number > 1 else ""
    return redirect(f"{proposal.get_absolute_url()}{shown}#comment-{comment.pk}")


# The acts a proposal's page may offer, each asked of its rule (proposals.permissions).
OFFERED_ACTS = (
    "support",
    "comment",
    "change",
    "submit",
    "moderate",
    "review",
    "decide",
    "include",
    "start",
    "implement",
)


def _offers(user, proposal: Proposal) -> dict[str, bool]:
    """What the page offers the reader to do: each act its rule allows them now; and
    whether support and comments are taken now, so that anyone else is told who may."""
    return {
        f"may_{act}": allows(user, f"proposals.{act}", proposal) for act in OFFERED_ACTS
    } | {
        "support_is_due": is_due("proposals.support", proposal),
        "comment_is_due": is_due("proposals.comment", proposal),
    }
