"""The public read-only API of budgets: cycles and their phases, public draft versions with
their lines and totals, the execution of adopted budgets and the budget classification.
Only what the pages show to everyone: a version being prepared is never read."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers

from budgets import extensions, lifecycle, selectors
from budgets.lifecycle import CycleState
from budgets.models import (
    TIMELINE_PHASES,
    BudgetClassification,
    BudgetCycle,
    ClassificationKind,
    CyclePhase,
    DraftBudget,
    DraftStatus,
    MeetingDecision,
)
from budgets.templatetags.budget_tags import history_text
from portal.api import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    KatoCodeFilter,
    UnitReferenceSerializer,
    YearFilter,
    absolute_url,
)

PUBLIC_DRAFT_STATUSES = [
    (value, label)
    for value, label in DraftStatus.choices
    if value != DraftStatus.PREPARING
]


def money(**kwargs) -> serializers.DecimalField:
    """An amount in tenge, as a string with two decimals ("2400000.00")."""
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)


def share(**kwargs) -> serializers.DecimalField:
    """A percentage with one decimal ("12.5"), null when there is no whole; unbounded,
    as a tiny plan may be overspent many times over."""
    return serializers.DecimalField(
        max_digits=None, decimal_places=1, allow_null=True, **kwargs
    )


def cycle_url(request, unit_kato: str, fiscal_year: int) -> str:
    return absolute_url(
        request,
        reverse(
            "api:cycle_detail",
            kwargs={"kato_code": unit_kato, "fiscal_year": fiscal_year},
        ),
    )


def draft_url(request, unit_kato: str, fiscal_year: int, version: int) -> str:
    return absolute_url(
        request,
        reverse(
            "api:draft_detail",
            kwargs={
                "kato_code": unit_kato,
                "fiscal_year": fiscal_year,
                "version": version,
            },
        ),
    )


# Cycles.


class PhaseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[(p.value, p.label) for p in TIMELINE_PHASES]
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class MeetingSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    members_total = serializers.IntegerField()
    members_present = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=MeetingDecision.choices)
    remarks = serializers.CharField()
    minutes_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_minutes_url(self, meeting) -> str:
        draft = meeting.draft
        return absolute_url(
            self.context.get("request"),
            reverse(
                "budgets:meeting_minutes",
                kwargs={
                    "kato_code": draft.cycle.unit.kato_code,
                    "fiscal_year": draft.cycle.fiscal_year,
                    "version": draft.version,
                },
            ),
        )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PUBLIC_DRAFT_STATUSES)
    is_superseded = serializers.BooleanField(
        help_text="A published version that a later version replaced."
    )
    published_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    meeting = serializers.SerializerMethodField(
        help_text="The local community meeting's decision on this version."
    )
    url = serializers.SerializerMethodField()

    @extend_schema_field(MeetingSerializer(allow_null=True))
    def get_meeting(self, draft: DraftBudget) -> dict | None:
        meeting = getattr(draft, "meeting", None)
        if meeting is None:
            return None
        meeting.draft = draft
        return MeetingSerializer(meeting, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, draft: DraftBudget) -> str:
        cycle = draft.cycle
        return draft_url(
            self.context.get("request"),
            cycle.unit.kato_code,
            cycle.fiscal_year,
            draft.version,
        )


class CycleSerializer(serializers.Serializer):
    unit = UnitReferenceSerializer()
    fiscal_year = serializers.IntegerField()
    phase = serializers.ChoiceField(
        choices=CyclePhase.choices,
        help_text="Derived from the phase dates and the acts recorded on its drafts.",
    )
    is_overdue = serializers.BooleanField(
        help_text="The phase's end date has passed and the act that ends it is not done."
    )
    phase_since = serializers.DateField(allow_null=True)
    phases = PhaseSerializer(many=True)
    versions = VersionSerializer(many=True)
    url = serializers.SerializerMethodField()

    def to_representation(self, cycle: BudgetCycle) -> dict:
        state: CycleState = self.context["states"][cycle.pk]
        for draft in cycle.public_versions:
            draft.cycle = cycle
        selectors.mark_superseded(cycle.public_versions)
        cycle.phase = state.phase
        cycle.is_overdue = state.is_overdue
        cycle.phase_since = state.since
        cycle.versions = cycle.public_versions
        return super().to_representation(cycle)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, cycle: BudgetCycle) -> str:
        return cycle_url(
            self.context.get("request"), cycle.unit.kato_code, cycle.fiscal_year
        )


class HistoryEventSerializer(serializers.Serializer):
    verb = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")
    text = serializers.SerializerMethodField()

    def get_text(self, event) -> str:
        return str(history_text(event))


class CycleDetailSerializer(CycleSerializer):
    history = serializers.SerializerMethodField(
        help_text="The cycle's public history, newest first (the last 50 events)."
    )

    def get_fields(self) -> dict:
        """The cycle's own fields, then those the apps built on budgets add (the
        maslikhat's voting sessions), then its history."""
        fields = super().get_fields()
        history = fields.pop("history")
        for name, field_factory in extensions.CYCLE_API_FIELDS.items():
            fields[name] = field_factory()
        fields["history"] = history
        return fields

    @extend_schema_field(HistoryEventSerializer(many=True))
    def get_history(self, cycle: BudgetCycle) -> list:
        return HistoryEventSerializer(
            selectors.cycle_history(cycle)[:50], many=True
        ).data


