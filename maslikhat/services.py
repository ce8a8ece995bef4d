"""Every change of state of the maslikhat's vote: a session opened on a submitted draft, a
deputy's ballot, the close (by the last ballot or by the clock) and its consequence on the
draft through budgets' `draft_approve` / `draft_return`, the reminder before the close.

Each service checks the rule, locks what it changes (maslikhat/locks.py), writes, records
the audit event and sends its notices. Who may call it is checked by the views with
maslikhat/permissions.py."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, RoleMembership, User
from budgets import locks as budget_locks
from budgets.models import CycleFollower, DraftBudget, DraftStatus
from budgets.services import draft_approve, draft_return
from maslikhat import locks, selectors
from maslikhat.codes import AuditVerb, ErrorCode
from maslikhat.counting import VoteCount, VoteRules, session_outcome
from maslikhat.models import (
    Ballot,
    BallotChoice,
    MaslikhatRules,
    SessionMember,
    SessionOutcome,
    VotingSession,
)
from portal.errors import DomainError
from portal.models import Notification
from portal.services import audit_event_record, create_or_refuse, notifications_create


def _roll_call_notice(
    *, recipient_id: int, kind: str, session, context
) -> Notification:
    return Notification(
        recipient_id=recipient_id,
        kind=kind,
        unit=session.draft.cycle.unit,
        context={"year": session.draft.cycle.fiscal_year, **context},
        url_name="maslikhat:roll_call",
        url_kwargs={"pk": session.pk},
    )


def _absences_refusal(
    absences: Mapping[int, str], deputies: list[int]
) -> DomainError | None:
    if set(absences) - set(deputies):
        return DomainError(
            ErrorCode.ABSENT_NOT_A_DEPUTY,
            _("Only a deputy of this maslikhat can be absent."),
        )
    if not deputies:
        return DomainError(
            ErrorCode.NO_DEPUTIES,
            _("No deputy's membership is current in this maslikhat: grant them first."),
        )
    if any(len(reason.strip()) > 300 for reason in absences.values()):
        return DomainError(
            ErrorCode.ABSENCE_REASON_TOO_LONG,
            _("A reason for absence is at most 300 characters."),
        )
    if any(not reason.strip() for reason in absences.values()):
        return DomainError(
            ErrorCode.ABSENCE_REASON_REQUIRED, _("Give the reason of every absence.")
        )
    return None


def _session_opening_refusal(
    draft: DraftBudget, opens_at: datetime.datetime, closes_at: datetime.datetime
) -> DomainError | None:
    if draft.status != DraftStatus.UNDER_VOTE:
        return DomainError(
            ErrorCode.DRAFT_NOT_SUBMITTED,
            _("A session is opened only on a draft the akim has submitted."),
        )
    if selectors.has_open_session(draft):
        return DomainError(
            ErrorCode.SESSION_ALREADY_OPEN,
            _("A session on this draft is already open."),
        )
    if closes_at <= opens_at or closes_at <= timezone.now():
        return DomainError(
            ErrorCode.SESSION_TIMES_INVALID,
            _("A session closes after it opens, and in the future."),
        )
    return None


@transaction.atomic
def session_open(
    *,
    draft: DraftBudget,
    actor: User,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    absences: Mapping[int, str],
) -> VotingSession:
    """The chairman opens a session on a submitted draft; deputies and rules are fixed now."""
    draft = budget_locks.draft_lock(
        draft, "cycle__unit__parent__parent__parent__parent"
    )
    refusal = _session_opening_refusal(draft, opens_at, closes_at)
    if refusal is not None:
        raise refusal
    district = draft.cycle.unit.maslikhat_district
    deputies = list(selectors.deputy_ids(district))
    refusal = _absences_refusal(absences, deputies)
    if refusal is not None:
        raise refusal
    rules = VoteRules.of(MaslikhatRules.objects.filter(district=district).first())
    session = VotingSession.objects.create(
        draft=draft,
        district=district,
        opens_at=opens_at,
        closes_at=closes_at,
        total_deputies=len(deputies),
        quorum_numerator=rules.quorum_numerator,
        quorum_denominator=rules.quorum_denominator,
        majority_numerator=rules.majority_numerator,
        majority_denominator=rules.majority_denominator,
        opened_by=actor,
    )
    SessionMember.objects.bulk_create(
        SessionMember(
            session=session,
            deputy_id=deputy,
            is_present=deputy not in absences,
            absence_reason=absences.get(deputy, "").strip(),
        )
        for deputy in deputies
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.SESSION_OPENED,
        target=session,
        unit=draft.cycle.unit,
        details={
            "version": draft.version,
            "total": len(deputies),
            "absent": len(absences),
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
        },
    )
    notifications_create(
        [
            _roll_call_notice(
                recipient_id=deputy, kind="session_opened", session=session, context={}
            )
            for deputy in deputies
            if deputy not in absences
        ]
    )
    return session


def vote_count(session: VotingSession) -> VoteCount:
    """The count, from the ballots themselves: never a counter kept beside them."""
    return VoteCount.of(VotingSession.objects.with_counts().get(pk=session.pk))


def ballot_refusal(*, session: VotingSession, deputy: User) -> DomainError | None:
    """Why this deputy may not vote in this session at any hour, or None. The ballot page
    refuses before offering the vote; `ballot_cast` asks again under the session's lock,
    and the database's constraint still stands behind the last check."""
    member = session.members.filter(deputy=deputy).first()
    if member is None:
        return DomainError(
            ErrorCode.NOT_A_MEMBER,
            _("Only the deputies of this maslikhat vote in its sessions."),
        )
    if not member.is_present:
        return DomainError(
            ErrorCode.DEPUTY_ABSENT,
            _("You are recorded as absent from this session and cannot vote in it."),
        )
    if session.ballots.filter(deputy=deputy).exists():
        return DomainError(
            ErrorCode.BALLOT_ALREADY_CAST, _("You have already voted in this session.")
        )
    return None


