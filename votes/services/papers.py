"""Issuing the numbered ballot papers of a vote: staff print them for the residents who
vote at the akimat, in order from the first number not yet issued, so that no number is
issued twice and the protocol can set the papers issued against the papers entered."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from portal.errors import DomainError
from portal.services import audit_event_record
from votes import locks, selectors
from votes.codes import AuditVerb, ErrorCode
from votes.lifecycle import VoteStatus
from votes.models import BALLOT_PAPER_LAST, BallotPaper, Vote

# The most ballot papers issued at once: a village's paper vote, a few hundred at most.
BALLOT_PAPERS_MOST = 500


def ballot_papers_issue(*, vote: Vote, actor: User, count: int) -> range:
    """Issue `count` papers numbered on from the last issued for the vote (the vote's
    row locked, so that two clerks printing at once get different numbers); returns
    their numbers. Only while the vote is open."""
    if not 1 <= count <= BALLOT_PAPERS_MOST:
        raise DomainError(
            ErrorCode.PAPERS_COUNT_INVALID,
            _("Issue from 1 to %(most)s papers at once.")
            % {"most": BALLOT_PAPERS_MOST},
        )
    with transaction.atomic():
        vote = locks.vote_lock(vote)
        if selectors.vote_status(vote) != VoteStatus.OPEN:
            raise DomainError(
                ErrorCode.VOTE_NOT_OPEN,
                _("Ballot papers are issued while the vote is open."),
            )
        last = (
            BallotPaper.objects.filter(vote=vote).aggregate(last=Max("number"))["last"]
            or 0
        )
        if last + count > BALLOT_PAPER_LAST:
            raise DomainError(
                ErrorCode.PAPERS_COUNT_INVALID,
                _("Ballot papers are numbered up to 999 999."),
            )
        numbers = range(last + 1, last + count + 1)
        issued_at = timezone.now()
        BallotPaper.objects.bulk_create(
            BallotPaper(vote=vote, number=number, issued_by=actor, issued_at=issued_at)
            for number in numbers
        )
        audit_event_record(
            actor=actor,
            verb=AuditVerb.BALLOT_PAPERS_ISSUED,
            target=vote,
            unit=vote.cycle.unit,
            details={"first": numbers[0], "last": numbers[-1]},
        )
    return numbers