class CycleFilter(filters.FilterSet):
    unit = KatoCodeFilter(
        field_name="unit__kato_code", help_text="The unit's KATO code."
    )
    fiscal_year = YearFilter(field_name="fiscal_year")
    phase = filters.ChoiceFilter(
        choices=CyclePhase.choices,
        method="filter_phase",
        help_text="The phase the cycle is in today.",
    )

    class Meta:
        model = BudgetCycle
        fields: list[str] = []

    def filter_phase(self, queryset, name, value):
        return selectors.cycles_in_phase(queryset, phase=value, on=timezone.localdate())


class CycleContextMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["states"] = getattr(self, "states", {})
        return context

    def states_of(self, cycles) -> None:
        today = timezone.localdate()
        self.states = {
            cycle.pk: selectors.cycle_state(cycle, on=today) for cycle in cycles
        }


@extend_schema_view(
    get=extend_schema(
        summary="Budget cycles",
        description=(
            "The budget of each unit for each fiscal year, with the phase it is in today, "
            "its phase dates and its public draft versions. Newest fiscal year first."
        ),
        responses={200: CycleSerializer(many=True), **LIST_ERRORS},
        tags=["budget cycles"],
    )
)
class CycleList(CycleContextMixin, generics.ListAPIView):
    serializer_class = CycleSerializer
    filterset_class = CycleFilter

    def get_queryset(self):
        return selectors.cycle_api_list()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.states_of(page)
        return page


def _cycle_or_404(kato_code: str, fiscal_year: int) -> BudgetCycle:
    cycle = selectors.cycle_api_get(kato_code=kato_code, fiscal_year=fiscal_year)
    if cycle is None:
        raise exceptions.NotFound(_("This unit has no budget cycle for this year."))
    return cycle


@extend_schema_view(
    get=extend_schema(
        summary="A budget cycle",
        description=(
            "A unit's budget for a fiscal year: its phase today, phase dates, public "
            "versions, community meetings, the maslikhat's voting sessions and its "
            "public history."
        ),
        responses={200: CycleDetailSerializer, **DETAIL_ERRORS},
        tags=["budget cycles"],
    )
)
class CycleDetail(CycleContextMixin, generics.RetrieveAPIView):
    serializer_class = CycleDetailSerializer

    def get_object(self):
        cycle = _cycle_or_404(self.kwargs["kato_code"], self.kwargs["fiscal_year"])
        self.states_of([cycle])
        return cycle


# Drafts.


class TotalsSerializer(serializers.Serializer):
    revenue = money()
    transfers = money(help_text="Revenue from transfers of the district budget.")
    own_revenue = money()
    transfer_share = share(help_text="Transfers as a percentage of revenue.")
    expenditure = money()
    deficit = money()
    surplus = money()


