"""The numbered ballot papers of a residents' vote: a paper ballot names the paper it was
marked on, one issued for its vote and entered once (the service refuses, the database
holds); the protocol sets the papers issued against the papers entered, in Kazakh and
Russian; the staff's paper pages list the entries and link the protocol."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from portal.permissions import refusal
from tests.accounts.factories import make_iin
from tests.concurrency import at_once, postgresql_required
from tests.refusals import refused, unchanged
from tests.votes.conftest import (
    CLOSED,
    OPEN,
    PREPARING,
    VOTE_ROWS,
    cast,
    make_voter,
    papers_issue,
    projects_by_title,
)
from tests.votes.test_permissions import ROLES, everyone  # noqa: F401 - a fixture
from votes import selectors, services
from votes.models import Ballot, BallotPaper, Channel, Vote

KATO, YEAR = "115633000", 2027


def url(name: str, *args) -> str:
    return reverse(f"votes:{name}", args=[KATO, YEAR, *args])


def _enter(vote, clerk, number, *, iin=None, on=OPEN):
    projects = projects_by_title(vote)
    with time_machine.travel(on, tick=False):
        return services.ballot_enter_paper(
            vote=vote,
            actor=clerk,
            iin=iin or make_iin(next(_serial), born="700101"),
            choices={projects["A well in Akkol"].pk: 1},
            residency_seen=True,
            paper_number=number,
        )


_serial = iter(range(600, 999))


def test_papers_are_numbered_on_from_the_last_issued(open_vote, staff, akimat_clerk):
    first = papers_issue(open_vote, staff, 3)
    second = papers_issue(open_vote, akimat_clerk, 2)
    assert (list(first), list(second)) == ([1, 2, 3], [4, 5])
    assert [
        (issued.first, issued.last, issued.count)
        for issued in selectors.paper_ranges(open_vote)
    ] == [(1, 3, 3), (4, 5, 2)]


def test_a_paper_ballot_without_the_papers_number_is_refused(open_vote, staff):
    papers_issue(open_vote, staff, 1)
    with refused("paper_number_required", *VOTE_ROWS) as refusal_info:
        _enter(open_vote, staff, None)
    assert str(refusal_info.value.message) == (
        "Give the number printed on the ballot paper."
    )


def test_the_form_asks_for_the_number(client, open_vote, staff):
    papers_issue(open_vote, staff, 1)
    client.force_login(staff)
    pk = projects_by_title(open_vote)["A well in Akkol"].pk
    form = {"iin": make_iin(55), "residency_seen": "on", "projects": [pk]}
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        response = client.post(url("paper_ballot"), {**form, "confirm": "1"})
    assert response.status_code == 400
    assert 'id="id_paper_number-error"' in response.text or (
        "usa-error-message" in response.text
    )


@pytest.mark.parametrize("number", [0, 3, 999_999])
def test_a_number_not_issued_for_the_vote_is_refused(open_vote, staff, number):
    papers_issue(open_vote, staff, 2)
    with refused("paper_not_issued", *VOTE_ROWS) as refusal_info:
        _enter(open_vote, staff, number)
    assert str(refusal_info.value.message) == (
        f"No ballot paper № {number} was issued for this vote: the papers issued "
        "are № 1–2."
    )


def test_before_any_paper_is_issued_the_refusal_says_to_print_first(open_vote, staff):
    with refused("paper_not_issued", *VOTE_ROWS) as refusal_info:
        _enter(open_vote, staff, 1)
    assert "Print the papers first." in str(refusal_info.value.message)


def test_a_paper_entered_twice_is_refused(open_vote, staff, akimat_clerk):
    (number,) = papers_issue(open_vote, staff)
    _enter(open_vote, staff, number)
    with refused("paper_already_entered", *VOTE_ROWS) as refusal_info:
        _enter(open_vote, akimat_clerk, number)
    assert str(refusal_info.value.message) == (
        "Ballot paper № 1 has already been entered: each paper is entered once. "
        "Check the number on the paper."
    )
    assert Ballot.objects.get().entered_by == staff


def test_the_database_holds_each_paper_once_and_each_paper_ballot_numbered(
    open_vote, staff
):
    (number,) = papers_issue(open_vote, staff)
    ballot = _enter(open_vote, staff, number)
    paper = ballot.paper
    twin = Ballot(
        vote=open_vote,
        voter_iin_digest="x" * 64,
        channel=Channel.PAPER,
        entered_by=staff,
        receipt="TWIN",
        voter_age=40,
        paper=paper,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    twin.paper = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotPaper.objects.create(vote=open_vote, number=number, issued_by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotPaper.objects.create(vote=open_vote, number=1_000_000, issued_by=staff)
    # An online ballot names no paper
    online = Ballot(
        vote=open_vote,
        voter_iin_digest="y" * 64,
        channel=Channel.ONLINE,
        receipt="ONLINE",
        voter_age=40,
        paper=BallotPaper.objects.create(vote=open_vote, number=2, issued_by=staff),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        online.save()
    # A paper ballot of before the numbers (migration 0004) has none
    twin.predates_paper_numbers = True
    twin.save()
    assert Ballot.objects.filter(predates_paper_numbers=True).count() == 1


postgresql = postgresql_required("two clerks at once need PostgreSQL's row locks")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_entering_the_same_paper_at_once_enter_it_once(
    postgresql, open_vote, staff, akimat_clerk, territory
):
    vote = Vote.objects.get(pk=open_vote.pk)
    (number,) = papers_issue(vote, staff)
    well = projects_by_title(vote)["A well in Akkol"].pk
    voters = [make_voter(territory) for _index in range(2)]

    def enter(clerk, voter):
        return lambda: (
            services.ballot_enter_paper(
                vote=vote,
                actor=clerk,
                iin=voter.iin,
                choices={well: 1},
                residency_seen=True,
                paper_number=number,
            ).voter_id
        )

    # Two clerks, two different voters, the same paper, many times over
    calls = [
        enter(clerk, voter)
        for _round in range(5)
        for clerk, voter in zip((staff, akimat_clerk), voters, strict=True)
    ]
    with time_machine.travel(OPEN, tick=False):
        entered, refusals, errors = at_once(calls, workers=4)

    assert errors == []
    assert len(entered) == 1
    assert sorted(refusals) == ["already_voted"] * refusals.count("already_voted") + [
        "paper_already_entered"
    ] * refusals.count("paper_already_entered")
    assert refusals.count("paper_already_entered") >= 1
    assert len(refusals) == len(calls) - 1
    assert Ballot.objects.get().paper.number == number


# The protocol.


def _counted_with_papers(vote, staff, territory):
    """Five papers issued, three entered, four ballots online; counted at the close."""
    numbers = papers_issue(vote, staff, 5)
    for number in numbers[:3]:
        _enter(vote, staff, number)
    for _voter in range(4):
        cast(vote, make_voter(territory), "A well in Akkol")
    with time_machine.travel(CLOSED, tick=False):
        services.votes_tick()
    vote.refresh_from_db()
    return vote


def test_the_papers_are_counted_for_the_protocol(open_vote, staff, territory):
    vote = _counted_with_papers(open_vote, staff, territory)
    counts = selectors.paper_counts(vote)
    assert (counts.issued, counts.entered, counts.not_entered, counts.unnumbered) == (
        5,
        3,
        2,
        0,
    )
    # A paper ballot of before the numbers is counted apart
    Ballot.objects.filter(paper__number=3).update(
        paper=None, predates_paper_numbers=True
    )
    counts = selectors.paper_counts(vote)
    assert (counts.issued, counts.entered, counts.not_entered, counts.unnumbered) == (
        5,
        2,
        3,
        1,
    )


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_protocol_sets_papers_issued_against_entered(
    client, open_vote, staff, territory, language
):
    _counted_with_papers(open_vote, staff, territory)
    response = client.get(url("vote_protocol", language))
    assert response.status_code == 200
    text = " ".join(
        " ".join(
            page.extract_text()
            for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    with translation.override(language):
        expected = [
            (gettext("Ballot papers issued"), "5"),
            (gettext("Ballot papers entered"), "3"),
            (gettext("Ballot papers issued and not entered (unused or spoiled)"), "2"),
        ]
        ballots = gettext("%(all)s: %(online)s online, %(paper)s on paper") % {
            "all": 7,
            "online": 4,
            "paper": 3,
        }
        unnumbered = gettext(
            "Paper ballots entered before the papers' numbers were recorded"
        )
    for label, value in expected:
        assert f"{' '.join(label.split())} {value}" in text, label
    assert " ".join(ballots.split()) in text
    assert " ".join(unnumbered.split()) not in text


def test_the_paper_pages_link_the_protocol_once_counted(
    client, open_vote, staff, territory
):
    client.force_login(staff)
    with time_machine.travel(OPEN, tick=False):
        before = client.get(url("paper_ballot")).text
    assert 'data-testid="protocol-kk"' not in before
    _counted_with_papers(open_vote, staff, territory)
    with time_machine.travel(CLOSED, tick=False):
        entry = client.get(url("paper_ballot"))
        papers = client.get(url("ballot_papers"))
        detail = client.get(url("vote_detail")).text
    for page in (entry, papers):
        assert page.status_code == 200
        for language in ("kk", "ru"):
            assert f'href="{url("vote_protocol", language)}"' in page.text
        assert "Issued: 5. Entered: 3. Issued and not entered: 2." in page.text
        assert page.text.count('data-testid="paper-entry"') == 3
    assert 'name="iin"' not in entry.text
    assert f'href="{url("ballot_papers")}"' in detail
    assert url("ballot_papers_pdf", 1, 5) in papers.text


# Who sees the papers' pages, and when: the staff of the unit from the opening on.

MOMENTS = {"before": PREPARING, "open": OPEN, "after": CLOSED}
STAFF = frozenset({"staff", "akim"})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("page", ["paper_ballot", "ballot_papers"])
def test_the_paper_pages_matrix(client, open_vote, everyone, page, moment, role):  # noqa: F811
    person = everyone[role]
    if person is not None:
        client.force_login(person)
    with time_machine.travel(MOMENTS[moment], tick=False):
        response = client.get(url(page))
    if person is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif role not in STAFF:
        assert response.status_code == 403
        assert str(refusal("votes.see_papers")) in response.text
    elif moment == "before":
        assert response.status_code == 302
        assert response["Location"] == url("vote_detail")
    else:
        assert response.status_code == 200
        field = 'name="paper_number"' if page == "paper_ballot" else 'name="count"'
        assert (field in response.text) == (moment == "open")
