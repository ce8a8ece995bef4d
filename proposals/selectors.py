"""Reads of proposals: lists with their search, filters and counts, a proposal with all that
its page shows, its public timeline, and the queues of the akimat and the moderators.

Not found: a `*_get` read, for the pages, raises Http404 when nothing matches; a `*_find`
read (a form's optional reference) and an `*_api_get` read answer None, the API turning
None into its own NotFound."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, RoleMembership
from budgets.models import BudgetCycle, BudgetLine, ClassificationKind
from budgets.selectors import (
    cycle_given_state_days,
    cycle_state,
    with_cycle_state_days,
    with_state_days,
)
from portal import search
from portal.models import AdministrativeUnit, AuditEvent
from proposals.lifecycle import INCLUDABLE_DRAFT_STATUSES
from proposals.models import (
    COMMENT_EDIT_MINUTES,
    ContentReport,
    PhotoKind,
    Proposal,
    ProposalComment,
    ProposalFollower,
    ProposalStatus,
    ReportStatus,
    Support,
)

S = ProposalStatus
# A proposal's page shows its comments by pages of this many (each with its replies):
# the most discussed have thousands.
COMMENTS_PER_PAGE = 50

SORTS = {
    "newest": ("-submitted_at", "-pk"),
    "supported": ("-support_count", "-submitted_at", "-pk"),
}

# PostgreSQL has a Russian dictionary and none for Kazakh: Russian words are matched by their
# stem, Kazakh (and any) words by their prefix in the simple dictionary.
SEARCH_CONFIGS = ("russian", "simple")
_WORDS = re.compile(r"\w+", re.UNICODE)


def search_vector():
    """The vector of the title and description in both dictionaries, computed by the
    PostgreSQL function of migration 0002 whose GIN index serves the search."""
    return Func(
        F("title"),
        F("description"),
        function="proposal_search_vector",
        output_field=SearchVectorField(),
    )


def proposal_search(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Proposals whose title or description matches every word of the text."""
    words = _WORDS.findall(text.casefold())[:10]
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        prefix = " & ".join(f"{word}:*" for word in words)
        query = SearchQuery(
            " & ".join(words), config="russian", search_type="raw"
        ) | SearchQuery(prefix, config="simple", search_type="raw")
        # An alias, not an annotation: the vector is only matched (by the GIN index of
        # migration 0002 on the same expression), never computed for the page.
        return queryset.alias(search=search_vector()).filter(search=query)
    for word in words:
        queryset = queryset.filter(search_text__contains=search.normalize(word))
    return queryset


def support_counts_counted() -> Coalesce:
    """Each proposal's supports counted from the rows, for the check of the count kept
    on the proposal (`manage.py check_aggregates`)."""
    return Coalesce(
        Subquery(
            Support.objects.filter(proposal=OuterRef("pk"))
            .order_by()
            .values("proposal")
            .annotate(count=Count("*"))
            .values("count")
        ),
        Value(0),
    )


def support_count_differences() -> QuerySet:
    """The proposals whose kept support count is not the number of their supports, as
    (pk, kept, counted): none, when every act kept it."""
    return (
        Proposal.objects.annotate(counted=support_counts_counted())
        .exclude(support_count=F("counted"))
        .order_by("pk")
        .values_list("pk", "support_count", "counted")
    )


def proposal_list(
    *,
    cycle=None,
    unit: AdministrativeUnit | None = None,
    text: str = "",
    status: str = "",
    function_id: int | None = None,
    place_id: int | None = None,
    sort: str = "newest",
) -> QuerySet[Proposal]:
    """The public proposals of a cycle or a unit, searched, filtered and sorted."""
    queryset = Proposal.objects.public()
    if cycle is not None:
        # A cycle is one unit's: filtering on the unit as well would only make PostgreSQL
        # misjudge (tenfold) how many rows the two filters leave, and pick worse plans.
        queryset = queryset.filter(cycle=cycle)
    elif unit is not None:
        queryset = queryset.filter(unit=unit)
    if status:
        queryset = queryset.filter(status=status)
    if function_id:
        queryset = queryset.filter(function_id=function_id)
    if place_id:
        queryset = queryset.filter(place_id=place_id)
    if text:
        # Hidden content is never found by what it says.
        queryset = proposal_search(queryset.filter(is_hidden=False), text)
    return queryset.select_related("function", "place", "cycle").order_by(
        *SORTS.get(sort, SORTS["newest"])
    )


def unit_cycles(*, unit: AdministrativeUnit) -> QuerySet[BudgetCycle]:
    """The unit's cycles, the earliest year first, each with what its state is derived
    from: the page of the unit's proposals asks which of them takes proposals now."""
    return (
        with_state_days(BudgetCycle.objects.filter(unit=unit))
        .select_related("unit")
        .order_by("fiscal_year")
    )


