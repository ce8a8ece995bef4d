"""The residents' vote through its pages, as people use them without JavaScript: staff set
it up and add a project, a resident votes with a confirmation and keeps a receipt, staff
enter a paper ballot, everyone reads the result and downloads the vote; the published
`.pb` file passes pabulib-checker and recounts to the same result."""

import csv
import io
import json

import pytest
import time_machine
from django.urls import reverse
from pabulib.checker import Checker

from budgets.models import CyclePhase, Phase
from portal.models import AuditEvent
from tests.accounts.factories import make_iin
from tests.refusals import unchanged
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
from votes import services
from votes.counting import pabulib, rules
from votes.models import Ballot, Channel, Vote

KATO, YEAR = "115633000", 2027


def url(name: str, *args) -> str:
    return reverse(f"votes:{name}", args=[KATO, YEAR, *args])


SETUP = {
    "starts_on": "2026-06-10",
    "ends_on": "2026-06-20",
    "amount": "5000000",
    "ballot_kind": "approval",
    "min_choices": "1",
    "max_choices": "2",
    "rule": "equalshares/add1",
    "min_age": "18",
    "cost_cap": "",
}


def test_staff_set_up_a_vote_from_the_cycle_page(
    client, staff, cycle, approved_proposals
):
    client.force_login(staff)
    with time_machine.travel(PREPARING, tick=False):
        page = client.get(cycle.get_absolute_url())
        assert url("vote_setup") in page.content.decode()
        assert client.get(url("vote_setup")).status_code == 200
        response = client.post(url("vote_setup"), SETUP)
        assert response.status_code == 302
        vote = Vote.objects.get()
        assert (vote.amount, vote.rule, vote.max_choices) == (
            5_000_000,
            "equalshares/add1",
            2,
        )
        detail = client.get(url("vote_detail")).content.decode()
    # The preview lists the approved proposals that go on the ballot at the opening
    assert "A well in Akkol" in detail
    assert "Mark from 1 to 2 projects." in detail
    assert (
        Phase.objects.get(cycle=cycle, kind=CyclePhase.RESIDENTS_VOTE).ends_on.day == 20
    )


