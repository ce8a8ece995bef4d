"""Reads of the maslikhat's vote: who sits in a maslikhat, a cycle's sessions, a session
with its roll call, the deputies' page, the API's and the open data's sessions.

Not found: a `*_get` read (and `roll_call`, a session's page), for the pages, raises
Http404 when nothing matches."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Role, RoleMembership, User
from budgets.models import BudgetCycle, DraftBudget, DraftStatus
from maslikhat.counting import VoteCount, VoteRules
from maslikhat.models import Ballot, SessionMember, VotingSession

DEPUTY_ROLES = (Role.MASLIKHAT_DEPUTY, Role.MASLIKHAT_CHAIRMAN)

# The page's breadcrumb walks the unit's ancestors: four parents reach the top.
UNIT_WITH_ANCESTORS = "draft__cycle__unit__parent__parent__parent__parent"


def deputy_seats() -> QuerySet[RoleMembership]:
    """The current seats in every maslikhat, the chairmen's among them: the one place
    that says who is a deputy of which maslikhat."""
    return RoleMembership.objects.current().filter(role__in=DEPUTY_ROLES)


def deputy_ids(district) -> QuerySet:
    """The ids of the active deputies of a district's maslikhat, in order."""
    return (
        deputy_seats()
        .filter(unit=district, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def deputies(district) -> QuerySet[User]:
    """The active deputies of a district's maslikhat, by name."""
    return User.objects.filter(
        pk__in=deputy_seats().filter(unit=district).values("user_id"), is_active=True
    ).order_by("last_name", "first_name", "pk")


def is_deputy(user) -> bool:
    return deputy_seats().filter(user=user).exists()


def cycle_sessions(cycle: BudgetCycle) -> QuerySet[VotingSession]:
    """The maslikhat's voting sessions on the cycle's drafts, newest first."""
    return VotingSession.objects.filter(draft__cycle=cycle).order_by("-opens_at", "-pk")


def has_open_session(draft: DraftBudget) -> bool:
    return VotingSession.objects.filter(draft=draft, closed_at__isnull=True).exists()


def session_get(*, pk: int) -> VotingSession:
    """A session with its draft, cycle, unit and district; 404 when there is none."""
    return get_object_or_404(
        VotingSession.objects.select_related("draft__cycle__unit", "district"), pk=pk
    )


@dataclass
class RollCallRow:
    member: SessionMember
    ballot: Ballot | None

    @property
    def status(self) -> str:
        if not self.member.is_present:
            return "absent"
        return self.ballot.choice if self.ballot else "not_voted"


@dataclass
class RollCall:
    session: VotingSession
    rows: list[RollCallRow]
    count: VoteCount
    rules: VoteRules


def roll_call(*, pk: int) -> RollCall:
    """A session with every deputy's vote, in three queries whatever the maslikhat's size;
    404 when there is none."""
    session = get_object_or_404(
        VotingSession.objects.with_counts().select_related(
            UNIT_WITH_ANCESTORS, "district", "opened_by"
        ),
        pk=pk,
    )
    ballots = {
        ballot.deputy_id: ballot for ballot in Ballot.objects.filter(session=session)
    }
    rows = [
        RollCallRow(member=member, ballot=ballots.get(member.deputy_id))
        for member in SessionMember.objects.filter(session=session)
        .select_related("deputy")
        .order_by("deputy__last_name", "deputy__first_name", "deputy_id")
    ]
    return RollCall(
        session=session,
        rows=rows,
        count=VoteCount.of(session),
        rules=VoteRules.of(session),
    )


def deputy_sessions(*, user) -> QuerySet[VotingSession]:
    """Sessions of the maslikhats the user sits in, open ones first."""
    return (
        VotingSession.objects.filter(
            district_id__in=deputy_seats().filter(user=user).values("unit_id")
        )
        .select_related("draft__cycle__unit", "district")
        .order_by(models.F("closed_at").desc(nulls_first=True), "-opens_at")
    )


def drafts_awaiting_vote(*, user) -> list[DraftBudget]:
    """Drafts submitted to the maslikhats the user chairs, with no open session."""
    districts = set(
        RoleMembership.objects.current()
        .filter(user=user, role=Role.MASLIKHAT_CHAIRMAN)
        .values_list("unit_id", flat=True)
    )
    if not districts:
        return []
    # Not exclude(voting_sessions__closed_at__isnull=True): its outer join also drops the
    # drafts that have no session at all.
    open_session = VotingSession.objects.filter(
        draft=models.OuterRef("pk"), closed_at__isnull=True
    )
    drafts = (
        DraftBudget.objects.filter(status=DraftStatus.UNDER_VOTE)
        .exclude(models.Exists(open_session))
        .select_related("cycle__unit__parent__parent__parent__parent")
    )
    return [
        draft
        for draft in drafts
        if (district := draft.cycle.unit.maslikhat_district) is not None
        and district.pk in districts
    ]


def export_roll_calls(cycle: BudgetCycle) -> QuerySet:
    """Every member of the closed sessions on the cycle's drafts, with their vote, in the
    order of the sessions and of the roll call page. Names only: never an e-mail."""
    vote = Ballot.objects.filter(
        session=models.OuterRef("session"), deputy=models.OuterRef("deputy")
    ).values("choice")[:1]
    return (
        SessionMember.objects.filter(
            session__draft__cycle=cycle, session__closed_at__isnull=False
        )
        .annotate(vote=models.Subquery(vote))
        .order_by(
            "session__opens_at",
            "session_id",
            "deputy__last_name",
            "deputy__first_name",
            "deputy_id",
        )
        .values(
            "session_id",
            "session__draft__version",
            "session__opens_at",
            "session__closes_at",
            "session__closed_at",
            "session__outcome",
            "session__total_deputies",
            "deputy__first_name",
            "deputy__last_name",
            "is_present",
            "absence_reason",
            "vote",
        )
    )


def session_api_list() -> QuerySet[VotingSession]:
    """Voting sessions with their draft, unit, district and counts: one query a page."""
    return (
        VotingSession.objects.with_counts()
        .select_related("draft__cycle__unit", "district")
        .order_by("-opens_at", "-pk")
    )