def supported_ids(*, user, proposal_ids: Iterable[int]) -> set[int]:
    """Which of these proposals the user supports: one query, none for a visitor or
    no proposal."""
    proposal_ids = list(proposal_ids)
    if not user.is_authenticated or not proposal_ids:
        return set()
    return set(
        Support.objects.filter(user=user, proposal_id__in=proposal_ids).values_list(
            "proposal_id", flat=True
        )
    )


def proposal_unit_id(*, pk: int) -> int:
    """The key of the unit a proposal belongs to, for the page that reads a kept fragment
    first (portal.fragments): kept in the cache, since a proposal never moves to another
    unit; 404 when there is none."""
    key = f"proposal-unit:{pk}"
    unit_id = cache.get(key)
    if unit_id is None:
        unit_id = (
            Proposal.objects.filter(pk=pk).values_list("unit_id", flat=True).first()
        )
        if unit_id is None:
            raise Http404
        cache.set(key, unit_id, PROPOSAL_UNIT_KEPT_SECONDS)
    return unit_id


PROPOSAL_UNIT_KEPT_SECONDS = 24 * 60 * 60


def proposal_act_get(*, pk: int) -> Proposal:
    """A proposal for an act on it that shows nothing of it (a support, a follow): its
    unit, and its cycle with what its state is derived from, in one light query rather
    than `proposal_get`'s page of joins; 404 when there is none."""
    return _with_cycle_state(Proposal.objects.select_related("unit", "cycle"), pk)


def proposal_reader_get(*, pk: int) -> Proposal:
    """A proposal for a signed-in reader's page, whose parts the same for everyone are
    kept (`proposal_shown`, drawn from `proposal_get`): its unit with the ancestors the
    rules ask (a moderator's region), its review, and its cycle with what its state is
    derived from, in one light query; 404 when there is none."""
    return _with_cycle_state(
        Proposal.objects.select_related(
            "unit__parent__parent__parent__parent", "cycle", "review"
        ),
        pk,
    )


def _with_cycle_state(proposals: QuerySet[Proposal], pk: int) -> Proposal:
    proposal = get_object_or_404(with_cycle_state_days(proposals), pk=pk)
    cycle_given_state_days(proposal)
    return proposal


def proposal_get(*, pk: int) -> Proposal:
    """A proposal with everything its page shows, in one query (photos and its cycle
    apart); its cycle carries what its state is derived from, so that asking the phase
    (the page, the rules of proposals.permissions) costs no other query."""
    return get_object_or_404(
        Proposal.objects.all()
        .select_related(
            "unit__parent__parent__parent__parent",
            "place",
            "function",
            "author",
            "registered_by",
            "review__reviewer",
            "decision__decided_by",
            "implementation",
            "included_line__draft",
            "included_line__classification",
            "funding_line__draft",
            "funding_line__classification",
        )
        .prefetch_related(
            "photos",
            Prefetch("cycle", queryset=with_state_days(BudgetCycle.objects.all())),
        ),
        pk=pk,
    )


def proposal_page(*, proposal: Proposal, user, comments_page=None) -> dict:
    """What a proposal's page shows besides the proposal itself: what everyone reads
    (`proposal_shown`) and what is the reader's (`proposal_reader_parts`)."""
    return proposal_shown(proposal=proposal) | proposal_reader_parts(
        proposal=proposal, user=user, comments_page=comments_page
    )


def proposal_shown(*, proposal: Proposal) -> dict:
    """What a proposal's page shows the same to every reader: where its cycle is, the
    review, the decision and the work done, the photos and the public timeline (of a
    proposal read with `proposal_get`)."""
    state = cycle_state(proposal.cycle)
    photos = proposal.photos.all()
    return {
        "state": state,
        "phase": state.phase,
        **proposal_review_shown(proposal=proposal),
        "decision": getattr(proposal, "decision", None),
        "implementation": getattr(proposal, "implementation", None),
        "photos": [photo for photo in photos if photo.kind == PhotoKind.PROPOSAL],
        "work_photos": [
            photo for photo in photos if photo.kind == PhotoKind.IMPLEMENTATION
        ],
        "timeline": proposal_timeline(proposal),
    }


def proposal_review_shown(*, proposal: Proposal) -> dict:
    """Its review, and whether it is overdue today."""
    review = getattr(proposal, "review", None)
    return {
        "review": review,
        "is_overdue": review is not None and review.is_overdue_on(timezone.localdate()),
    }