def test_a_bad_setup_comes_back_with_the_reason_and_what_was_typed(
    client, staff, cycle, approved_proposals
):
    client.force_login(staff)
    with time_machine.travel(PREPARING, tick=False), unchanged(*VOTE_ROWS, Phase):
        response = client.post(
            url("vote_setup"), {**SETUP, "min_choices": "3", "amount": "4321"}
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "no more than the most" in body
    assert 'value="4321"' in body


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_staff"])
def test_only_the_units_staff_set_up_a_vote(client, cycle, who, voter, other_staff):
    person = {"anonymous": None, "resident": voter, "other_staff": other_staff}[who]
    if person is not None:
        client.force_login(person)
    with time_machine.travel(PREPARING, tick=False), unchanged(*VOTE_ROWS, Phase):
        response = client.post(url("vote_setup"), SETUP)
    assert response.status_code == (302 if person is None else 403)
    if person is None:
        assert "/accounts/login/" in response["Location"]


def test_staff_add_a_project_with_its_reason(client, staff, vote):
    client.force_login(staff)
    with time_machine.travel(PREPARING, tick=False):
        response = client.post(
            url("project_add"),
            {"title": "Benches", "description": "", "cost": "300000", "reason": ""},
        )
        assert response.status_code == 400
        response = client.post(
            url("project_add"),
            {
                "title": "Benches",
                "description": "Twelve benches.",
                "cost": "300000",
                "reason": "Asked for at the gathering.",
            },
        )
        assert response.status_code == 302
        detail = client.get(url("vote_detail")).content.decode()
    assert "Added by the akimat:" in detail and "Asked for at the gathering." in detail


def test_a_resident_votes_confirms_and_keeps_a_receipt(client, open_vote, voter):
    client.force_login(voter)
    projects = projects_by_title(open_vote)
    chosen = [projects["A well in Akkol"].pk, projects["A playground by the school"].pk]
    with time_machine.travel(OPEN, tick=False):
        detail = client.get(url("vote_detail")).content.decode()
        assert url("ballot") in detail
        page = client.get(url("ballot"))
        assert page.status_code == 200
        # The first step shows the ballot back and casts nothing
        with unchanged(*VOTE_ROWS):
            confirm = client.post(url("ballot"), {"projects": chosen})
        assert confirm.status_code == 200
        assert "A ballot is final" in confirm.content.decode()
        cast_page = client.post(url("ballot"), {"projects": chosen, "confirm": "1"})
        assert cast_page.status_code == 302
        assert cast_page["Location"] == url("my_ballot")
        mine = client.get(url("my_ballot")).content.decode()
        # Once voted, the ballot page sends the voter to their ballot
        again = client.get(url("ballot"))
    ballot = Ballot.objects.get()
    assert ballot.receipt in mine
    assert again.status_code == 302 and again["Location"] == url("my_ballot")


def test_a_ballot_outside_the_rules_is_shown_again_with_the_reason(
    client, open_vote, voter
):
    client.force_login(voter)
    projects = [p.pk for p in open_vote.projects.all()][:3]
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        response = client.post(url("ballot"), {"projects": projects, "confirm": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mark at most 2 projects." in body
    # What was marked stays marked
    assert body.count("checked") == 3


def test_an_empty_ballot_is_asked_for_at_least_one_project_in_the_singular(
    client, open_vote, voter
):
    # Given a ballot of 1 to 2 projects, offered as such
    client.force_login(voter)
    with time_machine.travel(OPEN, tick=False):
        page = client.get(url("ballot")).content.decode()
    assert "Mark from 1 to 2 projects" in page

    # When the voter sends it with nothing marked
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        response = client.post(url("ballot"), {"confirm": "1"})

    # Then the reason says one project, not "1 projects"
    assert response.status_code == 400
    body = response.content.decode()
    assert "Mark at least 1 project." in body
    assert "1 projects" not in body


def test_a_tampered_ballot_naming_no_project_is_refused(client, open_vote, voter):
    client.force_login(voter)
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        response = client.post(url("ballot"), {"projects": ["999999"], "confirm": "1"})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["outsider", "too_young", "staff"])
def test_who_may_not_vote_is_refused_the_ballot(
    client, open_vote, territory, staff, who
):
    if who == "outsider":
        person = make_voter(territory)
        person.residencies.update(budget_unit=territory["other_rural_district"])
    elif who == "too_young":
        person = make_voter(territory, born="100101", century_sex=5)
    else:
        person = staff
    client.force_login(person)
    pk = open_vote.projects.first().pk
    with time_machine.travel(OPEN, tick=False), unchanged(*VOTE_ROWS):
        response = client.post(url("ballot"), {"projects": [pk], "confirm": "1"})
    assert response.status_code == 403


def test_the_ballot_is_not_offered_before_the_opening_or_after_the_close(
    client, vote, voter
):
    client.force_login(voter)
    for moment in (PREPARING, CLOSED):
        with time_machine.travel(moment, tick=False):
            response = client.get(url("ballot"))
        assert response.status_code == 302
        assert response["Location"] == url("vote_detail")


def test_the_page_freezes_a_vote_whose_job_is_late(client, vote):
    with time_machine.travel(OPEN, tick=False):
        body = client.get(url("vote_detail")).content.decode()
    vote.refresh_from_db()
    assert vote.is_frozen
    assert "frozen when the vote opened" in body


def test_staff_enter_a_paper_ballot_with_a_confirmation(client, open_vote, staff):
    client.force_login(staff)
    papers_issue(open_vote, staff, 2)
    pk = projects_by_title(open_vote)["A well in Akkol"].pk
    iin = make_iin(77, born="600505")
    form = {"iin": iin, "residency_seen": "on", "projects": [pk], "paper_number": "2"}
    with time_machine.travel(OPEN, tick=False):
        with unchanged(*VOTE_ROWS):
            confirm = client.post(url("paper_ballot"), form)
        assert confirm.status_code == 200
        assert f"ends in {iin[-4:]}" in confirm.content.decode()
        assert "Ballot paper № 000002" in confirm.content.decode()
        done = client.post(url("paper_ballot"), {**form, "confirm": "1"})
        assert done.status_code == 302
        with unchanged(*VOTE_ROWS):
            same_paper = client.post(url("paper_ballot"), {**form, "confirm": "1"})
        again = client.post(
            url("paper_ballot"), {**form, "paper_number": "1", "confirm": "1"}
        )
        listed = client.get(url("paper_ballot")).content.decode()
    assert same_paper.status_code == 400
    assert "Ballot paper № 2 has already been entered" in same_paper.content.decode()
    assert again.status_code == 400
    assert "already voted" in again.content.decode()
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.entered_by, ballot.paper.number) == (
        Channel.PAPER,
        staff,
        2,
    )
    assert AuditEvent.objects.filter(verb="ballot.collision").count() == 1
    # The entry list shows the staff the paper's number, the receipt and the clerk
    assert listed.count('data-testid="paper-entry"') == 1
    assert ">000002<" in listed
    assert ballot.receipt in listed
    assert "Issued: 2. Entered: 1. Issued and not entered: 1." in listed


def test_residents_are_refused_the_paper_entry(client, open_vote, voter):
    client.force_login(voter)
    with time_machine.travel(OPEN, tick=False):
        assert client.get(url("paper_ballot")).status_code == 403


def _counted(vote, territory):
    for _voter in range(8):
        cast(
            vote,
            make_voter(territory),
            "Street lights on Abai street",
            "A playground by the school",
        )
    for _voter in range(3):
        cast(vote, make_voter(territory), "A well in Akkol")
    with time_machine.travel(CLOSED, tick=False):
        services.votes_tick()
    vote.refresh_from_db()
    return vote


def test_the_results_explain_each_purchase(client, open_vote, territory):
    _counted(open_vote, territory)
    with time_machine.travel(CLOSED, tick=False):
        body = client.get(url("vote_results")).content.decode()
    assert "11 ballots (11 online, 0 on paper)." in body
    assert "Bought in round 1: 8 of its supporters paid for it" in body
    assert "What most votes first would have chosen" in body


def test_the_results_wait_for_the_count(client, open_vote):
    with time_machine.travel(OPEN, tick=False):
        response = client.get(url("vote_results"))
    assert response.status_code == 302
    assert client.get(url("vote_pb")).status_code == 404


def test_the_published_file_passes_the_checker_and_recounts_the_same(
    client, open_vote, territory, tmp_path
):
    _counted(open_vote, territory)
    response = client.get(url("vote_pb"))
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode()
    path = tmp_path / "vote.pb"
    path.write_text(text, encoding="utf-8")
    report = Checker().process_files([str(path)])["vote"]["results"]
    assert report["errors"] == {}, report
    election = pabulib.read_path(path)
    selected = {p.id for p in election.projects if p.selected}
    assert set(rules.tally(election).selected_ids(election)) == selected
    assert selected == {
        str(projects_by_title(open_vote)[title].pk)
        for title in ("Street lights on Abai street", "A well in Akkol")
    }
    # Anonymised: receipts as voter ids, nothing else about the voters
    receipts = set(Ballot.objects.values_list("receipt", flat=True))
    assert set(election.voter_ids) == receipts
    for secret in ("iin", "age", "email", "@"):
        assert secret not in text.split("VOTES", 1)[1].lower()


def test_the_vote_is_open_data_in_csv_and_json(client, open_vote, territory):
    _counted(open_vote, territory)
    projects = client.get(
        reverse("budgets:dataset_csv", args=[KATO, YEAR, "vote_projects"])
    )
    body = b"".join(projects.streaming_content)
    # Excel reads a CSV as UTF-8 only after its byte order mark
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["title"]: row["selected"] for row in rows}["A well in Akkol"] == "true"
    ballots = client.get(
        reverse("budgets:dataset_json", args=[KATO, YEAR, "vote_ballots"])
    )
    data = json.loads(b"".join(ballots.streaming_content))
    assert len(data) == 11
    assert set(data[0]) == {"voter_id", "vote", "points"}


