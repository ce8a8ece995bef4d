"""The count, once, after the close: the frozen rule applied to the ballots (the same
counting code as `manage.py vote_tally`), each project's votes and outcome recorded, and
the result announced. The clock job runs it; running it twice, or an hour late, records one
result."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from budgets.models import CycleFollower
from portal.services import audit_event_record, notification_send
from proposals import services as proposal_services
from votes import locks, selectors
from votes.codes import AuditVerb
from votes.counting import rules
from votes.lifecycle import VoteStatus
from votes.models import Ballot, Outcome, Vote, VoteProject
from votes.services.setup import vote_freeze

logger = logging.getLogger(__name__)


@transaction.atomic
def vote_count(vote: Vote) -> bool:
    """Count a closed vote by its frozen rule and record the result; True when this call
    recorded it (False: not closed yet, or already counted)."""
    if vote.opened_at is None:
        vote_freeze(vote)
    vote = locks.vote_lock(vote)
    if vote.counted_at is not None:
        return False
    # Every ballot being cast is done before the clock is read: one that passed the
    # clock a moment before the close is in the count, whole.
    locks.ballots_lock(vote)
    if selectors.vote_status(vote) != VoteStatus.CLOSED:
        return False
    if vote.opened_at is None:
        # Closed without ever having been frozen (vote_freeze ran in this transaction).
        vote.refresh_from_db(fields=["opened_at"])
    projects = selectors.ballot_projects(vote)
    election = selectors.election(vote, projects)
    outcome = rules.tally(election, vote.rule)
    chosen = set(outcome.selected)
    purchases = {purchase.project: purchase for purchase in outcome.purchases}
    # What greedy would have chosen, beside any rule's outcome (the comparison's own
    # greedy where the rule compares).
    compared = set(
        outcome.compared if outcome.compared is not None else rules.greedy(election)
    )
    for index, project in enumerate(projects):
        project.votes = outcome.scores[index]
        project.outcome = Outcome.SELECTED if index in chosen else Outcome.NOT_SELECTED
        purchase = purchases.get(index)
        project.round = purchase.round if purchase else None
        project.price = str(purchase.price) if purchase else ""
        project.payers = purchase.payers if purchase else None
        project.greedy_selected = index in compared
    proposal_services.proposals_voted(
        selected_ids=[
            project.proposal_id
            for project in projects
            if project.proposal_id and project.outcome == Outcome.SELECTED
        ],
        not_selected_ids=[
            project.proposal_id
            for project in projects
            if project.proposal_id and project.outcome == Outcome.NOT_SELECTED
        ],
    )
    VoteProject.objects.bulk_update(
        projects,
        ["votes", "outcome", "round", "price", "payers", "greedy_selected"],
    )
    vote.counted_at = timezone.now()
    vote.share = str(outcome.share) if outcome.share is not None else ""
    vote.greedy_stood = outcome.greedy_stood
    vote.threshold_applied = selectors.threshold(vote, ballots=len(election.ballots))
    vote.save(
        update_fields=["counted_at", "share", "greedy_stood", "threshold_applied"]
    )
    audit_event_record(
        actor=None,
        verb=AuditVerb.VOTE_COUNTED,
        target=vote,
        unit=vote.cycle.unit,
        details={
            "ballots": len(election.ballots),
            "rule": vote.rule,
            "selected": [projects[index].pk for index in outcome.selected],
        },
    )
    _announce(vote, ballots=len(election.ballots))
    return True


def _announce(vote: Vote, *, ballots: int) -> None:
    """Tell the online voters and the cycle's followers that the result is out."""
    cycle = vote.cycle
    recipients = User.objects.filter(
        Q(pk__in=Ballot.objects.filter(vote=vote, voter__isnull=False).values("voter"))
        | Q(pk__in=CycleFollower.objects.filter(cycle=cycle).values("user"))
    ).distinct()
    notification_send(
        recipients=recipients,
        kind="vote_counted",
        unit=cycle.unit,
        context={
            "unit": cycle.unit.name,
            "year": cycle.fiscal_year,
            "ballots": ballots,
        },
        url_name="votes:vote_results",
        url_kwargs={
            "kato_code": cycle.unit.kato_code,
            "fiscal_year": cycle.fiscal_year,
        },
    )


def votes_tick() -> dict[str, int]:
    """The clock job: freeze every vote whose opening has come, count every vote whose
    close has passed. Each in its own transaction, so that one failure stops no other."""
    today = timezone.localdate()
    due = selectors.with_days(Vote.objects.select_related("cycle__unit"))
    frozen = counted = 0
    for vote in due.filter(opened_at__isnull=True, starts_on__lte=today):
        frozen += vote_freeze(vote)
    for vote in due.filter(counted_at__isnull=True, ends_on__lt=today):
        try:
            counted += vote_count(vote)
        except Exception:
            logger.exception("The count of vote %s failed", vote.pk)
    return {"frozen": frozen, "counted": counted}
