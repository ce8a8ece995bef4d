"""Beside a proposal and its comments the public reads the name each person chose to
show (by default the first name and the surname's initial): never the full name, never
the e-mail."""

import time_machine

from proposals import services
from tests.budgets.conftest import DAY_IN
from tests.proposals.conftest import make_submitted


def test_a_proposal_and_its_comments_show_the_chosen_names_only(
    client, cycle, resident, neighbour, function
):
    # Given an author who shows a chosen name, and a commenter who chose none
    resident.first_name, resident.last_name = "Айгерим", "Серікова"
    resident.display_name, resident.email = "Айгерим из Акколя", "aigerim.s@example.kz"
    resident.save()
    neighbour.first_name, neighbour.last_name = "Ерлан", "Жақыпов"
    neighbour.display_name, neighbour.email = "", "erlan.zh@example.kz"
    neighbour.save()
    proposal = make_submitted(cycle, resident, function)
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        services.comment_post(proposal=proposal, author=neighbour, body="Поддерживаю.")
        services.comment_post(proposal=proposal, author=resident, body="Спасибо.")

        # When anyone reads the proposal
        response = client.get(proposal.get_absolute_url())

    # Then the author and the commenters are shown by their public names
    html = response.content.decode()
    assert response.status_code == 200
    assert "Айгерим из Акколя" in html
    assert "<strong>Ерлан Ж.</strong>" in html
    assert "<strong>Айгерим из Акколя</strong>" in html
    for private in ("Серікова", "Жақыпов", "aigerim.s", "erlan.zh"):
        assert private not in html


def test_a_resident_without_a_name_is_shown_as_a_resident(
    client, cycle, resident, function
):
    resident.first_name = resident.last_name = resident.display_name = ""
    resident.save()

    proposal = make_submitted(cycle, resident, function)
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        response = client.get(proposal.get_absolute_url())

    assert response.status_code == 200
    assert proposal.author_name == "A resident"
    assert resident.email not in response.content.decode()
