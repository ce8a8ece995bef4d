"""Factories and builders of budgets: classification entries, cycles opened by the service,
the district maslikhat and its voting sessions."""

import datetime
from decimal import Decimal

import factory
import time_machine

from accounts.models import Role
from budgets import services
from budgets.models import (
    Ballot,
    BudgetClassification,
    ClassificationKind,
    CyclePhase,
    DraftBudget,
    SessionMember,
    VotingSession,
)
from portal.models import AuditEvent, Notification
from tests.accounts.factories import MembershipFactory

D = datetime.date


class ClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetClassification
        django_get_or_create = ("kind", "code")

    kind = ClassificationKind.EXPENDITURE
    code = factory.Sequence(lambda n: f"T{n:04d}")
    name_kk = factory.Sequence(lambda n: f"Шығыс {n}")
    name_ru = factory.Sequence(lambda n: f"Расход {n}")
    position = factory.Sequence(lambda n: 1000 + n)


def phase_dates(fiscal_year: int = 2027) -> dict:
    """The default timeline of a cycle for `fiscal_year`: preparation in the year before."""
    year = fiscal_year - 1
    return {
        CyclePhase.PROPOSALS_OPEN: (D(year, 3, 1), D(year, 4, 30)),
        CyclePhase.REVIEW: (D(year, 5, 1), D(year, 5, 31)),
        CyclePhase.DRAFTING: (D(year, 6, 1), D(year, 9, 30)),
        CyclePhase.PUBLIC_DISCUSSION: (D(year, 10, 1), D(year, 10, 31)),
        CyclePhase.COORDINATION: (D(year, 11, 1), D(year, 11, 30)),
        CyclePhase.MASLIKHAT_VOTE: (D(year, 12, 1), D(year, 12, 25)),
        CyclePhase.EXECUTION: (D(fiscal_year, 1, 1), D(fiscal_year, 12, 31)),
    }


def lines(revenue: dict, expenditure: dict) -> list[services.LineInput]:
    """Line inputs from {code: amount}; codes are made as test classification entries."""
    made = []
    for kind, amounts in (
        (ClassificationKind.REVENUE, revenue),
        (ClassificationKind.EXPENDITURE, expenditure),
    ):
        for code, amount in amounts.items():
            entry = ClassificationFactory(
                kind=kind, code=code, is_transfer=code.startswith("TR")
            )
            made.append(
                services.LineInput(classification=entry, amount=Decimal(amount))
            )
    return made


def deputies_of(district, count: int, *, role=None) -> list:
    """`count` deputies of the district's maslikhat, named so that they sort in order."""
    return [
        MembershipFactory(
            role=role or Role.MASLIKHAT_DEPUTY,
            unit=district,
            user__first_name=f"Deputy{index:03d}",
            user__last_name=f"Seat{index:03d}",
        ).user
        for index in range(1, count + 1)
    ]


# The maslikhat's vote: a session in the first days of December 2026, in Kazakhstan's time.

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
OPENS = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=ALMATY)
CLOSES = datetime.datetime(2026, 12, 4, 18, 0, tzinfo=ALMATY)
DURING = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=ALMATY)


def session_open(draft, chairman, *, absences=None, now=OPENS, **times):
    """A session opened by the chairman at `now`, from OPENS to CLOSES unless told."""
    with time_machine.travel(now, tick=False):
        return services.session_open(
            draft=draft,
            actor=chairman,
            opens_at=times.get("opens_at", OPENS),
            closes_at=times.get("closes_at", CLOSES),
            absences=absences or {},
        )


def ballots_cast(session, votes, *, now=DURING) -> None:
    """Each (deputy, choice) in turn, at `now`."""
    with time_machine.travel(now, tick=False):
        for deputy, choice in votes:
            services.ballot_cast(session=session, deputy=deputy, choice=choice)


def voting_record() -> dict:
    """Everything a voting act may change, to show that a refused one changed nothing."""
    return {
        "sessions": list(
            VotingSession.objects.order_by("pk").values_list(
                "pk", "total_deputies", "closed_at", "outcome", "reminded_at"
            )
        ),
        "members": list(
            SessionMember.objects.order_by("pk").values_list(
                "session_id", "deputy_id", "is_present", "absence_reason"
            )
        ),
        "ballots": list(
            Ballot.objects.order_by("pk").values_list(
                "session_id", "deputy_id", "choice"
            )
        ),
        "drafts": list(DraftBudget.objects.order_by("pk").values_list("pk", "status")),
        "events": list(
            AuditEvent.objects.order_by("pk").values_list(
                "verb", "target_id", "details"
            )
        ),
        "notifications": list(
            Notification.objects.order_by("pk").values_list("recipient_id", "kind")
        ),
    }


def budget_written(
    *,
    unit,
    actor,
    plan: dict[str, str],
    entries: dict[str, list[tuple[int, str]]] | None = None,
    fiscal_year: int = 2027,
    status: str = "approved",
) -> DraftBudget:
    """A cycle of `unit` with its phases and version 1 of its draft in `status`, written
    straight to the database rather than through the services, for reads at scale and
    across many units: `plan` is {classification code: amount} (seeded or test codes),
    `entries` {code: [(quarter, amount), ...]} the execution entries, in order."""
    from budgets.models import (
        BudgetCycle,
        BudgetLine,
        DraftStatus,
        ExecutionEntry,
        Phase,
    )

    cycle = BudgetCycle.objects.create(
        unit=unit, fiscal_year=fiscal_year, created_by=actor
    )
    Phase.objects.bulk_create(
        Phase(cycle=cycle, kind=kind, starts_on=starts, ends_on=ends)
        for kind, (starts, ends) in phase_dates(fiscal_year).items()
    )
    draft = DraftBudget.objects.create(
        cycle=cycle, version=1, status=DraftStatus(status), created_by=actor
    )
    entries_by_code = {
        entry.code: entry
        for entry in BudgetClassification.objects.filter(code__in=list(plan))
    }
    made = {
        code: BudgetLine.objects.create(
            draft=draft, classification=entries_by_code[code], amount=Decimal(amount)
        )
        for code, amount in plan.items()
    }
    reports: dict[tuple[str, int], ExecutionEntry] = {}
    for code, reported in (entries or {}).items():
        for quarter, amount in reported:
            # The first entry of a line-quarter is its report, a later one corrects it.
            entry = ExecutionEntry.objects.create(
                line=made[code],
                quarter=quarter,
                amount=Decimal(amount),
                corrects=reports.get((code, quarter)),
                recorded_by=actor,
            )
            reports.setdefault((code, quarter), entry)
    return draft
