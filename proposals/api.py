"""The public read-only API of proposals: submitted proposals with their support, their
public timeline, the akimat's review, the akim's decision and the implementation; and the
akim's decisions. A private draft is never read; of a hidden proposal only its status and
the reason for hiding are given; the author is given only by the name shown on the page."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response

from budgets.api import money
from budgets.models import DraftStatus
from portal import fragments
from portal.api import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    KatoCodeFilter,
    UnitReferenceSerializer,
    YearFilter,
    absolute_url,
    text_filter,
)
from portal.selectors import unit_key
from proposals import selectors
from proposals.codes import AuditVerb
from proposals.models import (
    AkimDecision,
    Assessment,
    Decision,
    PhotoKind,
    Proposal,
    ProposalStatus,
)

PUBLIC_STATUSES = [
    (value, label)
    for value, label in ProposalStatus.choices
    if value != ProposalStatus.DRAFT
]
SORTS = [
    ("newest", _lazy("newest first")),
    ("supported", _lazy("most supported first")),
]


class FunctionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_kk = serializers.CharField()
    name_ru = serializers.CharField()


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitReferenceSerializer()
    fiscal_year = serializers.IntegerField(source="cycle.fiscal_year")
    status = serializers.ChoiceField(choices=PUBLIC_STATUSES)
    support_count = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    is_hidden = serializers.BooleanField(
        help_text=(
            "Hidden by a moderator: the proposal's content is then withheld (null) "
            "and only the reason is given."
        )
    )
    hidden_reason = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    place = UnitReferenceSerializer(
        allow_null=True, help_text="Where in the unit it is to be done."
    )
    address = serializers.CharField(allow_null=True)
    function = FunctionSerializer(
        allow_null=True, help_text="The expenditure function it falls under."
    )
    cost_estimate = money(allow_null=True, help_text="The author's estimate.")
    author_name = serializers.CharField(
        allow_null=True, help_text="The author's name as shown on the proposal."
    )
    is_registered_by_staff = serializers.BooleanField(
        allow_null=True,
        help_text="Registered by the akimat from a request on paper or in person.",
    )
    url = serializers.SerializerMethodField()

    # Of a proposal a moderator hid, only these are given: every other field is null (a
    # list empty) and never even read, so that a field added later is withheld unless it
    # is named here.
    shown_when_hidden = frozenset(
        {
            "id",
            "unit",
            "fiscal_year",
            "status",
            "support_count",
            "submitted_at",
            "is_hidden",
            "hidden_reason",
            "url",
            "timeline",
        }
    )

    def to_representation(self, proposal: Proposal) -> dict:
        if not proposal.is_hidden:
            data = super().to_representation(proposal)
            data["hidden_reason"] = None
            return data
        data = {}
        for name, field in self.fields.items():
            if name not in self.shown_when_hidden:
                data[name] = (
                    [] if isinstance(field, serializers.ListSerializer) else None
                )
                continue
            attribute = field.get_attribute(proposal)
            data[name] = (
                None if attribute is None else field.to_representation(attribute)
            )
        return data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, proposal: Proposal) -> str:
        return absolute_url(
            self.context.get("request"),
            reverse("api:proposal_detail", kwargs={"pk": proposal.pk}),
        )


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    caption = serializers.CharField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo) -> str:
        return absolute_url(self.context.get("request"), photo.image.url)


class ReviewSerializer(serializers.Serializer):
    started_on = serializers.DateField()
    deadline = serializers.DateField()
    is_overdue = serializers.SerializerMethodField(
        help_text="Past its deadline and not completed, or completed after it."
    )
    completed_at = serializers.DateTimeField(allow_null=True)
    assessment = serializers.ChoiceField(choices=Assessment.choices, allow_null=True)
    is_within_competence = serializers.BooleanField(allow_null=True)
    assessed_cost = money(allow_null=True)
    feasibility = serializers.CharField(allow_null=True)
    reasons = serializers.CharField(allow_null=True)

    assessment_fields = (
        "completed_at",
        "assessment",
        "is_within_competence",
        "assessed_cost",
        "feasibility",
        "reasons",
    )

    def to_representation(self, review) -> dict:
        data = super().to_representation(review)
        if review.completed_at is None:
            # Until it is completed, the assessment is the reviewer's working notes.
            for name in self.assessment_fields:
                data[name] = None
        return data

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, review) -> bool:
        return review.is_overdue_on(timezone.localdate())


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField()


class BudgetLineSerializer(serializers.Serializer):
    is_funded = serializers.BooleanField(
        help_text="Funded by the adopted budget, or only included in a draft."
    )
    code = serializers.CharField(source="line.classification.code")
    name_kk = serializers.CharField(source="line.classification.name_kk")
    name_ru = serializers.CharField(source="line.classification.name_ru")
    version = serializers.IntegerField(source="line.draft.version")
    amount = serializers.SerializerMethodField(
        help_text=(
            "The amount of the whole line; null while the version is still being "
            "prepared."
        )
    )

    @extend_schema_field(money(allow_null=True))
    def get_amount(self, item) -> str | None:
        line = item["line"]
        if line.draft.status == DraftStatus.PREPARING:
            return None
        return money().to_representation(line.amount)


class ImplementationSerializer(serializers.Serializer):
    text = serializers.CharField()
    amount_spent = money()
    reported_at = serializers.DateTimeField()
    photos = serializers.SerializerMethodField()

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, implementation) -> list:
        return PhotoSerializer(
            self.context["work_photos"], many=True, context=self.context
        ).data


TIMELINE_VERBS = [(verb, verb) for verb in selectors.PUBLIC_VERBS]


class TimelineEventSerializer(serializers.Serializer):
    verb = serializers.ChoiceField(choices=TIMELINE_VERBS)
    at = serializers.DateTimeField(source="created_at")
    status = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    line = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ChoiceField(choices=PUBLIC_STATUSES, allow_null=True)
    )
    def get_status(self, event) -> str | None:
        status = event.details.get("status")
        return status if status in dict(PUBLIC_STATUSES) else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_deadline(self, event) -> str | None:
        deadline = event.details.get("deadline")
        return deadline if isinstance(deadline, str) else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, event) -> int | None:
        version = event.details.get("version")
        return version if isinstance(version, int) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_line(self, event) -> str | None:
        line = event.details.get("line")
        return str(line) if line is not None else None

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="A moderator's reason for hiding or restoring."
        )
    )
    def get_reason(self, event) -> str | None:
        # Only the moderators' reasons, as on the page: the akim's is in `decision`.
        if event.verb in (AuditVerb.PROPOSAL_HIDDEN, AuditVerb.PROPOSAL_RESTORED):
            return str(event.details.get("reason", ""))
        return None


class ProposalDetailSerializer(ProposalSerializer):
    description = serializers.CharField(allow_null=True)
    photos = PhotoSerializer(
        many=True, source="place_photos", help_text="Photos of the place."
    )
    review = serializers.SerializerMethodField(help_text="The akimat's review.")
    decision = serializers.SerializerMethodField(help_text="The akim's decision.")
    budget_line = serializers.SerializerMethodField(
        help_text="The budget line that includes or funds it."
    )
    implementation = serializers.SerializerMethodField(help_text="What was done.")
    timeline = TimelineEventSerializer(many=True)

    def to_representation(self, proposal: Proposal) -> dict:
        if not proposal.is_hidden:
            photos = list(proposal.photos.all())
            proposal.place_photos = [p for p in photos if p.kind == PhotoKind.PROPOSAL]
            self.context["work_photos"] = [
                p for p in photos if p.kind == PhotoKind.IMPLEMENTATION
            ]
        proposal.timeline = selectors.proposal_timeline(proposal)
        return super().to_representation(proposal)

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_review(self, proposal: Proposal) -> dict | None:
        review = getattr(proposal, "review", None)
        return None if review is None else ReviewSerializer(review).data

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, proposal: Proposal) -> dict | None:
        decision = getattr(proposal, "decision", None)
        return None if decision is None else DecisionSerializer(decision).data

    @extend_schema_field(BudgetLineSerializer(allow_null=True))
    def get_budget_line(self, proposal: Proposal) -> dict | None:
        line = proposal.funding_line or proposal.included_line
        if line is None:
            return None
        return BudgetLineSerializer(
            {"line": line, "is_funded": proposal.funding_line_id is not None}
        ).data

    @extend_schema_field(ImplementationSerializer(allow_null=True))
    def get_implementation(self, proposal: Proposal) -> dict | None:
        implementation = getattr(proposal, "implementation", None)
        if implementation is None:
            return None
        return ImplementationSerializer(implementation, context=self.context).data


class ProposalFilter(filters.FilterSet):
    unit = KatoCodeFilter(
        field_name="unit__kato_code", help_text="The unit's KATO code."
    )
    fiscal_year = YearFilter(field_name="cycle__fiscal_year")
    status = filters.ChoiceFilter(choices=PUBLIC_STATUSES)
    function = text_filter(
        method="filter_function",
        max_length=20,
        help_text="The code of the expenditure function.",
    )
    place = KatoCodeFilter(
        method="filter_place",
        help_text="The KATO code of the place within the unit.",
    )
    q = text_filter(
        method="filter_text",
        max_length=100,
        help_text="Words of the title or description.",
    )
    sort = filters.ChoiceFilter(choices=SORTS, method="filter_sort")

    class Meta:
        model = Proposal
        fields: list[str] = []

    # Hidden content is never found by what it says, where it is or what it is for.

    def filter_function(self, queryset, name, value):
        return queryset.filter(is_hidden=False, function__code=value)

    def filter_place(self, queryset, name, value):
        return queryset.filter(is_hidden=False, place__kato_code=value)

    def filter_text(self, queryset, name, value):
        return selectors.proposal_search(queryset.filter(is_hidden=False), value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*selectors.SORTS[value])


@extend_schema_view(
    get=extend_schema(
        summary="Proposals",
        description=(
            "Every submitted proposal (withdrawn ones included; a private draft never), "
            "with its status and support. Of a hidden proposal only the status, the "
            "support and the moderator's reason are given."
        ),
        responses={200: ProposalSerializer(many=True), **LIST_ERRORS},
        tags=["proposals"],
    )
)
class ProposalList(generics.ListAPIView):
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter

    def get_queryset(self):
        return selectors.proposal_api_list().order_by(*selectors.SORTS["newest"])

    def list(self, request, *args, **kwargs):
        # A unit's proposals are the same for every client: drawn once per change of
        # the unit's data, address (filters, page) and language, and kept
        # (portal.fragments); a refused filter is answered, never kept.
        unit_id = unit_key(kato_code=request.query_params.get("unit", ""))
        if unit_id is None:
            return super().list(request, *args, **kwargs)
        data = fragments.kept(
            fragments.key(unit_id, "api-proposals", request.build_absolute_uri()),
            lambda: super(ProposalList, self).list(request, *args, **kwargs).data,
        )
        return Response(data)


@extend_schema_view(
    get=extend_schema(
        summary="A proposal",
        description=(
            "A submitted proposal with its photos, its public timeline, the akimat's "
            "review (once completed, its assessment), the akim's decision and reason, "
            "its budget line and what was done."
        ),
        responses={200: ProposalDetailSerializer, **DETAIL_ERRORS},
        tags=["proposals"],
    )
)
class ProposalDetail(generics.RetrieveAPIView):
    serializer_class = ProposalDetailSerializer

    def get_object(self):
        proposal = selectors.proposal_api_get(pk=self.kwargs["pk"])
        if proposal is None:
            raise exceptions.NotFound(_("There is no public proposal so numbered."))
        return proposal


class AkimDecisionSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal_id")
    unit = UnitReferenceSerializer(source="proposal.unit")
    fiscal_year = serializers.IntegerField(source="proposal.cycle.fiscal_year")
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.SerializerMethodField(
        help_text="Withheld (null) while the proposal is hidden by a moderator."
    )
    decided_at = serializers.DateTimeField()
    proposal_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, decision: AkimDecision) -> str | None:
        return None if decision.proposal.is_hidden else decision.reason

    @extend_schema_field(OpenApiTypes.URI)
    def get_proposal_url(self, decision: AkimDecision) -> str:
        return absolute_url(
            self.context.get("request"),
            reverse("api:proposal_detail", kwargs={"pk": decision.proposal_id}),
        )


class DecisionFilter(filters.FilterSet):
    unit = KatoCodeFilter(
        field_name="proposal__unit__kato_code",
        help_text="The unit's KATO code.",
    )
    fiscal_year = YearFilter(field_name="proposal__cycle__fiscal_year")
    decision = filters.ChoiceFilter(choices=Decision.choices)

    class Meta:
        model = AkimDecision
        fields: list[str] = []


@extend_schema_view(
    get=extend_schema(
        summary="The akim's decisions on proposals",
        description="Each decision with its public reason, newest first.",
        responses={200: AkimDecisionSerializer(many=True), **LIST_ERRORS},
        tags=["proposals"],
    )
)
class DecisionList(generics.ListAPIView):
    serializer_class = AkimDecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self):
        return selectors.decision_api_list()


urlpatterns = [
    path("proposals/", ProposalList.as_view(), name="proposal_list"),
    path("proposals/<number:pk>/", ProposalDetail.as_view(), name="proposal_detail"),
    path("decisions/", DecisionList.as_view(), name="decision_list"),
]
