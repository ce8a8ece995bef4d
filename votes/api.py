"""The public read-only API of the residents' votes: the votes with their status, a vote
with its frozen rules, its ballot and (once counted) its result, and a counted vote's
anonymised ballots, as its page and its open data give them."""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, generics, serializers

from portal.api import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    KatoCodeFilter,
    TrueFalseFilter,
    UnitReferenceSerializer,
    YearFilter,
    absolute_url,
)
from votes import selectors
from votes.lifecycle import VoteStatus
from votes.models import Ballot, BallotKind, CountingRule, Outcome, Vote


def _vote_kwargs(vote: Vote) -> dict:
    return {
        "kato_code": vote.cycle.unit.kato_code,
        "fiscal_year": vote.cycle.fiscal_year,
    }


class VoteSummarySerializer(serializers.Serializer):
    unit = UnitReferenceSerializer(source="cycle.unit")
    fiscal_year = serializers.IntegerField(source="cycle.fiscal_year")
    status = serializers.SerializerMethodField()
    starts_on = serializers.DateField(
        help_text="Voting opens at the start of this day."
    )
    ends_on = serializers.DateField(help_text="Voting closes at the end of this day.")
    amount = serializers.IntegerField(help_text="The amount set aside, whole tenge.")
    ballot_kind = serializers.ChoiceField(choices=BallotKind.choices)
    rule = serializers.ChoiceField(choices=CountingRule.choices)
    is_counted = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=VoteStatus.choices))
    def get_status(self, vote: Vote) -> str:
        return selectors.vote_status(vote)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, vote: Vote) -> str:
        return absolute_url(
            self.context.get("request"),
            reverse("api:residents_vote_detail", kwargs=_vote_kwargs(vote)),
        )


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The project's id, as in the .pb file.")
    title = serializers.CharField()
    cost = serializers.IntegerField(help_text="Whole tenge.")
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    added_by_akimat_reason = serializers.CharField(source="reason")
    votes = serializers.IntegerField(allow_null=True, help_text="Once counted.")
    selected = serializers.SerializerMethodField()
    round = serializers.IntegerField(allow_null=True)
    price_per_supporter = serializers.CharField(
        source="price", help_text="An exact fraction of tenge, under equal shares."
    )
    supporters_paying = serializers.IntegerField(source="payers", allow_null=True)
    greedy_selected = serializers.BooleanField(allow_null=True)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_selected(self, project) -> bool | None:
        return project.outcome == Outcome.SELECTED if project.outcome else None


class VoteDetailSerializer(VoteSummarySerializer):
    min_choices = serializers.IntegerField()
    max_choices = serializers.IntegerField()
    points_total = serializers.IntegerField(allow_null=True)
    points_max = serializers.IntegerField(allow_null=True)
    threshold_votes = serializers.IntegerField(allow_null=True)
    threshold_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True
    )
    threshold_applied = serializers.IntegerField(allow_null=True)
    min_age = serializers.IntegerField()
    ballot_changeable = serializers.BooleanField()
    cost_cap = serializers.IntegerField(allow_null=True)
    frozen_at = serializers.DateTimeField(source="opened_at", allow_null=True)
    counted_at = serializers.DateTimeField(allow_null=True)
    share = serializers.CharField(
        help_text="Under equal shares: each voter's share, an exact fraction of tenge."
    )
    greedy_stood = serializers.BooleanField()
    ballots_online = serializers.IntegerField()
    ballots_paper = serializers.IntegerField()
    projects = ProjectSerializer(many=True, source="projects_listed")
    pabulib_file = serializers.SerializerMethodField()
    ballots = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pabulib_file(self, vote: Vote) -> str | None:
        if not vote.is_counted:
            return None
        return absolute_url(
            self.context.get("request"),
            reverse("votes:vote_pb", kwargs=_vote_kwargs(vote)),
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_ballots(self, vote: Vote) -> str | None:
        if not vote.is_counted:
            return None
        return absolute_url(
            self.context.get("request"),
            reverse("api:residents_vote_ballots", kwargs=_vote_kwargs(vote)),
        )


class BallotSerializer(serializers.Serializer):
    voter_id = serializers.CharField(source="receipt", help_text="The receipt code.")
    vote = serializers.SerializerMethodField()
    points = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_vote(self, ballot) -> list[int]:
        """The ids of the projects marked."""
        return [choice.project_id for choice in ballot.choices.all()]

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    )
    def get_points(self, ballot) -> list[int] | None:
        """On a points ballot: the points of each project, in the same order."""
        if ballot.vote.ballot_kind != BallotKind.CUMULATIVE:
            return None
        return [choice.points for choice in ballot.choices.all()]


