"""Proposals on the transparency dashboard (portal.dashboard) and on the execution page
(budgets.extensions): the participation funnel and the reviews against their deadline, for
one unit's cycle of a year or summed over several units; and the proposals each budget
line pays for.

What is counted: every public proposal of the cycle, that is every one submitted
(`submitted_at` set; drafts are private and never counted), withdrawn and hidden ones
included: a hidden proposal exists and went through its stages, only its content is not
shown. The stages, each counting the proposals that reached it whatever happened after:

- submitted: every public proposal;
- supported: those with at least one resident's support;
- recommended: those the akimat's review assessed as recommended;
- approved: those the akim approved (status approved, or later: included, funded, in
  progress, implemented). The akim may approve a proposal the review did not recommend,
  so this count is not always below the one before;
- included: those included in a line of the draft budget (or later);
- funded: those whose line is in the adopted budget (funded, in progress, implemented);
- implemented: those reported done.

Beside the funnel, other outcomes: withdrawn by the author, assessed as not recommended
by the review (the akim may still approve or reject it, so it may be counted again as
approved or rejected), rejected by the akim.

Reviews (one per proposal, from the start of the review phase), as the proposal's page
judges them (`Review.is_overdue_on`): completed on time (on or before the deadline, by the
day in Kazakhstan's time), completed late, open within the deadline, open past it. The
overdue ones are the late and the open past the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from budgets.extensions import (
    LineCompanion,
    register_draft_projects,
    register_line_companion,
)
from budgets.models import DraftStatus
from portal import charts, dashboard
from portal.dashboard import COUNT, RATE, AreaFigures, Column, format_figure
from portal.models import AdministrativeUnit
from proposals.models import Assessment, Proposal, ProposalStatus, Review, Support

S = ProposalStatus

APPROVED_OR_LATER = (S.APPROVED, S.INCLUDED, S.FUNDED, S.IN_PROGRESS, S.IMPLEMENTED)
INCLUDED_OR_LATER = (S.INCLUDED, S.FUNDED, S.IN_PROGRESS, S.IMPLEMENTED)
FUNDED_OR_LATER = (S.FUNDED, S.IN_PROGRESS, S.IMPLEMENTED)

# (key, label, definition) of each stage, in the funnel's order.
STAGES = (
    (
        "submitted",
        _("Submitted"),
        _("Every proposal submitted for the year, withdrawn and hidden ones included."),
    ),
    (
        "supported",
        _("Supported"),
        _("Supported by at least one resident."),
    ),
    (
        "recommended",
        _("Recommended"),
        _("Assessed as recommended by the akimat's review."),
    ),
    (
        "approved",
        _("Approved"),
        _(
            "Approved by the akim, whatever happened after. The akim may approve a "
            "proposal the review did not recommend."
        ),
    ),
    (
        "included",
        _("Included"),
        _("Included in a line of the draft budget, whatever happened after."),
    ),
    (
        "funded",
        _("Funded"),
        _("Its line is in the adopted budget: funded, in progress or implemented."),
    ),
    (
        "implemented",
        _("Implemented"),
        _("Reported done by the akimat."),
    ),
)
LEFT = (
    ("withdrawn", _("Withdrawn by the author")),
    ("not_recommended", _("Assessed as not recommended by the review")),
    ("rejected", _("Rejected by the akim")),
)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    definition: str
    count: int


@dataclass
class Funnel:
    submitted: int = 0
    supported: int = 0
    recommended: int = 0
    approved: int = 0
    included: int = 0
    funded: int = 0
    implemented: int = 0
    withdrawn: int = 0
    not_recommended: int = 0
    rejected: int = 0

    def add(self, other: Funnel) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def stages(self) -> list[Stage]:
        return [
            Stage(key, str(label), str(definition), getattr(self, key))
            for key, label, definition in STAGES
        ]

    @property
    def left(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), getattr(self, key)) for key, label in LEFT]

    @property
    def chart(self) -> charts.BarChart:
        return charts.bar_chart(
            chart_id="chart-funnel",
            title=gettext("Participation funnel"),
            description=gettext(
                "One bar per stage, from the proposals submitted to those implemented, "
                "with the number of proposals that reached it; the table beside the "
                "chart gives the same figures and what each stage counts."
            ),
            groups=[
                charts.GroupInput(
                    label=stage.label,
                    bars=[
                        charts.BarInput(
                            stage.count,
                            ngettext(
                                "%(count)s proposal",
                                "%(count)s proposals",
                                stage.count,
                            )
                            % {"count": format_figure(stage.count, COUNT)},
                            "count",
                        )
                    ],
                )
                for stage in self.stages
            ],
        )


@dataclass
class Reviews:
    started: int = 0
    on_time: int = 0
    late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    def add(self, other: Reviews) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def overdue(self) -> int:
        return self.late + self.open_overdue


def _public(unit_ids: Sequence[int], fiscal_year: int):
    return Proposal.objects.public().filter(
        unit_id__in=unit_ids, cycle__fiscal_year=fiscal_year
    )


def funnels(*, unit_ids: Sequence[int], fiscal_year: int) -> dict[int, Funnel]:
    """Each unit's funnel for its cycle of the year, by unit id: one query, whatever the
    number of units, proposals and supports. Units without proposals are absent."""
    supported = Exists(Support.objects.filter(proposal=OuterRef("pk")))
    rows = (
        _public(unit_ids, fiscal_year)
        .values("unit_id")
        .annotate(
            submitted=Count("pk"),
            supported=Count("pk", filter=Q(supported)),
            recommended=Count(
                "pk",
                filter=Q(
                    review__completed_at__isnull=False,
                    review__assessment=Assessment.RECOMMENDED,
                ),
            ),
            approved=Count("pk", filter=Q(status__in=APPROVED_OR_LATER)),
            included=Count("pk", filter=Q(status__in=INCLUDED_OR_LATER)),
            funded=Count("pk", filter=Q(status__in=FUNDED_OR_LATER)),
            implemented=Count("pk", filter=Q(status=S.IMPLEMENTED)),
            withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN)),
            not_recommended=Count(
                "pk",
                filter=Q(
                    review__completed_at__isnull=False,
                    review__assessment=Assessment.NOT_RECOMMENDED,
                ),
            ),
            rejected=Count("pk", filter=Q(status=S.REJECTED)),
        )
        .order_by()
    )
    return {row.pop("unit_id"): Funnel(**row) for row in rows}


def reviews(
    *, unit_ids: Sequence[int], fiscal_year: int, today=None
) -> dict[int, Reviews]:
    """Each unit's reviews of the year's proposals against their deadline on `today`
    (Kazakhstan's date by default): one query. A review completed on the day of its
    deadline, by the clock in Kazakhstan, is on time."""
    today = today or timezone.localdate()
    completed = Q(completed_at__isnull=False)
    rows = (
        Review.objects.filter(
            proposal__unit_id__in=unit_ids,
            proposal__cycle__fiscal_year=fiscal_year,
            proposal__submitted_at__isnull=False,
        )
        .values(unit_id=F("proposal__unit_id"))
        .annotate(
            started=Count("pk"),
            on_time=Count(
                "pk", filter=completed & Q(completed_at__date__lte=F("deadline"))
            ),
            late=Count(
                "pk", filter=completed & Q(completed_at__date__gt=F("deadline"))
            ),
            open_in_time=Count(
                "pk", filter=Q(completed_at__isnull=True, deadline__gte=today)
            ),
            open_overdue=Count(
                "pk", filter=Q(completed_at__isnull=True, deadline__lt=today)
            ),
        )
        .order_by()
    )
    return {row.pop("unit_id"): Reviews(**row) for row in rows}


@dataclass
class Participation:
    """The participation section: of one unit's cycle, or summed over an area."""

    funnel: Funnel = field(default_factory=Funnel)
    reviews: Reviews = field(default_factory=Reviews)
    # One unit's cycle, whose proposals the section links to (none over an area). The
    # address itself is made when the page is drawn, in the reader's language: a
    # snapshot's figures are read in every language.
    kato_code: str = ""
    fiscal_year: int | None = None

    @property
    def has_proposals(self) -> bool:
        return self.funnel.submitted > 0

    @property
    def list_url(self) -> str:
        if not (self.kato_code and self.has_proposals):
            return ""
        return reverse(
            "proposals:cycle_list",
            kwargs={"kato_code": self.kato_code, "fiscal_year": self.fiscal_year},
        )


def unit_participation(*, unit: AdministrativeUnit, fiscal_year: int) -> Participation:
    """The funnel and the reviews of the unit's cycle of the year: two queries."""
    funnel = funnels(unit_ids=[unit.pk], fiscal_year=fiscal_year).get(unit.pk, Funnel())
    return Participation(
        funnel=funnel,
        reviews=reviews(unit_ids=[unit.pk], fiscal_year=fiscal_year).get(
            unit.pk, Reviews()
        ),
        kato_code=unit.kato_code,
        fiscal_year=fiscal_year,
    )


COLUMNS = (
    Column("proposals_submitted", _("Proposals submitted"), COUNT),
    Column("proposals_approved", _("Proposals approved"), COUNT),
    Column("proposals_implemented", _("Proposals implemented"), COUNT),
    Column("proposals_per_thousand", _("Proposals per 1,000 residents"), RATE),
)


def area_participation(
    *, units: Sequence[AdministrativeUnit], fiscal_year: int
) -> AreaFigures:
    """The funnels and reviews summed over the units, and each unit's counts for the
    comparison: two queries whatever the number of units."""
    unit_ids = [unit.pk for unit in units]
    by_funnel = funnels(unit_ids=unit_ids, fiscal_year=fiscal_year)
    by_reviews = reviews(unit_ids=unit_ids, fiscal_year=fiscal_year)
    total = Participation()
    values = {}
    for unit in units:
        funnel = by_funnel.get(unit.pk, Funnel())
        total.funnel.add(funnel)
        total.reviews.add(by_reviews.get(unit.pk, Reviews()))
        values[unit.pk] = {
            "proposals_submitted": funnel.submitted,
            "proposals_approved": funnel.approved,
            "proposals_implemented": funnel.implemented,
            "proposals_per_thousand": (
                (Decimal(funnel.submitted * 1000) / unit.population).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
                if unit.population
                else None
            ),
        }
    return AreaFigures(total=total, by_unit=values)


# What each budget line pays for, on the execution page and the citizen's budget.


def funded_proposals(line_ids: Sequence[int]) -> dict[int, list[LineCompanion]]:
    """The proposals each line funds (funded, in progress or implemented), in one query;
    a hidden one is shown as such, without its title."""
    companions: dict[int, list[LineCompanion]] = {}
    for pk, line_id, status, title, is_hidden in (
        Proposal.objects.public()
        .filter(funding_line_id__in=line_ids, status__in=FUNDED_OR_LATER)
        .order_by("funding_line_id", "pk")
        .values_list("pk", "funding_line_id", "status", "title", "is_hidden")
    ):
        companions.setdefault(line_id, []).append(
            LineCompanion(
                title="" if is_hidden else title,
                status_label=S(status).label,
                url=reverse("proposals:detail", kwargs={"pk": pk}),
                hidden_label=_("Hidden proposal"),
            )
        )
    return companions


def draft_projects(draft, lines: Sequence) -> dict[int, list[LineCompanion]]:
    """The residents' projects a version of the draft pays for, by the id of its line, in
    one query: in the adopted version, the proposals its lines fund; in any other, the
    proposals included in a line of this version or of an earlier one, under this
    version's line of the same classification entry (as `proposals_fund` matches them at
    the adoption). A hidden one is shown as such, without its title."""
    proposals = Proposal.objects.public()
    if draft.status == DraftStatus.APPROVED:
        by_line = {line.pk: line.pk for line in lines}
        rows = proposals.filter(
            funding_line_id__in=by_line, status__in=FUNDED_OR_LATER
        ).values_list("pk", "funding_line_id", "status", "title", "is_hidden")
    else:
        by_line = {line.classification_id: line.pk for line in lines}
        rows = proposals.filter(
            cycle_id=draft.cycle_id,
            status__in=(S.INCLUDED, *FUNDED_OR_LATER),
            included_line__classification_id__in=by_line,
            included_line__draft__version__lte=draft.version,
        ).values_list(
            "pk", "included_line__classification_id", "status", "title", "is_hidden"
        )
    projects: dict[int, list[LineCompanion]] = {}
    for pk, key, status, title, is_hidden in rows.order_by("pk"):
        projects.setdefault(by_line[key], []).append(
            LineCompanion(
                title="" if is_hidden else title,
                status_label=S(status).label,
                url=reverse("proposals:detail", kwargs={"pk": pk}),
                hidden_label=_("Hidden proposal"),
            )
        )
    return projects


register_line_companion(funded_proposals)
register_draft_projects(draft_projects)
dashboard.register(
    dashboard.Section(
        key="participation",
        position=20,
        template="proposals/dashboard/participation.html",
        area_template="proposals/dashboard/participation_area.html",
        unit_figures=unit_participation,
        area_figures=area_participation,
        columns=COLUMNS,
    )
)
