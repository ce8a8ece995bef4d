"""The pages of proposals cost the same number of queries with 20 proposals as with 2,000:
the lists (searched, filtered, sorted), a proposal's page with its comments, replies,
photos, review and decision, the akimat's queue, the moderators' queue and a resident's
own proposals. And the search finds Russian word forms and Kazakh prefixes on
PostgreSQL, exact fragments elsewhere."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from proposals import selectors
from proposals.models import (
    ContentReport,
    PhotoKind,
    Proposal,
    ProposalComment,
    ProposalPhoto,
    ProposalStatus,
    Review,
)
from tests.accounts.factories import MembershipFactory, ResidencyFactory, make_iin
from tests.kept import without_token
from tests.proposals.conftest import DAY_IN, at, make_submitted
from tests.proposals.factories import (
    ContentReportFactory,
    ProposalCommentFactory,
    ProposalFactory,
    ProposalPhotoFactory,
    ReviewFactory,
    supports_bulk_create,
)

S = ProposalStatus
SIZES = (20, 2000)
# While the akimat reviews: after the approved fixture's decision of 8 May.
READ_AT = at(2026, 5, 12)
STATUSES = (S.UNDER_REVIEW, S.RECOMMENDED, S.APPROVED, S.WITHDRAWN, S.UNDER_REVIEW)


def build(*, cycle, function, author, staff, size: int) -> dict:
    """`size` public proposals of `author` for the cycle, in several statuses, each
    supported by two residents and reported by one; every proposal under review has
    its review, every other one assigned, a fifth overdue."""
    unit = cycle.unit
    supporters = [
        ResidencyFactory(
            place=unit, budget_unit=unit, user__iin=make_iin(7000 + 10 * index)
        ).user
        for index in range(2)
    ]
    reporter = supporters[0]
    since = at(2026, 3, 2)
    Proposal.objects.bulk_create(
        ProposalFactory.build(
            cycle=cycle,
            unit=unit,
            place=unit,
            function=function,
            title=f"Bulk proposal {index}: lights",
            description="Lamps for the street, and a bench.",
            status=STATUSES[index % len(STATUSES)],
            author=author,
            created_at=since,
            submitted_at=since + datetime.timedelta(minutes=index),
            cost_estimate=100_000 + index,
        )
        for index in range(size)
    )
    made = list(
        Proposal.objects.filter(title__startswith="Bulk proposal").order_by("pk")
    )
    assert len(made) == size
    supports_bulk_create((p, user) for p in made for user in supporters)
    ContentReport.objects.bulk_create(
        ContentReportFactory.build(proposal=p, reporter=reporter, reason="Spam")
        for p in made
    )
    Review.objects.bulk_create(
        ReviewFactory.build(
            proposal=p,
            started_on=datetime.date(2026, 5, 1),
            deadline=datetime.date(2026, 5, 11 if index % 5 == 0 else 26),
            reviewer=staff if index % 2 else None,
        )
        for index, p in enumerate(made)
        if p.status == S.UNDER_REVIEW
    )
    return {"proposals": made, "supporters": supporters}


def discuss(proposal, *, resident, staff, size: int) -> int:
    """Comments on the proposal, each answered by a resident and by the akimat, some
    reported; and its photos. More of each at the larger size."""
    count = 2 if size == SIZES[0] else 20
    ProposalComment.objects.bulk_create(
        ProposalCommentFactory.build(
            proposal=proposal, author=resident, body=f"Comment {n}"
        )
        for n in range(count)
    )
    comments = list(
        ProposalComment.objects.filter(proposal=proposal, reply_to=None).order_by("pk")
    )
    ProposalComment.objects.bulk_create(
        ProposalCommentFactory.build(
            proposal=proposal,
            reply_to=comment,
            author=author,
            body="An answer",
            is_official=author == staff,
        )
        for comment in comments
        for author in (resident, staff)
    )
    ContentReport.objects.bulk_create(
        ContentReportFactory.build(
            proposal=proposal, comment=comment, reporter=staff, reason="Rude"
        )
        for comment in comments
    )
    ProposalPhoto.objects.bulk_create(
        ProposalPhotoFactory.build(
            proposal=proposal,
            kind=PhotoKind.PROPOSAL,
            image=f"proposals/{proposal.pk}/{n}.jpg",
            caption=f"Photo {n}",
        )
        for n in range(1 if size == SIZES[0] else 3)
    )
    return count


@pytest.fixture
def reader(neighbour):
    return neighbour


@pytest.fixture
def moderator_of_region(territory):
    return MembershipFactory(role=Role.MODERATOR, unit=territory["region"]).user


def list_url(cycle, query=""):
    return reverse("proposals:cycle_list", args=[cycle.unit.kato_code, 2027]) + query


# Each page, who reads it, and the queries it costs at any size: the public reads
# without a session; a signed-in reader adds the session, the user, their roles and
# unread notices, and what the page asks of them.
PAGES = {
    "cycle_list": ("anonymous", lambda c, p: list_url(c)),
    "cycle_list_search": ("anonymous", lambda c, p: list_url(c, "?q=lights")),
    "cycle_list_status": (
        "anonymous",
        lambda c, p: list_url(c, "?status=under_review"),
    ),
    "cycle_list_supported": (
        "anonymous",
        lambda c, p: list_url(c, "?sort=supported&page=2"),
    ),
    "cycle_list_resident": ("resident", lambda c, p: list_url(c, "?sort=supported")),
    "unit_list": (
        "anonymous",
        lambda c, p: reverse("proposals:unit_list", args=[c.unit.kato_code]),
    ),
    "detail": ("anonymous", lambda c, p: p.get_absolute_url()),
    "detail_resident": ("resident", lambda c, p: p.get_absolute_url()),
    "review_queue": (
        "staff",
        lambda c, p: reverse("proposals:review_queue", args=[c.unit.kato_code]),
    ),
    "report_queue": ("moderator", lambda c, p: reverse("proposals:report_queue")),
    "mine": ("author", lambda c, p: reverse("proposals:mine")),
}
PINNED = {
    # The cycle's keys (for the kept parts' key); the cycle and its unit's ancestors,
    # its phases, its drafts; the form's functions and places; the count and the page
    # of proposals (with their support counts).
    "cycle_list": 8,
    "cycle_list_search": 8,
    "cycle_list_status": 8,
    "cycle_list_supported": 8,
    # Plus the session, the user, their supports on the page, their unread notices.
    "cycle_list_resident": 12,
    # The unit, its cycles (which of them takes proposals now), the form's functions
    # and places, the count and the page.
    "unit_list": 6,
    # The proposal's unit (for the kept page's key); the proposal with its review,
    # decision, lines and people; its photos; the cycle's state; the unit's ancestors;
    # the timeline; the count of the comments, a page of them and their replies.
    "detail": 9,
    # The proposal (with its unit, review and cycle's state), the session, the user,
    # their support, their following, their residency, their moderator's and staff
    # roles, their unread notices, the count of the comments, a page of them and their
    # replies; and, to draw the parts kept for every reader, the proposal with all its
    # page shows, its photos, its cycle's state and unit, its timeline.
    "detail_resident": 17,
    # The session, the user, the unit, their staff role, the count, the counts of the
    # queues, the unread notices, the page.
    "review_queue": 8,
    # The session, the user, the units moderated, the count, the unread notices, the
    # page.
    "report_queue": 7,
    # The session, the user, the count, the unread notices, the page.
    "mine": 5,
}


# A page read again: the parts the same for every reader are kept (portal.fragments).
KEPT = {
    # Nothing: the cycle's keys and the drawn parts come from the cache.
    "cycle_list": 0,
    "cycle_list_search": 0,
    "cycle_list_status": 0,
    "cycle_list_supported": 0,
    # The session, the user, their supports on the page (none: the kept parts serve),
    # their unread notices; proposals are not open at READ_AT.
    "cycle_list_resident": 4,
    # The unit (its name and ancestors are drawn; its key is read).
    "unit_list": 1,
    # A visitor's page of a proposal is kept whole.
    "detail": 0,
    # A reader's: the heading and what everyone reads kept; the proposal read light.
    "detail_resident": 12,
}


SHOWN = {
    ("cycle_list_status", 20): 8,
    ("cycle_list_supported", 20): 1,
    ("review_queue", 20): 8,
}


@pytest.mark.parametrize("size", SIZES)
def test_pages_cost_the_same_queries_at_20_and_2000_proposals(
    client,
    approved,
    cycle,
    function,
    resident,
    reader,
    staff,
    moderator_of_region,
    django_assert_num_queries,
    size,
):
    # Given `size` proposals of the resident, and their approved one discussed (built
    # once for every page: building 2,000 is the slow part)
    build(cycle=cycle, function=function, author=resident, staff=staff, size=size)
    comments = discuss(approved, resident=reader, staff=staff, size=size)
    people = {
        "anonymous": None,
        "resident": reader,
        "author": resident,
        "staff": staff,
        "moderator": moderator_of_region,
    }
    for page, (who, url_of) in PAGES.items():
        user = people[who]
        url = url_of(cycle, approved)
        client.logout()
        with time_machine.travel(READ_AT, tick=False):
            if user is not None:
                client.force_login(user)
            # Content types and the like are cached for the life of the process: a
            # first request fills the caches, as they are on a running server.
            assert client.get(url).status_code == 200, page

            # When the page is read, drawn anew (nothing of it kept: portal.fragments)
            cache.clear()
            with django_assert_num_queries(PINNED[page]):
                response = client.get(url)
            # and read again, from what was kept of it
            if page in KEPT:
                with django_assert_num_queries(KEPT[page]):
                    kept = client.get(url)
                assert without_token(kept) == without_token(response), page

        # Then it shows what it should: a full page of 20, except at 20 proposals the 8
        # under review and the one proposal on the second page (20 and the approved one)
        assert response.status_code == 200, page
        html = response.content.decode()
        shown = SHOWN.get((page, size), 20)
        if page.startswith(("cycle_list", "unit_list", "mine")):
            assert html.count('class="proposal-card"') == shown, page
        if page == "cycle_list_status":
            assert html.count('data-testid="proposal-status">under review<') == shown
        if page.startswith("detail"):
            assert html.count('class="comment"') == comments * 2
            assert html.count('class="comment official"') == comments
            assert html.count("<figure>") == (1 if size == SIZES[0] else 3)
            assert 'data-testid="decision"' in html
            assert 'data-testid="assessment"' in html
        if page in ("review_queue", "report_queue"):
            assert html.count("<tr>") == 1 + shown, page


# The search.


@pytest.fixture
def searchable(cycle, resident, neighbour, function):
    return {
        "ru": make_submitted(
            cycle,
            resident,
            function,
            title="Освещение улицы",
            description="Поставить восемь фонарей на улице Абая.",
        ),
        "kk": make_submitted(
            cycle,
            neighbour,
            function,
            title="Жарықтандыру",
            description="Абай көшесіне сегіз шам қою.",
        ),
        "other": make_submitted(
            cycle,
            neighbour,
            function,
            title="Детская площадка",
            description="Детям негде играть.",
        ),
    }


def found(client, cycle, text: str) -> list[str]:
    """The titles the cycle's list shows for a search, and the selector's."""
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        html = client.get(list_url(cycle), {"q": text}).content.decode()
    titles = sorted(
        selectors.proposal_list(cycle=cycle, text=text).values_list("title", flat=True)
    )
    assert [title for title in titles if title in html] == titles
    assert html.count('class="proposal-card"') == len(titles)
    return titles


def test_search_finds_russian_word_forms_and_kazakh_prefixes_on_postgresql(
    client, cycle, searchable
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's full-text search")
    # A Russian word in another form, by its stem
    assert found(client, cycle, "освещения") == ["Освещение улицы"]
    assert found(client, cycle, "Фонари") == ["Освещение улицы"]
    # A Kazakh word by its beginning
    assert found(client, cycle, "жарық") == ["Жарықтандыру"]
    assert found(client, cycle, "көше") == ["Жарықтандыру"]
    # Every word must match; none of them, nothing
    assert found(client, cycle, "освещение абая") == ["Освещение улицы"]
    assert found(client, cycle, "освещение площадка") == []
    assert found(client, cycle, "бассейн") == []


def test_search_finds_exact_fragments_elsewhere(client, cycle, searchable):
    if connection.vendor == "postgresql":
        pytest.skip("the plain search of SQLite")
    # A fragment of a word, Kazakh letters folded or not, in any case
    assert found(client, cycle, "освещ") == ["Освещение улицы"]
    assert found(client, cycle, "ЖАРЫҚ") == ["Жарықтандыру"]
    assert found(client, cycle, "жарык") == ["Жарықтандыру"]
    # Another form of the word is not a fragment of it
    assert found(client, cycle, "освещения") == []
    assert found(client, cycle, "освещение абая") == ["Освещение улицы"]
    assert found(client, cycle, "освещение площадка") == []