def proposal_reader_parts(*, proposal: Proposal, user, comments_page=None) -> dict:
    """What a proposal's page shows its reader: a page of the comments (the first
    unless `comments_page` names another), which they may edit, and whether they
    support and follow it."""
    return {
        "comments": Paginator(proposal_comments(proposal), COMMENTS_PER_PAGE).get_page(
            comments_page
        ),
        "has_supported": has_supported(user=user, proposal=proposal),
        "is_following": is_following(user=user, proposal=proposal),
        # A comment written after this moment may still be edited by its author.
        "edit_cutoff": timezone.now()
        - datetime.timedelta(minutes=COMMENT_EDIT_MINUTES),
    }


def proposal_comments(proposal: Proposal) -> QuerySet[ProposalComment]:
    """The comments on a proposal, each with its replies, in two queries."""
    return (
        ProposalComment.objects.filter(proposal=proposal, reply_to__isnull=True)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=ProposalComment.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )


def comment_page_number(comment: ProposalComment) -> int:
    """The page of its proposal's comments that shows this comment (a reply is shown
    under the comment it answers)."""
    thread = comment.reply_to or comment
    before = ProposalComment.objects.filter(
        Q(created_at__lt=thread.created_at)
        | Q(created_at=thread.created_at, pk__lt=thread.pk),
        proposal_id=comment.proposal_id,
        reply_to__isnull=True,
    ).count()
    return before // COMMENTS_PER_PAGE + 1


def comment_get(*, proposal: Proposal, pk: int) -> ProposalComment:
    """A comment on the proposal, with its author; not found on any other."""
    return get_object_or_404(
        ProposalComment.objects.select_related("author"), pk=pk, proposal=proposal
    )


def comment_find(*, proposal: Proposal, pk: int) -> ProposalComment | None:
    """A comment on the proposal, or None when it has none by that key."""
    return ProposalComment.objects.filter(pk=pk, proposal=proposal).first()


PUBLIC_VERBS = (
    "proposal.submitted",
    "proposal.registered",
    "proposal.withdrawn",
    "proposal.under_review",
    "proposal.recommended",
    "proposal.not_recommended",
    "proposal.approved",
    "proposal.rejected",
    "proposal.included",
    "proposal.funded",
    "proposal.in_progress",
    "proposal.implemented",
    "proposal.hidden",
    "proposal.restored",
    "review.overdue",
)


def proposal_timeline(proposal: Proposal) -> QuerySet[AuditEvent]:
    """The proposal's public history, read from the audit trail, oldest first."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Proposal),
            target_id=str(proposal.pk),
            verb__in=PUBLIC_VERBS,
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def is_following(*, user, proposal: Proposal) -> bool:
    return (
        user.is_authenticated
        and ProposalFollower.objects.filter(proposal=proposal, user=user).exists()
    )


def has_supported(*, user, proposal: Proposal) -> bool:
    return (
        user.is_authenticated
        and Support.objects.filter(proposal=proposal, user=user).exists()
    )


def my_proposals(*, user) -> QuerySet[Proposal]:
    """A resident's own proposals, those staff registered for them by IIN included."""
    condition = Q(author=user)
    if user.iin_digest:
        condition |= Q(author_iin_digest=user.iin_digest)
    return (
        Proposal.objects.filter(condition)
        .select_related("cycle", "unit")
        .order_by("-created_at", "-pk")
    )


# The akimat's queues.

QUEUES = {
    "review": (S.UNDER_REVIEW,),
    "decision": (S.RECOMMENDED, S.NOT_RECOMMENDED),
    "inclusion": (S.APPROVED,),
    "implementation": (S.INCLUDED, S.FUNDED, S.IN_PROGRESS),
}


def review_queue(*, unit: AdministrativeUnit, queue: str) -> QuerySet[Proposal]:
    """A unit's proposals awaiting an act of the akimat, the nearest deadline first."""
    return (
        Proposal.objects.filter(unit=unit, status__in=QUEUES[queue])
        .select_related("review__reviewer", "function", "place", "cycle")
        .order_by("review__deadline", "pk")
    )