class VoteFilter(filters.FilterSet):
    unit = KatoCodeFilter(
        field_name="cycle__unit__kato_code",
        help_text="The KATO code of the unit.",
    )
    fiscal_year = YearFilter(field_name="cycle__fiscal_year")
    is_counted = TrueFalseFilter(field_name="counted_at", method="filter_counted")

    class Meta:
        model = Vote
        fields: list[str] = []

    def filter_counted(self, queryset, name, value):
        return queryset.filter(counted_at__isnull=not value)


@extend_schema_view(
    get=extend_schema(
        summary="Residents' votes",
        description=(
            "Every residents' vote on projects (the people's participation budget) "
            "with its days, rules and status."
        ),
        responses={200: VoteSummarySerializer(many=True), **LIST_ERRORS},
        tags=["residents' votes"],
    )
)
class VoteList(generics.ListAPIView):
    serializer_class = VoteSummarySerializer
    filterset_class = VoteFilter

    def get_queryset(self):
        return selectors.vote_api_list()


def _vote_or_404(kwargs) -> Vote:
    try:
        return selectors.vote_get(
            kato_code=kwargs["kato_code"], fiscal_year=kwargs["fiscal_year"]
        )
    except Http404:
        raise exceptions.NotFound(_("This budget holds no residents' vote.")) from None


@extend_schema_view(
    get=extend_schema(
        summary="A residents' vote",
        description=(
            "The vote's frozen rules, the projects on its ballot and, once counted, "
            "each project's votes and outcome, under equal shares the round and the "
            "price each supporter paid: the same as its pages."
        ),
        responses={200: VoteDetailSerializer, **DETAIL_ERRORS},
        tags=["residents' votes"],
    )
)
class VoteDetail(generics.RetrieveAPIView):
    serializer_class = VoteDetailSerializer

    def get_object(self):
        vote = _vote_or_404(self.kwargs)
        counts = selectors.ballot_counts(vote)
        vote.ballots_online, vote.ballots_paper = counts["online"], counts["paper"]
        # Before the opening the ballot is still being made: nothing is on it yet.
        vote.projects_listed = selectors.ballot_projects(vote) if vote.is_frozen else []
        return vote


@extend_schema_view(
    get=extend_schema(
        summary="The anonymised ballots of a counted residents' vote",
        description=(
            "Every ballot under its receipt code with the projects it marked: enough "
            "to recount the vote, nothing about who cast it."
        ),
        responses={200: BallotSerializer(many=True), **LIST_ERRORS},
        tags=["residents' votes"],
    )
)
class BallotList(generics.ListAPIView):
    serializer_class = BallotSerializer
    queryset = Ballot.objects.none()  # for the schema: the ballots of a vote below

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        vote = _vote_or_404(self.kwargs)
        if not vote.is_counted:
            raise exceptions.NotFound(
                _("The ballots are published once the vote is counted.")
            )
        return selectors.anonymised_ballots(vote)


vote = "residents-votes/<kato:kato_code>/<year:fiscal_year>/"
urlpatterns = [
    path("residents-votes/", VoteList.as_view(), name="residents_vote_list"),
    path(vote, VoteDetail.as_view(), name="residents_vote_detail"),
    path(vote + "ballots/", BallotList.as_view(), name="residents_vote_ballots"),
]
