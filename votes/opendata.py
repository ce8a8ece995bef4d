"""A counted residents' vote as open data: the pabulib `.pb` file anyone can recount
(`manage.py vote_tally`, pabutools, pabulib's own tools), and two data sets registered in
budgets.opendata (CSV and JSON, on the cycle's data page): the projects with their result,
and the anonymised ballots.

A ballot is published under its receipt, a random code its voter alone was shown: never
an IIN, an account, a name, an age, a place or a channel."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import Http404, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from budgets.opendata import BOOLEAN, INTEGER, STRING, Column, Dataset, register
from portal.printed import pdf_response
from votes import notice, protocol, selectors
from votes.counting import pabulib
from votes.lifecycle import VoteStatus
from votes.models import Outcome, Vote


def counted_vote(cycle) -> Vote | None:
    """The cycle's counted vote, asked once per cycle object (the data page asks it of
    each of the two data sets)."""
    if not hasattr(cycle, "_counted_vote"):
        vote = selectors.vote_of_cycle(cycle)
        cycle._counted_vote = vote if vote is not None and vote.is_counted else None
    return cycle._counted_vote


def project_rows(cycle) -> Iterator[dict]:
    vote = counted_vote(cycle)
    if vote is None:
        return
    for project in selectors.ballot_projects(vote):
        yield {
            "project_id": str(project.pk),
            "title": project.title,
            "cost": project.cost,
            "votes": project.votes,
            "selected": project.outcome == Outcome.SELECTED,
            "round": project.round,
            "price_per_supporter": project.price or None,
            "supporters_paying": project.payers,
            "greedy_selected": project.greedy_selected,
            "proposal": project.proposal_id,
            "added_by_akimat_reason": project.reason or None,
        }


def ballot_rows(cycle) -> Iterator[dict]:
    vote = counted_vote(cycle)
    if vote is None:
        return
    election = selectors.election(vote)
    for number, ballot in enumerate(election.ballots):
        yield {
            "voter_id": election.voter_ids[number],
            "vote": ",".join(election.projects[index].id for index in ballot),
            "points": ",".join(str(p) for p in election.points[number])
            if election.points is not None
            else None,
        }


def _has_counted_vote(cycle) -> bool:
    return counted_vote(cycle) is not None


register(
    Dataset(
        slug="vote_projects",
        title=_("Residents' vote: projects and result"),
        description=_(
            "Every project on the ballot of the residents' vote with its cost, its votes "
            "(or points) and whether it was selected; under equal shares, the round it "
            "was bought in and the price each supporter paid."
        ),
        columns=(
            Column("project_id", STRING, _("The project's id, as in the .pb file.")),
            Column("title", STRING, _("The project's title on the ballot.")),
            Column("cost", INTEGER, _("Its cost on the ballot, whole tenge.")),
            Column("votes", INTEGER, _("Its votes (or points, on a points ballot).")),
            Column("selected", BOOLEAN, _("Whether the counting rule selected it.")),
            Column(
                "round", INTEGER, _("Under equal shares: the round it was bought in.")
            ),
            Column(
                "price_per_supporter",
                STRING,
                _(
                    "Under equal shares: the most a supporter paid, in tenge, as an exact "
                    "fraction (1437500/3)."
                ),
            ),
            Column(
                "supporters_paying",
                INTEGER,
                _("Under equal shares: how many supporters paid for it."),
            ),
            Column(
                "greedy_selected",
                BOOLEAN,
                _("Whether most votes first (greedy) would have selected it."),
            ),
            Column(
                "proposal",
                INTEGER,
                _("The residents' proposal it is, if it is one."),
            ),
            Column(
                "added_by_akimat_reason",
                STRING,
                _("For a project the akimat added: its public reason."),
            ),
        ),
        rows=project_rows,
        is_available=_has_counted_vote,
        position=15,
    )
)
register(
    Dataset(
        slug="vote_ballots",
        title=_("Residents' vote: anonymised ballots"),
        description=_(
            "Every ballot of the residents' vote under its receipt code, with the "
            "projects it marked: enough to recount the vote, nothing about who cast it."
        ),
        columns=(
            Column(
                "voter_id",
                STRING,
                _("The ballot's receipt code, shown only to its voter."),
            ),
            Column(
                "vote", STRING, _("The ids of the projects marked, comma-separated.")
            ),
            Column(
                "points",
                STRING,
                _("On a points ballot: the points of each project, in the same order."),
            ),
        ),
        rows=ballot_rows,
        is_available=_has_counted_vote,
        position=16,
    )
)


@require_safe
def vote_pb(request, kato_code: str, fiscal_year: int):
    """The counted vote as a pabulib `.pb` file, streamed."""
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    if not vote.is_counted:
        raise Http404
    projects = selectors.ballot_projects(vote)
    election = selectors.election(vote, projects)
    response = StreamingHttpResponse(
        pabulib.write_lines(
            election,
            selected=[str(p.pk) for p in projects if p.outcome == Outcome.SELECTED],
        ),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="qatysu-{kato_code}-{fiscal_year}-vote.pb"'
    )
    return response


@require_safe
def vote_protocol(request, kato_code: str, fiscal_year: int, language: str):
    """The results protocol of the counted vote, as a PDF in Kazakh or Russian."""
    if language not in protocol.LANGUAGES:
        raise Http404
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    if not vote.is_counted:
        raise Http404
    return pdf_response(
        protocol.protocol_pdf(
            selectors.results(vote),
            papers=selectors.paper_counts(vote),
            language=language,
        ),
        f"qatysu-{kato_code}-{fiscal_year}-vote-protocol-{language}.pdf",
    )


@require_safe
def vote_notice(request, kato_code: str, fiscal_year: int):
    """The notice of the vote for the notice board (PDF, Kazakh and Russian), while the
    vote is ahead or open: a notice of a closed vote is not pinned up."""
    vote = selectors.vote_get(kato_code=kato_code, fiscal_year=fiscal_year)
    if selectors.vote_status(vote) == VoteStatus.CLOSED:
        raise Http404
    page_url = request.build_absolute_uri(vote.get_absolute_url())
    return pdf_response(
        notice.vote_notice_pdf(vote, page_url=page_url),
        f"qatysu-{kato_code}-{fiscal_year}-vote-notice.pdf",
    )