def queue_counts(*, unit: AdministrativeUnit) -> dict[str, int]:
    counts = dict(
        Proposal.objects.filter(unit=unit)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return {
        name: sum(counts.get(status, 0) for status in statuses)
        for name, statuses in QUEUES.items()
    }


def unit_reviewers(*, unit: AdministrativeUnit):
    """Whom a review of the unit's proposals may be given: its active akimat staff, never
    its akim, who decides on them (nor a member of the staff who is the akim as well).
    The rule asks this very query (proposals.permissions.is_reviewer_for)."""
    from accounts.models import User

    memberships = RoleMembership.objects.current().filter(
        user=OuterRef("pk"), unit=unit
    )
    return User.objects.filter(
        Exists(memberships.filter(role=Role.AKIMAT_STAFF)),
        ~Exists(memberships.filter(role=Role.AKIM)),
        is_active=True,
    ).order_by("last_name", "first_name", "pk")


# The moderators' queue.


def moderated_units(*, user) -> QuerySet[AdministrativeUnit]:
    """The units a moderator covers: those of their memberships and every unit below them
    (the same scope as accounts.permissions.is_moderator_for)."""
    roots = list(
        RoleMembership.objects.current()
        .filter(user=user, role=Role.MODERATOR)
        .values_list("unit_id", flat=True)
    )
    condition = Q(pk__in=roots)
    path = "parent"
    # KATO has at most five levels: four steps up reach the region.
    for _step in range(4):
        condition |= Q(**{f"{path}__in": roots})
        path += "__parent"
    return (
        AdministrativeUnit.objects.filter(condition)
        if roots
        else (AdministrativeUnit.objects.none())
    )


def report_queue(*, user) -> QuerySet[ContentReport]:
    units = moderated_units(user=user)
    return (
        ContentReport.objects.filter(status=ReportStatus.OPEN, proposal__unit__in=units)
        .select_related("proposal__unit", "comment__author", "reporter")
        .order_by("created_at", "pk")
    )


def open_reports(
    *, proposal: Proposal, comment: ProposalComment | None
) -> QuerySet[ContentReport]:
    """The open reports of the proposal itself (comment None) or of one of its comments,
    with who reported them."""
    return ContentReport.objects.filter(
        proposal=proposal, comment=comment, status=ReportStatus.OPEN
    ).select_related("reporter")


def report_get(*, pk: int) -> ContentReport:
    return get_object_or_404(
        ContentReport.objects.select_related("proposal__unit"), pk=pk
    )


# The akimat including an approved proposal in the draft budget.


@dataclass(frozen=True)
class Inclusion:
    """The expenditure lines of the cycle's current drafts a proposal may be included in
    (the latest version first), and the line of its own function, offered first."""

    lines: QuerySet[BudgetLine]
    suggested: BudgetLine | None

    @property
    def has_lines(self) -> bool:
        return self.lines.exists()


def proposal_inclusion(*, proposal: Proposal) -> Inclusion:
    lines = (
        BudgetLine.objects.filter(
            draft__cycle=proposal.cycle,
            draft__status__in=INCLUDABLE_DRAFT_STATUSES,
            classification__kind=ClassificationKind.EXPENDITURE,
        )
        .select_related("draft", "classification")
        .order_by("-draft__version", "classification__position", "classification__code")
    )
    return Inclusion(
        lines=lines,
        suggested=lines.filter(classification=proposal.function_id).first(),
    )


def export_proposals(cycle) -> QuerySet:
    """The public proposals of a cycle for the open data (proposals.opendata), oldest
    first, with their support count, review, decision, budget lines and implementation,
    in one query of plain values. Never the author's account, IIN digest or e-mail."""
    return (
        Proposal.objects.public()
        .filter(cycle=cycle)
        .order_by("submitted_at", "pk")
        .values(
            "pk",
            "submitted_at",
            "status",
            "is_hidden",
            "hidden_reason",
            "title",
            "description",
            "address",
            "place__kato_code",
            "place__name_kk",
            "place__name_ru",
            "function__code",
            "function__name_kk",
            "function__name_ru",
            "cost_estimate",
            "support_count",
            "review__started_on",
            "review__deadline",
            "review__completed_at",
            "review__assessment",
            "review__is_within_competence",
            "review__assessed_cost",
            "review__feasibility",
            "review__reasons",
            "decision__decision",
            "decision__reason",
            "decision__decided_at",
            "included_line__classification__code",
            "included_line__draft__version",
            "funding_line__classification__code",
            "funding_line__draft__version",
            "implementation__amount_spent",
            "implementation__reported_at",
            "implementation__text",
        )
    )


# The public API's reads: submitted proposals only, a fixed number of queries.


def proposal_api_list() -> QuerySet[Proposal]:
    """Every public proposal with its support count, unit, cycle, place and function:
    one query a page."""
    return Proposal.objects.public().select_related(
        "cycle", "unit", "place", "function"
    )


def proposal_api_get(*, pk: int) -> Proposal | None:
    """A public proposal with all that its API answer shows, in two queries (photos
    apart): the author and the acting staff are not even read."""
    return (
        Proposal.objects.public()
        .select_related(
            "cycle",
            "unit",
            "place",
            "function",
            "review",
            "decision",
            "implementation",
            "included_line__draft",
            "included_line__classification",
            "funding_line__draft",
            "funding_line__classification",
        )
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )


def decision_api_list() -> QuerySet:
    """The akim's decisions on public proposals, newest first: one query a page."""
    from proposals.models import AkimDecision

    return (
        AkimDecision.objects.filter(proposal__submitted_at__isnull=False)
        .select_related("proposal__cycle", "proposal__unit")
        .order_by("-decided_at", "-pk")
    )
