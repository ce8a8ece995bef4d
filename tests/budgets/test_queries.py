"""The cycle page, the draft page and the diff page cost the same number of queries with 10
lines as with 500, with comments and official replies on the lines, for the public and
for staff."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from budgets import services
from budgets.models import BudgetClassification, ClassificationKind
from tests.budgets.conftest import DAY_IN
from tests.kept import without_token

SIZES = (10, 500)


def build_cycle_with_lines(*, cycle, staff, resident, size: int) -> None:
    """Versions 1 and 2 of a draft of `size` lines, both published; version 2 changed
    and discussed: two general comments and one comment on every 25th line (at least
    two), each answered officially."""
    half = size // 2
    entries = BudgetClassification.objects.bulk_create(
        [
            BudgetClassification(
                kind=ClassificationKind.REVENUE,
                code=f"QR{index:04d}",
                name_kk=f"Кіріс {index}",
                name_ru=f"Доход {index}",
                is_transfer=index % 10 == 0,
                position=2000 + index,
            )
            for index in range(half)
        ]
        + [
            BudgetClassification(
                kind=ClassificationKind.EXPENDITURE,
                code=f"QE{index:04d}",
                name_kk=f"Шығыс {index}",
                name_ru=f"Расход {index}",
                position=2000 + index,
            )
            for index in range(size - half)
        ]
    )
    entries = list(
        BudgetClassification.objects.filter(code__startswith="Q").order_by("pk")
    )
    assert len(entries) == size

    def amount(entry, bump=0):
        base = 1_000_000 if entry.kind == ClassificationKind.REVENUE else 900_000
        return Decimal(base + bump)

    with time_machine.travel(DAY_IN["drafting"], tick=False):
        first = services.draft_create(cycle=cycle, actor=staff)
        services.draft_update(
            draft=first,
            lines=[
                services.LineInput(classification=entry, amount=amount(entry))
                for entry in entries
            ],
            cash_balance_used=Decimal(0),
            note="",
            actor=staff,
        )
        services.draft_publish(draft=first, actor=staff)
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        second = services.draft_create(cycle=cycle, actor=staff)
        # Every fifth line changed, the last one removed.
        services.draft_update(
            draft=second,
            lines=[
                services.LineInput(
                    classification=entry,
                    amount=amount(entry, bump=5_000 if index % 5 == 0 else 0),
                )
                for index, entry in enumerate(entries[:-1])
            ],
            cash_balance_used=Decimal(0),
            note="Учтены замечания жителей",
            actor=staff,
        )
        second = services.draft_publish(draft=second, actor=staff)
        commented = list(second.lines.select_related("classification").order_by("pk"))[
            :: min(25, size // 2)
        ]
        comments = [
            services.comment_post(
                draft=second, author=resident, body=f"Общий вопрос {n}"
            )
            for n in range(2)
        ] + [
            services.comment_post(
                draft=second,
                author=resident,
                body=f"Вопрос по строке {line.pk}",
                line=line,
            )
            for line in commented
        ]
        for comment in comments:
            services.comment_reply(comment=comment, author=staff, body="Ответ акимата")
    assert len(commented) == {10: 2, 500: 20}[size]


PAGES = {
    "cycle": ("budgets:cycle_detail", {}, {}),
    "draft": ("budgets:draft_detail", {"version": 2}, {}),
    "diff": ("budgets:draft_diff", {}, {"from": 1, "to": 2}),
}


def _get(client, cycle, page):
    name, extra, query = PAGES[page]
    url = reverse(
        name,
        kwargs={"kato_code": cycle.unit.kato_code, "fiscal_year": 2027, **extra},
    )
    return client.get(url, query)


# The queries each page costs, whatever the number of lines: the public reads without a
# session; staff add the session, the user, their roles and their unread notices.
PINNED = {
    # (+1: the residents' vote's section asks whether the cycle holds one)
    ("cycle", "anonymous"): 8,
    ("cycle", "staff"): 14,
    # (+1: the cycle's keys, for the key of a visitor's kept page)
    ("draft", "anonymous"): 9,
    ("draft", "staff"): 13,
    ("diff", "anonymous"): 5,
    ("diff", "staff"): 9,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("page", "who"), list(PINNED))
def test_page_costs_the_same_queries_at_10_and_500_lines(
    client, cycle, staff, resident, django_assert_num_queries, size, page, who
):
    # Given a cycle whose two versions have `size` lines, discussed
    build_cycle_with_lines(cycle=cycle, staff=staff, resident=resident, size=size)
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        if who == "staff":
            client.force_login(staff)
        # Content types are cached for the life of the process: a first request fills
        # the cache, as it is filled on a running server.
        assert _get(client, cycle, page).status_code == 200

        # When the page is read, drawn anew (nothing of it kept: portal.fragments)
        cache.clear()
        with django_assert_num_queries(PINNED[page, who]):
            response = _get(client, cycle, page)
        # and, by a visitor, read again from what was kept of it, at no query
        if who == "anonymous" and page == "draft":
            with django_assert_num_queries(0):
                kept = _get(client, cycle, page)
            assert without_token(kept) == without_token(response)

    # Then it shows every line (and on the draft page every comment and reply)
    assert response.status_code == 200
    html = response.content.decode()
    if page == "draft":
        assert html.count('id="line-') == size - 1
        commented = {10: 2, 500: 20}[size]
        assert html.count('class="comment"') == 2 + commented
        assert html.count('class="comment official"') == 2 + commented
    elif page == "cycle":
        assert html.count('id="line-') == size - 1
    else:
        changed = len(range(0, size - 1, 5)) + 1
        assert html.count("data-change=") == changed
