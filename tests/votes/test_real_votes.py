"""Every real vote in ../shared/data/pabulib/ (its README): `vote_tally` recounts it from the
ballots and selects exactly the projects the city officially selected."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from votes.counting import pabulib, rules

PABULIB = Path(__file__).resolve().parents[3] / "shared/data/pabulib"
FILES = sorted(PABULIB.glob("*.pb")) + sorted((PABULIB / "large").glob("*.pb"))
RULES_OF_THE_FILES = {
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equalshares/add1",
}


def test_the_shared_votes_are_there():
    # A missing copy fails here rather than leaving the tests below with nothing to do.
    assert len(FILES) == 20, f"the shared pabulib votes are missing from {PABULIB}"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_vote_tally_selects_what_the_city_selected(path):
    election = pabulib.read_path(path)
    official = {project.id for project in election.projects if project.selected}
    assert election.rule in RULES_OF_THE_FILES

    out = StringIO()
    call_command("vote_tally", str(path), stdout=out)

    printed = out.getvalue().split()
    assert len(printed) == len(set(printed))
    assert set(printed) == official


def test_the_votes_counted_are_those_of_the_ballots_not_of_the_projects_column():
    # Given a vote whose PROJECTS column states the votes
    path = PABULIB / "Poland_Warszawa_2017_Piaski.pb"
    election = pabulib.read_path(path)
    # Then the recount reads them from the ballots, and they agree
    counted = rules.scores(election)
    stated = [int(project.extra["votes"]) for project in election.projects]
    assert list(counted) == stated
