"""Budget cycles and their phases, draft budgets with their lines and versions, the public
discussion of a draft, the local community meeting's decision on it and the execution of the
adopted budget. The maslikhat's vote on a draft is the maslikhat app's."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.classification import (  # noqa: F401 - its models are the app's models
    FUNCTIONAL_GROUPS,
    BudgetClassification,
    ClassificationKind,
    functional_group_of,
)
from community.models import MEETING_MEMBERS_MAX, MEETING_MEMBERS_MIN
from portal.models import AdministrativeUnit

MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")


class CyclePhase(models.TextChoices):
    PLANNED = "planned", _("planned")
    PROPOSALS_OPEN = "proposals_open", _("open for proposals")
    REVIEW = "review", _("review of proposals")
    RESIDENTS_VOTE = "residents_vote", _("residents' vote")
    DRAFTING = "drafting", _("drafting the budget")
    PUBLIC_DISCUSSION = "public_discussion", _("public discussion")
    COORDINATION = "coordination", _("coordination by the community meeting")
    MASLIKHAT_VOTE = "maslikhat_vote", _("vote of the maslikhat")
    ADOPTED = "adopted", _("adopted")
    EXECUTION = "execution", _("execution")
    CLOSED = "closed", _("closed")


# The phases every cycle has dates for, in their order. Planned, adopted and closed are
# the gaps between them.
DATED_PHASES = (
    CyclePhase.PROPOSALS_OPEN,
    CyclePhase.REVIEW,
    CyclePhase.DRAFTING,
    CyclePhase.PUBLIC_DISCUSSION,
    CyclePhase.COORDINATION,
    CyclePhase.MASLIKHAT_VOTE,
    CyclePhase.EXECUTION,
)
# A phase a cycle holds only where the akimat sets it up: the residents' vote, between
# the review and the drafting.
OPTIONAL_PHASES = (CyclePhase.RESIDENTS_VOTE,)
# Every dated phase a cycle may hold, in their order.
TIMELINE_PHASES = (
    *DATED_PHASES[:2],
    CyclePhase.RESIDENTS_VOTE,
    *DATED_PHASES[2:],
)
# Phases in which citizens act; their end is never brought forward.
CITIZEN_PHASES = frozenset(
    {
        CyclePhase.PROPOSALS_OPEN,
        CyclePhase.RESIDENTS_VOTE,
        CyclePhase.PUBLIC_DISCUSSION,
    }
)
# Phases that end with an act rather than a date: past their end date they are overdue.
ACT_ENDED_PHASES = frozenset(
    {CyclePhase.DRAFTING, CyclePhase.COORDINATION, CyclePhase.MASLIKHAT_VOTE}
)
PHASE_ORDER = {phase: index for index, phase in enumerate(CyclePhase.values)}


validate_month_day = RegexValidator(
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z",
    message=_("Write the day as MM-DD, for example 03-01."),
    code="month_day_format",
)


def _month_day(label):
    return {"verbose_name": label, "max_length": 5, "validators": [validate_month_day]}


class PhaseCalendar(models.Model):
    """When each phase starts and ends by default, as month and day; one per region.

    The calendar without a region is the national default. A phase's dates fall in the
    year before the fiscal year, except the execution, which is the fiscal year itself.
    """

    region = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phase_calendar",
    )
    proposals_open_start = models.CharField(
        **_month_day(_("proposals open from (MM-DD)")), default="03-01"
    )
    proposals_open_end = models.CharField(
        **_month_day(_("proposals open until (MM-DD)")), default="04-30"
    )
    review_end = models.CharField(
        **_month_day(_("review until (MM-DD)")), default="05-31"
    )
    drafting_end = models.CharField(
        **_month_day(_("drafting until (MM-DD)")), default="09-30"
    )
    public_discussion_end = models.CharField(
        **_month_day(_("public discussion until (MM-DD)")), default="10-31"
    )
    coordination_end = models.CharField(
        **_month_day(_("coordination until (MM-DD)")), default="11-30"
    )
    maslikhat_vote_end = models.CharField(
        **_month_day(_("maslikhat vote until (MM-DD)")), default="12-25"
    )

    class Meta:
        verbose_name = _("phase calendar")
        verbose_name_plural = _("phase calendars")
        constraints = [
            # One-to-one already keeps regions unique; this keeps one national default.
            models.UniqueConstraint(
                Coalesce("region", Value(0)), name="phase_calendar_one_per_region"
            )
        ]

    def __str__(self) -> str:
        return str(self.region) if self.region_id else str(_("national default"))


class BudgetCycle(models.Model):
    """The budget of one unit for one fiscal year, from proposals to its closing."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="budget_cycles",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    # The phase last announced by the clock job or by an act: a record, not the authority.
    # What is allowed at a moment is derived from the dates and acts (budgets.lifecycle).
    announced_phase = models.CharField(
        _("announced phase"),
        max_length=32,
        choices=CyclePhase.choices,
        default=CyclePhase.PLANNED,
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    # The overdue phase the akim was last told of, so that it is told once.
    overdue_notified_phase = models.CharField(
        _("overdue phase announced"), max_length=32, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("budget cycle")
        verbose_name_plural = _("budget cycles")
        ordering = ["-fiscal_year", "unit__kato_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fiscal_year"], name="cycle_one_per_unit_and_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "budgets:cycle_detail",
            kwargs={"kato_code": self.unit.kato_code, "fiscal_year": self.fiscal_year},
        )


class Phase(models.Model):
    """The dates of one phase of a cycle: open from `starts_on` to `ends_on`, both included."""

    cycle = models.ForeignKey(
        BudgetCycle, on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("phase"), max_length=32, choices=CyclePhase.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["cycle", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind"], name="phase_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.starts_on} – {self.ends_on}"


class DraftStatus(models.TextChoices):
    PREPARING = "preparing", _("being prepared")
    PUBLISHED = "published", _("published for discussion")
    COORDINATED = "coordinated", _("coordinated by the community meeting")
    UNDER_VOTE = "under_vote", _("submitted to the maslikhat")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for a new version")


class DraftBudget(models.Model):
    """One version of a cycle's draft budget. Once published, it is never edited again."""

    cycle = models.ForeignKey(
        BudgetCycle, on_delete=models.CASCADE, related_name="drafts"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DraftStatus.choices,
        default=DraftStatus.PREPARING,
    )
    # Free cash balances at the start of the year used to finance a deficit.
    cash_balance_used = models.DecimalField(
        _("free cash balances used"), **MONEY, default=ZERO
    )
    note = models.TextField(_("explanatory note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("draft budget")
        verbose_name_plural = _("draft budgets")
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "version"], name="draft_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(cash_balance_used__gte=0), name="draft_cash_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse(
            "budgets:draft_detail",
            kwargs={
                "kato_code": self.cycle.unit.kato_code,
                "fiscal_year": self.cycle.fiscal_year,
                "version": self.version,
            },
        )

    @property
    def is_editable(self) -> bool:
        return self.status == DraftStatus.PREPARING


class BudgetLine(models.Model):
    """A revenue or expenditure line of one draft version, by its classification entry."""

    draft = models.ForeignKey(
        DraftBudget, on_delete=models.CASCADE, related_name="lines"
    )
    classification = models.ForeignKey(
        BudgetClassification,
        verbose_name=_("classification"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("amount, tenge"), **MONEY)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = [
            "classification__kind",
            "classification__position",
            "classification__code",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "classification"], name="line_one_per_classification"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="line_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.classification.code}: {self.amount}"


# The longest comment or reply on a draft: the form and the services both hold to it.
COMMENT_MAX_LENGTH = 4000


class DraftComment(models.Model):
    """A resident's comment on a published draft or one of its lines, or an official reply."""

    draft = models.ForeignKey(
        DraftBudget, on_delete=models.CASCADE, related_name="comments"
    )
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    is_official = models.BooleanField(_("official reply of the akimat"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class MeetingDecision(models.TextChoices):
    COORDINATED = "coordinated", _("coordinated")
    COORDINATED_WITH_REMARKS = "coordinated_with_remarks", _("coordinated with remarks")
    NOT_COORDINATED = "not_coordinated", _("not coordinated")


def minutes_path(instance: CommunityMeeting, filename: str) -> str:
    return f"meetings/{instance.draft.cycle.unit.kato_code}/{instance.draft.cycle.fiscal_year}-v{instance.draft.version}.pdf"


class CommunityMeeting(models.Model):
    """The local community meeting's decision on one draft version: from the vote of a
    sitting recorded in community, or, where the sitting is not recorded, as counts with
    the minutes uploaded."""

    draft = models.OneToOneField(
        DraftBudget, on_delete=models.PROTECT, related_name="meeting"
    )
    held_on = models.DateField(_("date of the meeting"))
    members_total = models.PositiveSmallIntegerField(
        _("members of the meeting"),
        validators=[
            MinValueValidator(MEETING_MEMBERS_MIN),
            MaxValueValidator(MEETING_MEMBERS_MAX),
        ],
    )
    members_present = models.PositiveSmallIntegerField(_("members present"))
    decision = models.CharField(
        _("decision"), max_length=32, choices=MeetingDecision.choices
    )
    remarks = models.TextField(_("remarks"), blank=True, max_length=10000)
    # Either the sitting's question the decision comes from (its minutes are the
    # sitting's), or the minutes uploaded as a PDF where the sitting is not recorded.
    item = models.OneToOneField(
        "community.SittingItem",
        verbose_name=_("question of the sitting"),
        on_delete=models.PROTECT,
        related_name="draft_decision",
        null=True,
        blank=True,
    )
    minutes = models.FileField(_("minutes (PDF)"), upload_to=minutes_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("community meeting decision")
        verbose_name_plural = _("community meeting decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(members_total__gte=MEETING_MEMBERS_MIN)
                & Q(members_total__lte=MEETING_MEMBERS_MAX),
                name="meeting_members_in_range",
            ),
            models.CheckConstraint(
                condition=Q(members_present__lte=F("members_total")),
                name="meeting_present_not_above_total",
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=False) | ~Q(minutes=""),
                name="meeting_has_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft}: {self.get_decision_display()}"


class CycleFollower(models.Model):
    """Someone who asked to be told what happens to a unit's budget of a year."""

    cycle = models.ForeignKey(
        BudgetCycle, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower of a budget cycle")
        verbose_name_plural = _("followers of budget cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "user"], name="follower_once_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.cycle_id}"


# The execution of the adopted budget, quarter by quarter.

QUARTERS = (1, 2, 3, 4)


class ExecutionEntry(models.Model):
    """What was received or spent on one line of the adopted budget in one quarter.

    The akimat reports each line and quarter once; every later change is a correction, a
    further entry carrying the signed difference, so that the line-quarter total is the sum
    of its entries and the history is never lost. Entries are never edited nor deleted.
    """

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("line"),
        on_delete=models.PROTECT,
        related_name="execution_entries",
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # A report: the amount received or spent, never negative. A correction: the signed
    # difference it makes to the line-quarter total.
    amount = models.DecimalField(_("amount, tenge"), **MONEY)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("execution entry")
        verbose_name_plural = _("execution entries")
        ordering = ["line", "quarter", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="execution_quarter_of_the_year",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=False) | Q(amount__gte=0),
                name="execution_report_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(amount=0),
                name="execution_correction_changes_the_total",
            ),
            models.UniqueConstraint(
                fields=["line", "quarter"],
                condition=Q(corrects__isnull=True),
                name="execution_one_report_per_line_and_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} Q{self.quarter}: {self.amount}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None
