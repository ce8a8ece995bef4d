"""The notice of a draft open for public discussion, for the akimat's notice board: one A4
page in Kazakh and Russian, read back from the PDF."""

import io

import time_machine
from django.urls import reverse
from pypdf import PdfReader

from budgets import services
from tests.budgets.conftest import DAY_IN


def notice_url(draft) -> str:
    cycle = draft.cycle
    return reverse(
        "budgets:draft_notice",
        args=[cycle.unit.kato_code, cycle.fiscal_year, draft.version],
    )


def words(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_the_notice_of_a_draft_in_discussion_says_until_when_in_both_languages(
    client, published
):
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        page = client.get(published.get_absolute_url())
        response = client.get(notice_url(published))
    assert 'data-testid="notice-link"' in page.text
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = words(response.content)
    # Kazakh first, then Russian: the heading, the version, the last day to comment
    kazakh = ["жария талқылау", "31 қазан 2026"]
    russian = ["публичное обсуждение", "31 октября 2026"]
    for said in kazakh + russian:
        assert said in text, said
    assert text.index(kazakh[0]) < text.index(russian[0])
    assert "http://testserver" + published.get_absolute_url() in text


def test_a_draft_being_prepared_or_past_its_discussion_has_no_notice(
    client, draft, staff
):
    # Being prepared, the draft is the akimat's working copy: nobody else finds it
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        assert client.get(notice_url(draft)).status_code == 404
    # Once its discussion is over, no notice is pinned up for it
    published = draft_publish(draft, staff)
    with time_machine.travel(DAY_IN["coordination"], tick=False):
        assert client.get(notice_url(published)).status_code == 404
        page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="notice-link"' not in page.text


def draft_publish(draft, staff):
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        return services.draft_publish(draft=draft, actor=staff)
