"""Pages of the residents' vote: the vote's public page, its set-up and projects (staff,
until it opens), the ballot with its confirmation and receipt (residents), the paper
entry (staff), and the results with their downloads. Thin: parse, check the rule, call a
service; refusals come back in the reader's language, with what they typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from budgets import selectors as budget_selectors
from portal.errors import DomainError
from portal.permissions import allows, is_due, require
from portal.printed import pdf_response
from votes import selectors, services
from votes.ballot_papers import ballot_papers_pdf as ballot_papers_pdf_make
from votes.codes import ErrorCode
from votes.forms import (
    BallotForm,
    BallotPapersForm,
    IinAgainForm,
    PaperBallotForm,
    ProjectAddForm,
    VoteSetupForm,
)
from votes.lifecycle import VoteStatus
from votes.models import BallotKind, Channel

# Refusals about the voter rather than the ballot: the page answers 403 with the reason.
REFUSED_TO_VOTER = frozenset({ErrorCode.NOT_RESIDENT, ErrorCode.TOO_YOUNG})
# Refusals about the paper's number, shown at its field.
PAPER_FIELDS = {
    ErrorCode.PAPER_NOT_ISSUED: "paper_number",
    ErrorCode.PAPER_ALREADY_ENTERED: "paper_number",
    ErrorCode.PAPER_NUMBER_REQUIRED: "paper_number",
}
# Refusals that name a field of the set-up form.
SETUP_FIELDS = {
    ErrorCode.AMOUNT_INVALID: "amount",
    ErrorCode.CHOICES_RANGE_INVALID: "min_choices",
    ErrorCode.POINTS_SETTINGS_INVALID: "points_total",
    ErrorCode.RULE_NEEDS_APPROVAL: "rule",
    ErrorCode.THRESHOLD_INVALID: "threshold_votes",
    ErrorCode.COST_INVALID: "cost_cap",
}


def _context(vote, **more) -> dict:
    return {"vote": vote, "cycle": vote.cycle, "unit": vote.cycle.unit, **more}


def _not_now(request, vote):
    """An act whose moment is not now: back to the vote's page, saying why."""
    status = selectors.vote_status(vote)
    messages.error(
        request,
        _("This cannot be done now: the vote is %(status)s.")
        % {"status": VoteStatus(status).label},
    )
    return redirect(vote)


def _frozen_when_open(vote) -> None:
    """A vote whose opening has come but whose clock job is late: frozen now, so that
    the page sees the ballot as the opening made it (votes.services.vote_freeze is a
    no-op before the opening and after the freeze; the status is asked first, so that
    reading a vote being prepared takes no lock)."""
    if (
        not vote.is_frozen
        and selectors.vote_status(vote) != VoteStatus.PREPARED
        and services.vote_freeze(vote)
    ):
        vote.refresh_from_db(fields=["opened_at"])


def _changes_online(vote, ballot) -> bool:
    """Whether the voter may change this ballot online: the vote allows it and the
    ballot was cast online (a paper ballot is changed by no one)."""
    return vote.ballot_changeable and ballot.channel == Channel.ONLINE