class DraftSerializer(VersionSerializer):
    unit = UnitReferenceSerializer(source="cycle.unit")
    fiscal_year = serializers.IntegerField(source="cycle.fiscal_year")
    cash_balance_used = money(help_text="Free cash balances used to finance a deficit.")
    totals = serializers.SerializerMethodField()

    def to_representation(self, draft: DraftBudget) -> dict:
        draft.is_superseded = lifecycle.is_superseded(
            status=draft.status, has_later_public_version=draft.has_later_version
        )
        return super().to_representation(draft)

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, draft: DraftBudget) -> dict:
        return TotalsSerializer(selectors.totals_annotated(draft)).data


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(source="classification.code")
    name_kk = serializers.CharField(source="classification.name_kk")
    name_ru = serializers.CharField(source="classification.name_ru")
    is_transfer = serializers.BooleanField(source="classification.is_transfer")
    functional_group = serializers.IntegerField(
        source="classification.functional_group",
        allow_null=True,
        help_text="The functional group (1 to 15) of an expenditure.",
    )
    amount = money()
    explanation = serializers.CharField()


class DraftDetailSerializer(DraftSerializer):
    note = serializers.CharField(help_text="The explanatory note.")
    revenue = LineSerializer(many=True, source="view.revenue")
    expenditure = LineSerializer(many=True, source="view.expenditure")

    def to_representation(self, draft: DraftBudget) -> dict:
        draft.view = selectors.draft_view(draft)
        return super().to_representation(draft)


class DraftFilter(filters.FilterSet):
    unit = KatoCodeFilter(
        field_name="cycle__unit__kato_code",
        help_text="The unit's KATO code.",
    )
    fiscal_year = YearFilter(field_name="cycle__fiscal_year")
    status = filters.ChoiceFilter(choices=PUBLIC_DRAFT_STATUSES)

    class Meta:
        model = DraftBudget
        fields: list[str] = []


@extend_schema_view(
    get=extend_schema(
        summary="Draft budgets",
        description=(
            "Every public version of every draft budget, with its totals and the "
            "community meeting's decision. A version still being prepared is never "
            "listed."
        ),
        responses={200: DraftSerializer(many=True), **LIST_ERRORS},
        tags=["draft budgets"],
    )
)
class DraftList(generics.ListAPIView):
    serializer_class = DraftSerializer
    filterset_class = DraftFilter

    def get_queryset(self):
        return selectors.draft_api_list()


@extend_schema_view(
    get=extend_schema(
        summary="A draft budget version",
        description="One public version with its revenue and expenditure lines.",
        responses={200: DraftDetailSerializer, **DETAIL_ERRORS},
        tags=["draft budgets"],
    )
)
class DraftDetail(generics.RetrieveAPIView):
    serializer_class = DraftDetailSerializer

    def get_object(self):
        draft = selectors.draft_api_get(
            kato_code=self.kwargs["kato_code"],
            fiscal_year=self.kwargs["fiscal_year"],
            version=self.kwargs["version"],
        )
        if draft is None:
            raise exceptions.NotFound(
                _("This budget has no public version so numbered.")
            )
        return draft


# Execution.


class PlanActualSerializer(serializers.Serializer):
    plan = money()
    actual = money()
    percentage = share(help_text="Actual as a percentage of the plan.")
    plan_share = share(help_text="The plan's share of its whole.")
    actual_share = share(help_text="The actual's share of its whole.")


class FunctionExecutionSerializer(PlanActualSerializer):
    group = serializers.IntegerField(
        allow_null=True, help_text="The functional group, 1 to 15; null when unknown."
    )
    name = serializers.CharField(source="label")


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    total = money(allow_null=True, help_text="Null while the quarter is not reported.")


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    kind = serializers.SerializerMethodField()
    amount = money(
        help_text="A report's amount, or the signed difference a correction makes."
    )
    total_after = money(help_text="The quarter's total once this entry was recorded.")
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()

    @extend_schema_field(
        serializers.ChoiceField(
            choices=[("report", _lazy("report")), ("correction", _lazy("correction"))]
        )
    )
    def get_kind(self, entry) -> str:
        return "correction" if entry.is_correction else "report"


