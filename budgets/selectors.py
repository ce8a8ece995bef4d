"""Reads of budgets: cycles with their derived state, drafts with their totals and lines,
the differences between two versions, the public history of a cycle, the execution of the
adopted budget."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from budgets.lifecycle import CycleState, cycle_state, decisive_status
from budgets.models import (
    FUNCTIONAL_GROUPS,
    ZERO,
    BudgetClassification,
    BudgetCycle,
    BudgetLine,
    ClassificationKind,
    CommunityMeeting,
    DraftBudget,
    DraftComment,
    DraftStatus,
    ExecutionEntry,
    Phase,
)
from portal.models import AuditEvent


def cycles_with_state(
    cycles: QuerySet[BudgetCycle], *, on
) -> list[tuple[BudgetCycle, CycleState]]:
    """Each cycle with its state on a day, in three queries whatever their number."""
    cycles = list(cycles)
    ids = [cycle.pk for cycle in cycles]
    phases: dict[int, dict[str, Phase]] = {}
    for phase in Phase.objects.filter(cycle_id__in=ids):
        phases.setdefault(phase.cycle_id, {})[phase.kind] = phase
    statuses: dict[int, list[str]] = {}
    for cycle_id, status in (
        DraftBudget.objects.filter(cycle_id__in=ids)
        .order_by("cycle_id", "-version")
        .values_list("cycle_id", "status")
    ):
        statuses.setdefault(cycle_id, []).append(status)
    return [
        (
            cycle,
            cycle_state(
                phases=phases[cycle.pk],
                decisive_status=decisive_status(statuses.get(cycle.pk, [])),
                on=on,
            ),
        )
        for cycle in cycles
    ]


def cycle_state_now(cycle: BudgetCycle) -> CycleState:
    phases = {phase.kind: phase for phase in cycle.phases.all()}
    statuses = cycle.drafts.order_by("-version").values_list("status", flat=True)
    return cycle_state(
        phases=phases,
        decisive_status=decisive_status(statuses),
        on=timezone.localdate(),
    )


def cycle_get(*, kato_code: str, fiscal_year: int) -> BudgetCycle:
    return get_object_or_404(
        BudgetCycle.objects.select_related(
            "unit__parent__parent__parent__parent"
        ).prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            Prefetch(
                "drafts",
                queryset=DraftBudget.objects.select_related("meeting").order_by(
                    "-version"
                ),
            ),
        ),
        unit__kato_code=kato_code,
        fiscal_year=fiscal_year,
    )


def cycle_state_of(cycle: BudgetCycle) -> CycleState:
    """The state of a cycle fetched by `cycle_get`, with no further query."""
    return cycle_state(
        phases={phase.kind: phase for phase in cycle.phases.all()},
        decisive_status=decisive_status(draft.status for draft in cycle.drafts.all()),
        on=timezone.localdate(),
    )


def cycle_sessions(cycle: BudgetCycle) -> QuerySet:
    """The maslikhat's voting sessions on the cycle's drafts, newest first."""
    from budgets.models import VotingSession

    return VotingSession.objects.filter(draft__cycle=cycle).order_by("-opens_at", "-pk")


def unit_cycles(*, unit) -> QuerySet[BudgetCycle]:
    return BudgetCycle.objects.filter(unit=unit).order_by("-fiscal_year")


def public_drafts(cycle: BudgetCycle) -> list[DraftBudget]:
    """The versions the public reads, newest first: every one but a version still being
    prepared. A published version that a later one replaced is labelled so."""
    drafts = [d for d in cycle.drafts.all() if d.status != DraftStatus.PREPARING]
    for index, draft in enumerate(drafts):
        draft.is_superseded = index > 0 and draft.status == DraftStatus.PUBLISHED
    return drafts


@dataclass
class Totals:
    revenue: Decimal = ZERO
    expenditure: Decimal = ZERO
    transfers: Decimal = ZERO

    @property
    def own_revenue(self) -> Decimal:
        return self.revenue - self.transfers

    @property
    def transfer_share(self) -> Decimal | None:
        """Transfers as a percentage of revenue, one decimal."""
        if not self.revenue:
            return None
        return (self.transfers * 100 / self.revenue).quantize(Decimal("0.1"))

    @property
    def deficit(self) -> Decimal:
        return max(self.expenditure - self.revenue, ZERO)

    @property
    def surplus(self) -> Decimal:
        return max(self.revenue - self.expenditure, ZERO)


def draft_totals(draft: DraftBudget) -> Totals:
    totals = Totals()
    for kind, is_transfer, amount in (
        draft.lines.values("classification__kind", "classification__is_transfer")
        .annotate(total=Sum("amount"))
        .values_list("classification__kind", "classification__is_transfer", "total")
    ):
        # SQLite sums decimals as floats and hands back 15 digits: back to tiyn.
        _add(totals, kind, is_transfer, amount.quantize(Decimal("0.01")))
    return totals


def _add(totals: Totals, kind: str, is_transfer: bool, amount: Decimal) -> None:
    if kind == ClassificationKind.REVENUE:
        totals.revenue += amount
        if is_transfer:
            totals.transfers += amount
    else:
        totals.expenditure += amount


def totals_of(lines: Iterable[BudgetLine]) -> Totals:
    totals = Totals()
    for line in lines:
        _add(
            totals,
            line.classification.kind,
            line.classification.is_transfer,
            line.amount,
        )
    return totals


@dataclass
class DraftView:
    draft: DraftBudget
    revenue: list[BudgetLine] = field(default_factory=list)
    expenditure: list[BudgetLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def draft_get(*, cycle: BudgetCycle, version: int) -> DraftBudget:
    for draft in cycle.drafts.all():
        if draft.version == version:
            draft.cycle = cycle
            return draft
    raise DraftBudget.DoesNotExist


def draft_view(draft: DraftBudget, *, with_comments: bool = False) -> DraftView:
    lines = draft.lines.select_related("classification")
    if with_comments:
        lines = lines.prefetch_related(
            Prefetch("comments", queryset=_comments().filter(reply_to__isnull=True))
        )
    view = DraftView(draft=draft)
    for line in lines:
        line.draft = draft
        (
            view.revenue
            if line.classification.kind == ClassificationKind.REVENUE
            else view.expenditure
        ).append(line)
    view.totals = totals_of([*view.revenue, *view.expenditure])
    return view


def _comments() -> QuerySet[DraftComment]:
    return (
        DraftComment.objects.select_related("author")
        .prefetch_related(
            Prefetch("replies", queryset=DraftComment.objects.select_related("author"))
        )
        .order_by("created_at", "pk")
    )


def draft_general_comments(draft: DraftBudget) -> QuerySet[DraftComment]:
    return _comments().filter(draft=draft, line__isnull=True, reply_to__isnull=True)


@dataclass(frozen=True)
class LineChange:
    classification: BudgetClassification
    before: Decimal | None
    after: Decimal | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed" if self.before != self.after else "unchanged"

    @property
    def delta(self) -> Decimal:
        return (self.after or ZERO) - (self.before or ZERO)


@dataclass
class DraftDiff:
    before: DraftView
    after: DraftView
    changes: list[LineChange]

    @property
    def changed(self) -> list[LineChange]:
        return [change for change in self.changes if change.kind != "unchanged"]


def draft_diff(before: DraftBudget, after: DraftBudget) -> DraftDiff:
    """What changed between two versions, line by line, matched by classification."""
    old, new = draft_view(before), draft_view(after)
    by_code: dict[int, list] = {}
    for line in [*old.revenue, *old.expenditure]:
        by_code[line.classification_id] = [line.classification, line.amount, None]
    for line in [*new.revenue, *new.expenditure]:
        by_code.setdefault(line.classification_id, [line.classification, None, None])[
            2
        ] = line.amount
    changes = sorted(
        (
            LineChange(classification, before_amount, after_amount)
            for classification, before_amount, after_amount in by_code.values()
        ),
        key=lambda change: (
            change.classification.kind,
            change.classification.position,
            change.classification.code,
        ),
    )
    return DraftDiff(before=old, after=new, changes=changes)


PUBLIC_DRAFT_VERBS = (
    "draft.published",
    "draft.submitted",
    "draft.approved",
    "draft.returned",
)


def cycle_history(cycle: BudgetCycle) -> QuerySet[AuditEvent]:
    """The cycle's public history: its phases, extensions, versions and the meeting."""
    drafts = [draft.pk for draft in cycle.drafts.all()]
    content_type = ContentType.objects.get_for_model
    return (
        AuditEvent.objects.filter(
            Q(target_type=content_type(BudgetCycle), target_id=str(cycle.pk))
            | Q(
                target_type=content_type(DraftBudget),
                target_id__in=[str(pk) for pk in drafts],
                verb__in=PUBLIC_DRAFT_VERBS,
            )
            | Q(
                target_type=content_type(CommunityMeeting),
                target_id__in=[
                    str(pk)
                    for pk in CommunityMeeting.objects.filter(
                        draft_id__in=drafts
                    ).values_list("pk", flat=True)
                ],
            )
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def classifications(kind: str | None = None) -> QuerySet[BudgetClassification]:
    entries = BudgetClassification.objects.filter(is_active=True)
    return entries.filter(kind=kind) if kind else entries


@dataclass
class RollCallRow:
    member: object
    ballot: object | None

    @property
    def status(self) -> str:
        if not self.member.is_present:
            return "absent"
        return self.ballot.choice if self.ballot else "not_voted"


@dataclass
class RollCall:
    session: object
    rows: list[RollCallRow]
    count: object
    rules: object


def roll_call(*, pk: int) -> RollCall:
    """A session with every deputy's vote, in three queries whatever the maslikhat's size."""
    from budgets.lifecycle import VoteCount, VoteRules
    from budgets.models import Ballot, BallotChoice, SessionMember, VotingSession

    session = get_object_or_404(
        # The page's breadcrumb walks the unit's ancestors: four parents reach the top.
        VotingSession.objects.select_related(
            "draft__cycle__unit__parent__parent__parent__parent",
            "district",
            "opened_by",
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
    choices = [ballot.choice for ballot in ballots.values()]
    count = VoteCount(
        total=session.total_deputies,
        present=sum(1 for row in rows if row.member.is_present),
        for_=choices.count(BallotChoice.FOR),
        against=choices.count(BallotChoice.AGAINST),
        abstain=choices.count(BallotChoice.ABSTAIN),
    )
    rules = VoteRules(
        session.quorum_numerator,
        session.quorum_denominator,
        session.majority_numerator,
        session.majority_denominator,
    )
    return RollCall(session=session, rows=rows, count=count, rules=rules)


def deputy_sessions(*, user) -> QuerySet:
    """Sessions of the maslikhats the user sits in, open ones first."""
    from accounts.models import Role, RoleMembership
    from budgets.models import VotingSession

    districts = (
        RoleMembership.objects.current()
        .filter(user=user, role__in=(Role.MASLIKHAT_DEPUTY, Role.MASLIKHAT_CHAIRMAN))
        .values("unit_id")
    )
    return (
        VotingSession.objects.filter(district_id__in=districts)
        .select_related("draft__cycle__unit", "district")
        .order_by(models.F("closed_at").desc(nulls_first=True), "-opens_at")
    )


def drafts_awaiting_vote(*, user) -> list:
    """Drafts submitted to the maslikhats the user chairs, with no open session."""
    from accounts.models import Role, RoleMembership
    from budgets.models import VotingSession

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
    from budgets.services import maslikhat_district

    return [
        draft
        for draft in drafts
        if (district := maslikhat_district(draft.cycle.unit)) is not None
        and district.pk in districts
    ]


# The execution of the adopted budget: plan against actual, quarter by quarter.


def percentage(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal rounded half up; None for no whole."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class QuarterExecution:
    quarter: int
    # The report first, then its corrections, in the order they were recorded.
    entries: list = field(default_factory=list)

    @property
    def is_reported(self) -> bool:
        return bool(self.entries)

    @property
    def total(self) -> Decimal | None:
        if not self.entries:
            return None
        return sum((entry.amount for entry in self.entries), ZERO)

    @property
    def latest(self):
        return self.entries[-1] if self.entries else None


@dataclass
class LineExecution:
    line: BudgetLine
    quarters: list[QuarterExecution]
    # Every entry of the line, oldest first, each with `total_after`: its quarter's total
    # once it was recorded.
    history: list = field(default_factory=list)

    @property
    def plan(self) -> Decimal:
        return self.line.amount

    @property
    def actual(self) -> Decimal:
        return sum((q.total for q in self.quarters if q.is_reported), ZERO)

    @property
    def percentage(self) -> Decimal | None:
        return percentage(self.actual, self.plan)


@dataclass
class PlanActual:
    """A sum of lines, planned and executed, and its share of the whole it belongs to."""

    plan: Decimal = ZERO
    actual: Decimal = ZERO
    plan_share: Decimal | None = None
    actual_share: Decimal | None = None

    @property
    def percentage(self) -> Decimal | None:
        return percentage(self.actual, self.plan)

    def add(self, execution: LineExecution) -> None:
        self.plan += execution.plan
        self.actual += execution.actual


@dataclass
class FunctionExecution(PlanActual):
    group: int | None = None

    @property
    def label(self) -> str:
        if self.group is None:
            return gettext("Not assigned to a function")
        return FUNCTIONAL_GROUPS[self.group]


@dataclass
class ExecutionView:
    cycle: BudgetCycle
    draft: DraftBudget
    revenue: list[LineExecution] = field(default_factory=list)
    expenditure: list[LineExecution] = field(default_factory=list)
    total_revenue: PlanActual = field(default_factory=PlanActual)
    own_revenue: PlanActual = field(default_factory=PlanActual)
    transfers: PlanActual = field(default_factory=PlanActual)
    total_expenditure: PlanActual = field(default_factory=PlanActual)
    functions: list[FunctionExecution] = field(default_factory=list)
    # Per quarter: (quarter, revenue received, expenditure spent).
    by_quarter: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)

    @property
    def lines(self) -> list[LineExecution]:
        return [*self.revenue, *self.expenditure]

    def line(self, pk: int) -> LineExecution | None:
        return next((e for e in self.lines if e.line.pk == pk), None)

    @property
    def has_entries(self) -> bool:
        return any(execution.history for execution in self.lines)


def adopted_draft(cycle: BudgetCycle) -> DraftBudget | None:
    """The draft the maslikhat approved, from the cycle's drafts (prefetched by
    `cycle_get`)."""
    for draft in cycle.drafts.all():
        if draft.status == DraftStatus.APPROVED:
            return draft
    return None


def _shares(first: PlanActual, second: PlanActual, whole: PlanActual) -> None:
    """Each part's share of the whole, so that the two always add up to 100.0."""
    for amount in ("plan", "actual"):
        share = percentage(getattr(second, amount), getattr(whole, amount))
        setattr(second, f"{amount}_share", share)
        setattr(first, f"{amount}_share", None if share is None else 100 - share)


def execution_view(cycle: BudgetCycle) -> ExecutionView | None:
    """Plan against actual for every line of the adopted draft, with each line's history,
    the revenue split between own revenue and transfers, and spending by function; in two
    queries after `cycle_get`, whatever the number of lines and entries. None before the
    maslikhat has approved a draft.

    Spending by function groups the expenditure lines by the functional group of their
    classification (01 general public services … 13 other), which the administrator keeps
    as the hundreds of the entry's position: the programme codes themselves all begin with
    the administrator "124" and say nothing of the function.
    """
    draft = adopted_draft(cycle)
    if draft is None:
        return None
    draft.cycle = cycle
    lines = list(draft.lines.select_related("classification"))
    entries: dict[int, list] = {}
    for entry in ExecutionEntry.objects.filter(line__draft=draft).order_by(
        "recorded_at", "pk"
    ):
        entries.setdefault(entry.line_id, []).append(entry)
    view = ExecutionView(cycle=cycle, draft=draft)
    functions: dict[int | None, FunctionExecution] = {}
    quarter_sums = {q: [ZERO, ZERO] for q in (1, 2, 3, 4)}
    for line in lines:
        line.draft = draft
        execution = _line_execution(line, entries.get(line.pk, []))
        is_revenue = line.classification.kind == ClassificationKind.REVENUE
        for quarter in execution.quarters:
            if quarter.is_reported:
                quarter_sums[quarter.quarter][0 if is_revenue else 1] += quarter.total
        if is_revenue:
            view.revenue.append(execution)
            view.total_revenue.add(execution)
            (
                view.transfers if line.classification.is_transfer else view.own_revenue
            ).add(execution)
        else:
            view.expenditure.append(execution)
            view.total_expenditure.add(execution)
            group = line.classification.functional_group
            functions.setdefault(group, FunctionExecution(group=group)).add(execution)
    _shares(view.own_revenue, view.transfers, view.total_revenue)
    view.functions = sorted(
        functions.values(), key=lambda f: (f.group is None, f.group or 0)
    )
    for function in view.functions:
        function.plan_share = percentage(function.plan, view.total_expenditure.plan)
        function.actual_share = percentage(
            function.actual, view.total_expenditure.actual
        )
    view.by_quarter = [(q, *sums) for q, sums in quarter_sums.items()]
    return view


def _line_execution(line: BudgetLine, entries: list) -> LineExecution:
    quarters = [QuarterExecution(quarter=q) for q in (1, 2, 3, 4)]
    running = dict.fromkeys((1, 2, 3, 4), ZERO)
    for entry in entries:
        entry.line = line
        running[entry.quarter] += entry.amount
        entry.total_after = running[entry.quarter]
        quarters[entry.quarter - 1].entries.append(entry)
    return LineExecution(line=line, quarters=quarters, history=entries)
