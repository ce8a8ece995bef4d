"""The notice of a residents' vote for the akimat's notice board: one A4 page in Kazakh and
Russian, read back from the PDF, with the QR code of the vote's page."""

import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from portal.models import AuditEvent
from portal.printed import qr_modules
from tests.refusals import refused, unchanged
from tests.votes.conftest import CLOSED, OPEN, PREPARING, VOTE_ROWS, papers_issue
from votes import services
from votes.models import BallotPaper


def notice_url(vote) -> str:
    return reverse(
        "votes:vote_notice",
        args=[vote.cycle.unit.kato_code, vote.cycle.fiscal_year],
    )


def words(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
        595,
        842,
    )  # A4 in points
    return " ".join(page.extract_text().split())


@pytest.mark.parametrize("moment", [PREPARING, OPEN])
def test_the_notice_says_it_in_kazakh_and_russian_while_the_vote_is_ahead_or_open(
    client, vote, moment
):
    with time_machine.travel(moment, tick=False):
        page = client.get(vote.get_absolute_url())
        response = client.get(notice_url(vote))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'data-testid="notice-link"' in page.text
    text = words(response.content)
    # Kazakh first, then Russian: the heading, the days, who votes, the rule
    kazakh = [
        "тұрғындардың дауыс беруі",
        "10 маусым 2026",
        "20 маусым 2026",
        "18 жастан",
    ]
    russian = [
        "Голосование жителей",
        "10 июня 2026",
        "20 июня 2026",
        "18 лет и старше",
    ]
    for said in kazakh + russian:
        assert said in text, said
    assert text.index(kazakh[0]) < text.index(russian[0])
    # and the address of the vote's page, which the QR code holds
    page_url = "http://testserver" + vote.get_absolute_url()
    assert page_url in text


def test_the_qr_code_is_drawn_from_the_page_s_address(client, vote):
    with time_machine.travel(PREPARING, tick=False):
        pdf = client.get(notice_url(vote)).content
    page_url = "http://testserver" + vote.get_absolute_url()
    dark = sum(sum(row) for row in qr_modules(page_url))
    # each run of dark modules a filled rectangle (`re … f` in the page's drawing)
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode()
    assert 0 < content.count(" re") <= dark


def test_a_closed_vote_has_no_notice(client, vote):
    with time_machine.travel(CLOSED, tick=False):
        assert client.get(notice_url(vote)).status_code == 404
        assert (
            'data-testid="notice-link"' not in client.get(vote.get_absolute_url()).text
        )


def test_a_cycle_without_a_vote_has_no_notice(client, cycle):
    response = client.get(
        reverse("votes:vote_notice", args=[cycle.unit.kato_code, cycle.fiscal_year])
    )
    assert response.status_code == 404


# Numbered ballot papers for the residents who vote at the akimat.


def papers_url(vote, name="ballot_papers", *numbers) -> str:
    return reverse(
        f"votes:{name}",
        args=[vote.cycle.unit.kato_code, vote.cycle.fiscal_year, *numbers],
    )


def test_staff_issue_numbered_papers_with_every_project_in_both_languages(
    client, open_vote, staff
):
    client.force_login(staff)
    papers_issue(open_vote, staff, 16)
    with time_machine.travel(OPEN, tick=False):
        assert "Print ballot papers" in client.get(open_vote.get_absolute_url()).text
        form = client.get(papers_url(open_vote))
        issued = client.post(papers_url(open_vote), {"count": 3})
        response = client.get(issued["Location"])
    assert form.status_code == 200
    assert issued["Location"] == papers_url(open_vote, "ballot_papers_pdf", 17, 19)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "000017-000019" in response["Content-Disposition"]
    assert list(
        BallotPaper.objects.filter(vote=open_vote)
        .order_by("number")
        .values_list("number", "issued_by")
    ) == [(number, staff.pk) for number in range(1, 20)]
    event = AuditEvent.objects.get(verb="ballot.papers_issued", details__first=17)
    assert (event.actor, event.details) == (staff, {"first": 17, "last": 19})
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    titles = [project.title for project in open_vote.projects.all()]
    assert titles
    for number, page in zip(("000017", "000018", "000019"), reader.pages, strict=True):
        text = " ".join(page.extract_text().split())
        assert number in text
        assert "Тұрғындардың дауыс беруінің бюллетені" in text
        assert "Бюллетень голосования жителей" in text
        assert "Кемінде 1, ең көбі 2 жобаны белгілеңіз." in text
        assert "Отметьте проекты: от 1 до 2." in text
        for title in titles:
            assert title in text, title


@pytest.mark.parametrize("count", ["0", "501", "x", ""])
def test_a_count_out_of_range_is_refused_on_the_form(client, open_vote, staff, count):
    client.force_login(staff)
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        response = client.post(papers_url(open_vote), {"count": count})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "usa-error-message" in response.text


def test_numbers_past_the_last_are_refused(open_vote, staff):
    papers_issue(open_vote, staff, 1)
    BallotPaper.objects.filter(vote=open_vote).update(number=999_998)
    with (
        time_machine.travel(OPEN, tick=False),
        refused("papers_count_invalid", *VOTE_ROWS),
    ):
        services.ballot_papers_issue(vote=open_vote, actor=staff, count=2)


@pytest.mark.parametrize("numbers", [(1, 3), (2, 1), (0, 1), (1, 501)])
def test_only_papers_issued_are_printed_again(client, open_vote, staff, numbers):
    papers_issue(open_vote, staff, 2)
    client.force_login(staff)
    with time_machine.travel(OPEN, tick=False):
        again = client.get(papers_url(open_vote, "ballot_papers_pdf", 1, 2))
        response = client.get(papers_url(open_vote, "ballot_papers_pdf", *numbers))
    assert again.status_code == 200
    assert response.status_code == 404


def test_residents_and_visitors_issue_no_papers(client, open_vote, voter):
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        assert client.post(papers_url(open_vote), {"count": 1}).status_code == 302
        client.force_login(voter)
        assert client.post(papers_url(open_vote), {"count": 1}).status_code == 403
        assert client.get(papers_url(open_vote)).status_code == 403


def test_papers_are_issued_only_while_the_vote_is_open(client, vote, staff):
    client.force_login(staff)
    for moment in (PREPARING, CLOSED):
        with time_machine.travel(moment, tick=False), unchanged(*VOTE_ROWS):
            response = client.post(papers_url(vote), {"count": 1})
        assert response.status_code == 302
        assert response["Location"] == vote.get_absolute_url()
    with time_machine.travel(CLOSED, tick=False):
        after = client.get(papers_url(vote))
    # After the close the page shows what was issued, and no form to issue more.
    assert after.status_code == 200
    assert 'name="count"' not in after.text