def vote_detail(request, kato_code: str, fiscal_year: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    status = selectors.vote_status(vote)
    user = request.user
    _frozen_when_open(vote)
    page = {
        "status": status,
        "times": selectors.times(vote),
        "spending": budget_selectors.last_adopted_spending(
            unit=vote.cycle.unit, before_year=vote.cycle.fiscal_year
        ),
        "may_change": allows(user, "votes.change", vote),
        "may_cast": allows(user, "votes.cast", vote),
        "may_enter_paper": allows(user, "votes.enter_paper", vote),
        "may_see_papers": allows(user, "votes.see_papers", vote),
        "my_ballot": selectors.ballot_of(vote=vote, user=user),
    }
    if status == VoteStatus.PREPARED:
        page["preview"] = selectors.ballot_preview(vote)
    else:
        page["projects"] = selectors.ballot_projects(vote)
        page["counts"] = selectors.ballot_counts(vote)
    return render(request, "votes/vote_detail.html", _context(vote, **page))


@login_required
@require_http_methods(["GET", "POST"])
def vote_setup(request, kato_code: str, fiscal_year: int):
    """Set up the cycle's vote, or change it while it has not opened."""
    cycle = budget_selectors.cycle_get(kato_code=kato_code, fiscal_year=fiscal_year)
    vote = selectors.vote_of_cycle(cycle)
    if vote is None:
        require(request.user, "votes.prepare", cycle)
        if not is_due("votes.prepare", cycle):
            messages.error(
                request,
                _(
                    "A residents' vote is held between the review of proposals and the "
                    "drafting: this cycle is past that point."
                ),
            )
            return redirect(cycle)
        form = VoteSetupForm(request.POST or None)
    else:
        require(request.user, "votes.change", vote)
        if not is_due("votes.change", vote):
            return _not_now(request, vote)
        form = VoteSetupForm.of(vote, request.POST or None)
    if request.method == "POST" and form.is_valid():
        dates = {
            "starts_on": form.cleaned_data["starts_on"],
            "ends_on": form.cleaned_data["ends_on"],
        }
        try:
            if vote is None:
                vote = services.vote_prepare(
                    cycle=cycle, rules=form.rules(), actor=request.user, **dates
                )
            else:
                services.vote_update(
                    vote=vote, rules=form.rules(), actor=request.user, **dates
                )
        except DomainError as error:
            form.add_error(SETUP_FIELDS.get(error.code), error.message)
        else:
            messages.success(
                request,
                _("The vote is set up. Its rules can change until it opens."),
            )
            return redirect("votes:vote_detail", kato_code, fiscal_year)
    return render(
        request,
        "votes/vote_setup.html",
        {"cycle": cycle, "unit": cycle.unit, "vote": vote, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote_cancel(request, kato_code: str, fiscal_year: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.change", vote)
    if not is_due("votes.change", vote):
        return _not_now(request, vote)
    if request.method == "POST":
        try:
            services.vote_cancel(vote=vote, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(vote)
        messages.success(request, _("The cycle holds no residents' vote now."))
        return redirect(vote.cycle)
    return render(request, "votes/vote_cancel.html", _context(vote))


@login_required
@require_http_methods(["GET", "POST"])
def project_add(request, kato_code: str, fiscal_year: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.change", vote)
    if not is_due("votes.change", vote):
        return _not_now(request, vote)
    form = ProjectAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_add(
                vote=vote, place=None, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            field = {
                ErrorCode.TITLE_EMPTY: "title",
                ErrorCode.REASON_REQUIRED: "reason",
                ErrorCode.COST_INVALID: "cost",
                ErrorCode.COST_OVER_CAP: "cost",
            }.get(error.code)
            form.add_error(field, error.message)
        else:
            messages.success(request, _("The project is on the ballot."))
            return redirect(vote)
    return render(
        request,
        "votes/project_add.html",
        _context(vote, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def project_remove(request, kato_code: str, fiscal_year: int, pk: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.change", vote)
    project = selectors.added_project_get(vote=vote, pk=pk)
    try:
        services.project_remove(vote=vote, project=project, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The project is off the ballot."))
    return redirect(vote)


# The running count's words, for static/js/ballot.js.
BALLOT_TEXTS = {
    "marked": gettext_lazy("Marked: %(marked)s; you may mark %(remaining)s more."),
    "marked_over": gettext_lazy("Marked: %(marked)s, %(over)s too many."),
    "points_left": gettext_lazy("Points given: %(given)s; %(left)s left."),
    "points_over": gettext_lazy("Points given: %(given)s, %(over)s too many."),
}


def _ballot_page(request, vote, *, paper: bool):
    """The ballot (online or on paper), its confirmation, and the cast on confirming."""
    projects = selectors.ballot_projects(vote)
    form_class = PaperBallotForm if paper else BallotForm
    form = form_class(request.POST or None, vote=vote, projects=projects)
    iin_form = None
    if not paper and request.user.birth_date is None:
        iin_form = IinAgainForm(request.POST or None)
    confirming = False
    if (
        request.method == "POST"
        and form.is_valid()
        and (iin_form is None or iin_form.is_valid())
    ):
        choices = form.choices()
        try:
            services.choices_check(vote, {project.pk for project in projects}, choices)
            if "confirm" not in request.POST:
                # The first step shows the ballot back: it is cast on confirmation.
                confirming = True
            elif paper:
                ballot = services.ballot_enter_paper(
                    vote=vote,
                    actor=request.user,
                    iin=form.cleaned_data["iin"],
                    choices=choices,
                    residency_seen=form.cleaned_data["residency_seen"],
                    paper_number=form.cleaned_data["paper_number"],
                )
            else:
                ballot = services.ballot_cast(
                    vote=vote,
                    voter=request.user,
                    choices=choices,
                    iin=iin_form.cleaned_data["iin"] if iin_form else "",
                )
        except DomainError as error:
            if not paper and error.code in REFUSED_TO_VOTER:
                raise PermissionDenied(error.message) from None
            if not paper and error.code == ErrorCode.ALREADY_VOTED:
                messages.error(request, error.message)
                return redirect(
                    "votes:my_ballot", vote.cycle.unit.kato_code, vote.cycle.fiscal_year
                )
            target = (
                iin_form
                if iin_form is not None
                and error.code
                in (
                    ErrorCode.BIRTH_DATE_UNKNOWN,
                    ErrorCode.IIN_NOT_YOURS,
                )
                else form
            )
            if target is iin_form:
                field = "iin"
            else:
                field = PAPER_FIELDS.get(error.code) if paper else None
            target.add_error(field, error.message)
            confirming = False
        else:
            if not confirming:
                if paper:
                    messages.success(
                        request,
                        _("The paper ballot is entered. Its receipt: %(receipt)s.")
                        % {"receipt": ballot.receipt},
                    )
                    return redirect(
                        "votes:paper_ballot",
                        vote.cycle.unit.kato_code,
                        vote.cycle.fiscal_year,
                    )
                messages.success(request, _("Your ballot is cast. Keep your receipt."))
                return redirect(
                    "votes:my_ballot", vote.cycle.unit.kato_code, vote.cycle.fiscal_year
                )
    chosen = form.choices() if confirming else {}
    has_errors = bool(form.errors or (iin_form is not None and iin_form.errors))
    return render(
        request,
        "votes/paper_ballot.html" if paper else "votes/ballot.html",
        _context(
            vote,
            form=form,
            iin_form=iin_form,
            projects=projects,
            confirming=confirming,
            chosen=[
                (project, chosen[project.pk])
                for project in projects
                if project.pk in chosen
            ],
            is_cumulative=vote.ballot_kind == BallotKind.CUMULATIVE,
            ballot_texts=BALLOT_TEXTS,
            **(_paper_record(vote) if paper else {}),
        ),
        status=400 if has_errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, kato_code: str, fiscal_year: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.cast", vote)
    if not is_due("votes.cast", vote):
        return _not_now(request, vote)
    _frozen_when_open(vote)
    mine = selectors.ballot_of(vote=vote, user=request.user)
    if mine is not None and not _changes_online(vote, mine):
        messages.info(
            request, _("You have already voted in this vote: one ballot per person.")
        )
        return redirect("votes:my_ballot", kato_code, fiscal_year)
    return _ballot_page(request, vote, paper=False)


@login_required
def my_ballot(request, kato_code: str, fiscal_year: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    mine = selectors.ballot_of(vote=vote, user=request.user)
    if mine is None:
        messages.info(request, _("You have not voted in this vote."))
        return redirect(vote)
    return render(
        request,
        "votes/my_ballot.html",
        _context(
            vote,
            ballot=mine,
            status=selectors.vote_status(vote),
            may_change=_changes_online(vote, mine)
            and allows(request.user, "votes.cast", vote),
        ),
    )


def _paper_record(vote) -> dict:
    """What the staff's paper pages show of the vote's papers: the ranges issued, the
    papers set against the paper ballots, the latest entries, and the protocol once
    the vote is counted."""
    return {
        "paper_ranges": selectors.paper_ranges(vote),
        "paper_counts": selectors.paper_counts(vote),
        "paper_entries": selectors.paper_entries(vote),
        "protocol_languages": PROTOCOL_LANGUAGES if vote.is_counted else (),
    }


PROTOCOL_LANGUAGES = (("kk", "Қазақша"), ("ru", "Русский"))


@login_required
@require_http_methods(["GET", "POST"])
def paper_ballot(request, kato_code: str, fiscal_year: int):
    """The entry of paper ballots while the vote is open; from its close, the list of
    what was entered and the protocol."""
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.see_papers", vote)
    entering = is_due("votes.enter_paper", vote)
    if not is_due("votes.see_papers", vote) or (
        request.method == "POST" and not entering
    ):
        return _not_now(request, vote)
    if not entering:
        return render(
            request, "votes/paper_ballot.html", _context(vote, **_paper_record(vote))
        )
    _frozen_when_open(vote)
    return _ballot_page(request, vote, paper=True)


@login_required
@require_http_methods(["GET", "POST"])
def ballot_papers(request, kato_code: str, fiscal_year: int):
    """The numbered ballot papers of the vote: those issued, each batch printable again
    (PDF), and, while the vote is open, more issued (numbered on from the last)."""
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.see_papers", vote)
    entering = is_due("votes.enter_paper", vote)
    if not is_due("votes.see_papers", vote) or (
        request.method == "POST" and not entering
    ):
        return _not_now(request, vote)
    if entering:
        _frozen_when_open(vote)
    form = BallotPapersForm(request.POST or None) if entering else None
    if form is not None and form.is_valid():
        try:
            numbers = services.ballot_papers_issue(
                vote=vote, actor=request.user, count=form.cleaned_data["count"]
            )
        except DomainError as error:
            form.add_error("count", error.message)
        else:
            messages.success(
                request,
                _("Ballot papers № %(first)s to %(last)s are issued.")
                % {"first": numbers[0], "last": numbers[-1]},
            )
            return redirect(
                "votes:ballot_papers_pdf",
                kato_code,
                fiscal_year,
                numbers[0],
                numbers[-1],
            )
    return render(
        request,
        "votes/ballot_papers.html",
        _context(vote, form=form, **_paper_record(vote)),
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_safe
def ballot_papers_pdf(request, kato_code: str, fiscal_year: int, first: int, last: int):
    """Ballot papers already issued, `first` to `last`, to print (again: a jammed
    printer prints the same numbers, never new ones)."""
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    require(request.user, "votes.see_papers", vote)
    if not is_due("votes.see_papers", vote):
        return _not_now(request, vote)
    if not (
        1 <= first <= last
        and last - first < services.BALLOT_PAPERS_MOST
        and selectors.papers_issued(vote, first=first, last=last)
    ):
        raise Http404
    return pdf_response(
        ballot_papers_pdf_make(
            vote, selectors.ballot_projects(vote), first=first, count=last - first + 1
        ),
        f"qatysu-{kato_code}-{fiscal_year}-ballots-{first:06d}-{last:06d}.pdf",
    )


def vote_results(request, kato_code: str, fiscal_year: int):
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    if not vote.is_counted:
        status = selectors.vote_status(vote)
        messages.info(
            request,
            _("The vote is still open: its result comes at the close.")
            if status != VoteStatus.CLOSED
            else _(
                "The vote has closed and is being counted: the result comes shortly."
            ),
        )
        return redirect(vote)
    return render(
        request,
        "votes/results.html",
        _context(vote, results=selectors.results(vote)),
    )