@transaction.atomic
def ballot_cast(*, session: VotingSession, deputy: User, choice: str) -> Ballot:
    """One deputy's final vote; the last present deputy's vote closes the session."""
    session = locks.session_lock(session)
    if choice not in BallotChoice.values:
        raise DomainError(
            ErrorCode.BALLOT_CHOICE_INVALID, _("Vote for, against or abstain.")
        )
    # Who votes comes before the hour: a second ballot sent at once with the first is
    # refused as a second ballot even when the first closed the session.
    refusal = ballot_refusal(session=session, deputy=deputy)
    if refusal is not None:
        raise refusal
    now = timezone.now()
    if session.is_closed or now >= session.closes_at:
        raise DomainError(ErrorCode.SESSION_CLOSED, _("This session is closed."))
    if now < session.opens_at:
        raise DomainError(
            ErrorCode.SESSION_NOT_OPEN, _("This session has not opened yet.")
        )
    ballot = create_or_refuse(
        Ballot,
        DomainError(
            ErrorCode.BALLOT_ALREADY_CAST, _("You have already voted in this session.")
        ),
        session=session,
        deputy=deputy,
        choice=choice,
    )
    audit_event_record(
        actor=deputy,
        verb=AuditVerb.BALLOT_CAST,
        target=session,
        unit=session.draft.cycle.unit,
        details={"choice": choice},
    )
    if session.ballots.count() >= session.members.filter(is_present=True).count():
        _close(session=session, now=now)
    return ballot


def session_close(*, session: VotingSession) -> bool:
    """Close a session whose time has come; idempotent. True when this call closed it."""
    with transaction.atomic():
        session = locks.session_lock(session)
        now = timezone.now()
        if session.is_closed or now < session.closes_at:
            return False
        _close(session=session, now=now)
        return True


def _close(*, session: VotingSession, now) -> None:
    count = vote_count(session)
    outcome = session_outcome(VoteRules.of(session), count)
    session.closed_at, session.outcome = now, outcome
    session.save(update_fields=["closed_at", "outcome"])
    unit = session.draft.cycle.unit
    audit_event_record(
        actor=None,
        verb=AuditVerb.SESSION_CLOSED,
        target=session,
        unit=unit,
        details={
            "outcome": outcome,
            "total": count.total,
            "present": count.present,
            "for": count.for_,
            "against": count.against,
            "abstain": count.abstain,
        },
    )
    if outcome == SessionOutcome.PASSED:
        draft_approve(draft=session.draft, actor=None)
    elif outcome == SessionOutcome.REJECTED:
        draft_return(
            draft=session.draft, actor=None, reason=SessionOutcome.REJECTED.value
        )
    recipients = set(
        RoleMembership.objects.current()
        .filter(unit=unit, role__in=(Role.AKIM, Role.AKIMAT_STAFF))
        .values_list("user_id", flat=True)
    ) | set(
        CycleFollower.objects.filter(cycle_id=session.draft.cycle_id).values_list(
            "user_id", flat=True
        )
    )
    notifications_create(
        [
            _roll_call_notice(
                recipient_id=user_id,
                kind="session_closed",
                session=session,
                context={"outcome": outcome},
            )
            for user_id in sorted(recipients)
        ]
    )


def sessions_close_due() -> int:
    """The clock's part: close every session past its closing time."""
    due = VotingSession.objects.filter(
        closed_at__isnull=True, closes_at__lte=timezone.now()
    ).order_by("pk")
    return sum(session_close(session=session) for session in due)


@transaction.atomic
def sessions_remind_due() -> int:
    """A day before a session closes, remind the present deputies who have not voted."""
    now = timezone.now()
    due = list(
        locks.sessions_to_remind_lock(now=now).select_related("draft__cycle__unit")
    )
    notices = []
    for session in due:
        voted = set(session.ballots.values_list("deputy_id", flat=True))
        notices += [
            _roll_call_notice(
                recipient_id=deputy,
                kind="session_closing",
                session=session,
                context={},
            )
            for deputy in session.members.filter(is_present=True).values_list(
                "deputy_id", flat=True
            )
            if deputy not in voted
        ]
        session.reminded_at = now
    VotingSession.objects.bulk_update(due, ["reminded_at"])
    notifications_create(notices)
    return len(due)
