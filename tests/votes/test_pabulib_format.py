"""Reading and writing the pabulib `.pb` format: a malformed file is refused with the line at
fault (and `vote_tally` exits with status 2); what the portal writes, pabulib-checker
accepts with no error."""

from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from pabulib.checker import Checker

from votes.counting import pabulib, rules

GOOD = """META
key;value
description;A vote of Qatysu's tests
country;Kazakhstan
unit;Ortaq
instance;2027
num_projects;3
num_votes;4
budget;1000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
1;600;3;Street lights;1
2;500;2;"Well; with a pump";0
3;300;1;Benches;1
VOTES
voter_id;vote
a;1,2
b;1
c;1,2,3
d;
"""


def lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def with_line(text: str, number: int, line: str) -> str:
    """The text with its line `number` (from 1) replaced."""
    rows = text.splitlines()
    rows[number - 1] = line
    return "\n".join(rows) + "\n"


def test_a_good_file_is_read_exactly():
    election = pabulib.read(lines(GOOD))

    assert election.budget == Fraction(1000)
    assert [project.id for project in election.projects] == ["1", "2", "3"]
    assert election.projects[1].name == "Well; with a pump"
    assert election.ballots == ((0, 1), (0,), (0, 1, 2), ())
    assert rules.scores(election) == (3, 2, 1)
    assert rules.tally(election).selected_ids(election) == ["1", "3"]


def test_a_cost_with_decimals_is_read_as_an_exact_fraction():
    election = pabulib.read(lines(with_line(GOOD, 14, "1;600.10;3;Street lights;1")))

    assert election.projects[0].cost == Fraction(60010, 100)


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        # A section missing: VOTES, then PROJECTS before VOTES.
        (GOOD.split("VOTES")[0], 17, "the section VOTES is missing."),
        (
            GOOD.replace("PROJECTS\n", "").replace(
                "project_id;cost;votes;name;selected\n", ""
            ),
            15,
            "the section PROJECTS is missing before VOTES.",
        ),
        # An unknown project in a vote.
        (with_line(GOOD, 20, "a;1,9"), 20, "the vote names the project '9', not in"),
        # A negative cost.
        (with_line(GOOD, 15, '2;-500;2;"Well";0'), 15, "the cost of '2' is negative."),
        # A broken number: a cost, the budget.
        (with_line(GOOD, 16, "3;3OO;1;Benches;1"), 16, "the cost is not a number"),
        (with_line(GOOD, 9, "budget;1 000"), 9, "the budget is not a number"),
        # A project twice in one vote, a repeated section.
        (with_line(GOOD, 21, "b;1,1"), 21, "the vote names a project twice."),
        (GOOD + "VOTES\n", 23, "the section VOTES is repeated."),
        # No header, no data before META.
        ("budget;1000\n" + GOOD, 1, "the file does not start with META."),
    ],
    ids=[
        "no_votes",
        "no_projects",
        "unknown_project",
        "negative_cost",
        "broken_cost",
        "broken_budget",
        "project_twice",
        "section_twice",
        "data_before_meta",
    ],
)
def test_a_malformed_file_is_refused_with_the_line_at_fault(broken, line, message):
    with pytest.raises(pabulib.PabulibError) as refused:
        pabulib.read(lines(broken))

    assert refused.value.line == line
    assert message in str(refused.value)


def test_cumulative_points_must_match_the_projects_of_their_vote():
    cumulative = (
        GOOD.replace("vote_type;approval", "vote_type;cumulative")
        .replace("voter_id;vote\n", "voter_id;vote;points\n")
        .replace("a;1,2\n", "a;1,2;3,2\n")
        .replace("b;1\n", "b;1;5\n")
        .replace("c;1,2,3\n", "c;1,2,3;1,1\n")
        .replace("d;\n", "d;;\n")
    )

    with pytest.raises(pabulib.PabulibError) as refused:
        pabulib.read(lines(cumulative))

    assert refused.value.line == 21
    assert "the points do not match" in str(refused.value)


def test_vote_tally_refuses_a_malformed_file_naming_the_line_with_status_2(tmp_path):
    path = tmp_path / "broken.pb"
    path.write_text(with_line(GOOD, 20, "a;1,9"), encoding="utf-8")
    out, err = StringIO(), StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("vote_tally", str(path), stdout=out, stderr=err)

    assert exited.value.code == 2
    assert out.getvalue() == ""
    assert f"{path}: line 20: the vote names the project '9'" in err.getvalue()


def test_vote_tally_counts_by_the_rule_given_instead_of_the_files(tmp_path):
    path = tmp_path / "vote.pb"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()

    call_command("vote_tally", str(path), "--rule", "greedy-no-skip", stdout=out)

    assert out.getvalue().split() == ["1"]


def test_vote_tally_refuses_a_missing_file_and_a_rule_a_ballot_cannot_take(tmp_path):
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("vote_tally", str(tmp_path / "none.pb"), stderr=err)
    assert exited.value.code == 2
    assert "none.pb: No such file or directory" in err.getvalue()

    cumulative = tmp_path / "cumulative.pb"
    cumulative.write_text(
        GOOD.replace("vote_type;approval", "vote_type;cumulative")
        .replace("voter_id;vote\n", "voter_id;vote;points\n")
        .replace("a;1,2\n", "a;1,2;3,2\n")
        .replace("b;1\n", "b;1;5\n")
        .replace("c;1,2,3\n", "c;1,2,3;1,1,3\n")
        .replace("d;\n", "d;;\n"),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("vote_tally", str(cumulative), "--rule", "equalshares", stderr=err)
    assert exited.value.code == 2
    assert "Equal shares counts approval and choose-1 ballots only." in err.getvalue()


def test_each_rule_counts_the_same_vote_its_own_way():
    election = pabulib.read(lines(GOOD))

    greedy = rules.tally(election, "greedy").selected_ids(election)
    no_skip = rules.tally(election, "greedy-no-skip").selected_ids(election)
    shares = rules.tally(election, "equalshares").selected_ids(election)

    assert greedy == ["1", "3"]
    # The second project does not fit: greedy-no-skip stops there.
    assert no_skip == ["1"]
    # Equal shares: 4 voters hold 250 each; the benches (300, one supporter) are never
    # bought, the lights (600, three) are, at 200 a supporter; then no one left can pay
    # the well (500: a and c hold 50 each).
    assert shares == ["1"]


def _checked(tmp_path, text: str) -> dict:
    path = tmp_path / "written.pb"
    path.write_text(text, encoding="utf-8")
    results = Checker().process_files([str(path)])
    return results["written"]["results"]


@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "equalshares/add1"])
def test_what_the_portal_writes_passes_pabulib_checker_with_no_error(tmp_path, rule):
    # Given a vote (with its dates, each ballot choosing a project) read, counted, and
    # written back with its outcome
    dated = GOOD.replace(
        "rule;greedy", f"rule;{rule}\ndate_begin;01.03.2027\ndate_end;15.03.2027"
    ).replace("d;\n", "d;3\n")
    election = pabulib.read(lines(dated))
    outcome = rules.tally(election)
    text = pabulib.write(election, selected=outcome.selected_ids(election))

    # Then the checker finds no error, and reading it back gives the same vote
    assert _checked(tmp_path, text)["errors"] == {}
    again = pabulib.read(lines(text))
    assert again.ballots == election.ballots
    assert again.budget == election.budget
    assert [(p.id, p.cost, p.name) for p in again.projects] == [
        (p.id, p.cost, p.name) for p in election.projects
    ]
    assert {p.id for p in again.projects if p.selected} == set(
        outcome.selected_ids(election)
    )