class LineExecutionSerializer(serializers.Serializer):
    line = serializers.IntegerField(source="line.pk")
    code = serializers.CharField(source="line.classification.code")
    name_kk = serializers.CharField(source="line.classification.name_kk")
    name_ru = serializers.CharField(source="line.classification.name_ru")
    is_transfer = serializers.BooleanField(source="line.classification.is_transfer")
    functional_group = serializers.IntegerField(
        source="line.classification.functional_group", allow_null=True
    )
    plan = money()
    actual = money()
    percentage = share()
    quarters = QuarterSerializer(many=True)
    entries = EntrySerializer(many=True, source="history")


class QuarterTotalsSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    revenue = money(help_text="Revenue received in the quarter.")
    expenditure = money(help_text="Expenditure spent in the quarter.")


class ExecutionSerializer(serializers.Serializer):
    unit = UnitReferenceSerializer(source="cycle.unit")
    fiscal_year = serializers.IntegerField(source="cycle.fiscal_year")
    version = serializers.IntegerField(
        source="draft.version", help_text="The adopted version."
    )
    total_revenue = PlanActualSerializer()
    own_revenue = PlanActualSerializer()
    transfers = PlanActualSerializer()
    total_expenditure = PlanActualSerializer()
    by_quarter = serializers.SerializerMethodField()
    functions = FunctionExecutionSerializer(many=True)
    revenue = LineExecutionSerializer(many=True)
    expenditure = LineExecutionSerializer(many=True)

    @extend_schema_field(QuarterTotalsSerializer(many=True))
    def get_by_quarter(self, view) -> list:
        return QuarterTotalsSerializer(
            [
                {"quarter": quarter, "revenue": received, "expenditure": spent}
                for quarter, received, spent in view.by_quarter
            ],
            many=True,
        ).data


@extend_schema_view(
    get=extend_schema(
        summary="Execution of an adopted budget",
        description=(
            "Plan against actual for every line of the adopted version, quarter by "
            "quarter, with every entry the akimat recorded (reports and corrections), "
            "revenue split into own revenue and transfers, and spending by function. "
            "404 until the maslikhat has approved a version."
        ),
        responses={200: ExecutionSerializer, **DETAIL_ERRORS},
        tags=["budget cycles"],
    )
)
class ExecutionDetail(generics.RetrieveAPIView):
    serializer_class = ExecutionSerializer

    def get_object(self):
        cycle = _cycle_or_404(self.kwargs["kato_code"], self.kwargs["fiscal_year"])
        view = selectors.execution_view(cycle)
        if view is None:
            raise exceptions.NotFound(_("No version of this budget is adopted yet."))
        return view


# The budget classification.


class ClassificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ClassificationKind.choices)
    functional_group = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = BudgetClassification
        fields = [
            "kind",
            "code",
            "name_kk",
            "name_ru",
            "is_transfer",
            "is_active",
            "functional_group",
        ]


class ClassificationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ClassificationKind.choices)

    class Meta:
        model = BudgetClassification
        fields: list[str] = []


@extend_schema_view(
    get=extend_schema(
        summary="The budget classification",
        description=(
            "Revenue categories and expenditure functions, by code; an expenditure's "
            "functional group (1 to 15) when known."
        ),
        responses={200: ClassificationSerializer(many=True), **LIST_ERRORS},
        tags=["budget classification"],
    )
)
class ClassificationList(generics.ListAPIView):
    serializer_class = ClassificationSerializer
    filterset_class = ClassificationFilter

    def get_queryset(self):
        return selectors.classification_api_list()


cycle = "cycles/<kato:kato_code>/<year:fiscal_year>/"

urlpatterns = [
    path("cycles/", CycleList.as_view(), name="cycle_list"),
    path(cycle, CycleDetail.as_view(), name="cycle_detail"),
    path(cycle + "execution/", ExecutionDetail.as_view(), name="execution"),
    path("drafts/", DraftList.as_view(), name="draft_list"),
    path(
        "drafts/<kato:kato_code>/<year:fiscal_year>/<number:version>/",
        DraftDetail.as_view(),
        name="draft_detail",
    ),
    path("classification/", ClassificationList.as_view(), name="classification_list"),
]
