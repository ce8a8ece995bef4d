"""The public read-only API of the maslikhat's votes: each voting session with its count
or result, a session with its roll call, and the sessions of a cycle in the cycle's own
representation (budgets' `CycleDetailSerializer`, through budgets/extensions.py)."""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers

from maslikhat import selectors
from maslikhat.models import BallotChoice, SessionOutcome, VotingSession
from portal.api import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    KatoCodeFilter,
    TrueFalseFilter,
    UnitReferenceSerializer,
    YearFilter,
    absolute_url,
)


class SessionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(source="draft.version")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ChoiceField(choices=SessionOutcome.choices, allow_null=True)
    )
    def get_outcome(self, session: VotingSession) -> str | None:
        # The result is public once the session is closed, as on its page.
        return session.outcome if session.is_closed else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, session: VotingSession) -> str:
        return absolute_url(
            self.context.get("request"),
            reverse("api:session_detail", kwargs={"pk": session.pk}),
        )


@extend_schema_field(SessionSummarySerializer(many=True))
class CycleSessionsField(serializers.Field):
    """A cycle's voting sessions, newest first: the `voting_sessions` of the API's cycle."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, cycle) -> list:
        sessions = selectors.cycle_sessions(cycle).select_related("draft")
        return SessionSummarySerializer(sessions, many=True, context=self.context).data


class SessionSerializer(SessionSummarySerializer):
    unit = UnitReferenceSerializer(source="draft.cycle.unit")
    fiscal_year = serializers.IntegerField(source="draft.cycle.fiscal_year")
    district = UnitReferenceSerializer()
    is_closed = serializers.BooleanField()
    total_deputies = serializers.IntegerField()
    # Counted by `VotingSession.objects.with_counts()`.
    present = serializers.IntegerField()
    votes_for = serializers.IntegerField()
    votes_against = serializers.IntegerField()
    votes_abstain = serializers.IntegerField()


ROLL_CALL_STATUSES = [
    *BallotChoice.choices,
    ("not_voted", _lazy("did not vote")),
    ("absent", _lazy("absent")),
]


class RollCallRowSerializer(serializers.Serializer):
    deputy = serializers.SerializerMethodField(help_text="The deputy's name.")
    vote = serializers.ChoiceField(choices=ROLL_CALL_STATUSES, source="status")
    absence_reason = serializers.CharField(source="member.absence_reason")

    def get_deputy(self, row) -> str:
        deputy = row.member.deputy
        return deputy.get_full_name() or deputy.public_name


class RulesSerializer(serializers.Serializer):
    quorum_numerator = serializers.IntegerField()
    quorum_denominator = serializers.IntegerField()
    majority_numerator = serializers.IntegerField()
    majority_denominator = serializers.IntegerField()
    present_needed = serializers.IntegerField()
    votes_needed = serializers.IntegerField()


class SessionDetailSerializer(SessionSerializer):
    not_voted = serializers.IntegerField()
    is_open_now = serializers.BooleanField()
    quorum_reached = serializers.BooleanField()
    rules = RulesSerializer()
    roll_call = RollCallRowSerializer(many=True)

    def to_representation(self, call) -> dict:
        # The session is fetched with its counts (`with_counts`): the list's fields.
        session, count, rules = call.session, call.count, call.rules
        session.not_voted = count.not_voted
        session.is_open_now = (
            not session.is_closed
            and session.opens_at <= timezone.now() < session.closes_at
        )
        session.quorum_reached = rules.quorum_reached(count)
        session.rules = {
            "quorum_numerator": rules.quorum_numerator,
            "quorum_denominator": rules.quorum_denominator,
            "majority_numerator": rules.majority_numerator,
            "majority_denominator": rules.majority_denominator,
            "present_needed": rules.present_needed(session.total_deputies),
            "votes_needed": rules.votes_needed(session.total_deputies),
        }
        session.roll_call = call.rows
        return super().to_representation(session)


class SessionFilter(filters.FilterSet):
    unit = KatoCodeFilter(
        field_name="draft__cycle__unit__kato_code",
        help_text="The KATO code of the unit whose budget is voted on.",
    )
    fiscal_year = YearFilter(field_name="draft__cycle__fiscal_year")
    district = KatoCodeFilter(
        field_name="district__kato_code",
        help_text="The KATO code of the maslikhat's district.",
    )
    outcome = filters.ChoiceFilter(choices=SessionOutcome.choices)
    is_closed = TrueFalseFilter(field_name="closed_at", method="filter_closed")

    class Meta:
        model = VotingSession
        fields: list[str] = []

    def filter_closed(self, queryset, name, value):
        return queryset.filter(closed_at__isnull=not value)


@extend_schema_view(
    get=extend_schema(
        summary="Voting sessions of the maslikhats",
        description=(
            "Each sitting of a district maslikhat voting on a draft budget, with its "
            "count so far or its result. The outcome is given once the session is "
            "closed."
        ),
        responses={200: SessionSerializer(many=True), **LIST_ERRORS},
        tags=["maslikhat votes"],
    )
)
class SessionList(generics.ListAPIView):
    serializer_class = SessionSerializer
    filterset_class = SessionFilter

    def get_queryset(self):
        return selectors.session_api_list()


@extend_schema_view(
    get=extend_schema(
        summary="A voting session with its roll call",
        description=(
            "Every deputy of the maslikhat by name with their vote, 'not_voted' or "
            "'absent' (with the reason), the count, the rules and, once closed, the "
            "result: the same as the session's public page."
        ),
        responses={200: SessionDetailSerializer, **DETAIL_ERRORS},
        tags=["maslikhat votes"],
    )
)
class SessionDetail(generics.RetrieveAPIView):
    serializer_class = SessionDetailSerializer

    def get_object(self):
        try:
            return selectors.roll_call(pk=self.kwargs["pk"])
        except Http404:
            raise exceptions.NotFound(
                _("There is no voting session so numbered.")
            ) from None


urlpatterns = [
    path("voting-sessions/", SessionList.as_view(), name="session_list"),
    path(
        "voting-sessions/<number:pk>/", SessionDetail.as_view(), name="session_detail"
    ),
]