def test_the_cycles_data_page_lists_the_vote_once_counted(client, open_vote, territory):
    data = reverse("budgets:cycle_data", args=[KATO, YEAR])
    assert 'data-dataset="vote_projects"' not in client.get(data).content.decode()
    _counted(open_vote, territory)
    html = client.get(data).content.decode()
    assert 'data-dataset="vote_projects"' in html
    assert 'data-dataset="vote_ballots"' in html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ("Street lights on Abai street", "A well in Akkol")),
        ("ru", ("Street lights on Abai street", "A well in Akkol")),
    ],
)
def test_the_results_protocol_is_a_pdf_in_kazakh_and_russian(
    client, open_vote, territory, language, words
):
    from django.utils import translation
    from pypdf import PdfReader

    _counted(open_vote, territory)
    response = client.get(url("vote_protocol", language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    with translation.override(language):
        from django.utils.translation import gettext

        title = gettext("Protocol of the results of the residents' vote")
    assert " ".join(title.split()) in " ".join(text.split())
    assert "Ортақ ауылдық округі" in text or "Ортакский сельский округ" in text
    for word in words:
        assert word in text
    assert "115633000" in text


def test_the_protocol_waits_for_the_count_and_knows_two_languages(client, open_vote):
    assert client.get(url("vote_protocol", "kk")).status_code == 404
    assert client.get(url("vote_protocol", "de")).status_code == 404


@pytest.mark.parametrize("voters", [3, 30])
def test_the_results_and_the_file_cost_the_same_queries_whatever_the_ballots(
    client, open_vote, territory, django_assert_num_queries, voters
):
    for _number in range(voters):
        cast(
            open_vote,
            make_voter(territory),
            "A well in Akkol",
            "A playground by the school",
        )
    with time_machine.travel(CLOSED, tick=False):
        services.votes_tick()
        assert client.get(url("vote_results")).status_code == 200
        # The vote with its days, the projects, the ballots by channel, the unit's
        # ancestors (the breadcrumb)
        with django_assert_num_queries(4):
            assert client.get(url("vote_results")).status_code == 200
        # The vote, the projects, the ballots' choices (one query, read in chunks)
        with django_assert_num_queries(3):
            response = client.get(url("vote_pb"))
            body = b"".join(response.streaming_content).decode()
    assert body.count("\n") > voters
