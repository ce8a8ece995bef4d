"""The lists of proposals and a visitor's page of a proposal are drawn once per change of
their unit's data and kept (portal.fragments): each case reads a page, changes what it
shows the way a person or the clock would, and reads it again."""

from __future__ import annotations

import time_machine
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from accounts.services import user_names_update
from portal import fragments
from proposals import services
from tests.budgets.conftest import DAY_IN, at
from tests.kept import without_token
from tests.proposals.conftest import make_draft, make_submitted

OPEN = DAY_IN["proposals_open"]


def list_url(cycle, query: str = "") -> str:
    return reverse("proposals:cycle_list", args=[cycle.unit.kato_code, 2027]) + query


def read(client, url, *, on=OPEN):
    with time_machine.travel(on, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_a_support_shows_on_the_list_kept_before_it(
    client, cycle, resident, neighbour, function
):
    # Given a proposal listed, its list kept with no supporter
    proposal = make_submitted(cycle, resident, function)
    assert "0 supporters" in read(client, list_url(cycle))
    # When a neighbour supports it from the browser
    client.force_login(neighbour)
    with time_machine.travel(OPEN, tick=False):
        client.post(reverse("proposals:support", args=[proposal.pk]))
    client.logout()
    # Then a visitor sees the support counted, and the supporter sees it marked
    assert "1 supporter<" in read(client, list_url(cycle))
    client.force_login(neighbour)
    assert "you support it" in read(client, list_url(cycle))
    # and the supporter's mark is never kept for another reader
    client.logout()
    page = read(client, list_url(cycle))
    assert "1 supporter<" in page
    assert "you support it" not in page


def test_a_new_proposal_and_a_hidden_one_show_at_once(
    client, cycle, resident, function, moderator
):
    first = make_submitted(cycle, resident, function, title="Lamps on Abai street")
    assert "1 proposal<" in read(client, list_url(cycle))
    make_submitted(cycle, resident, function, title="A well in the square")
    page = read(client, list_url(cycle))
    assert "2 proposals<" in page
    assert "A well in the square" in page
    with time_machine.travel(OPEN, tick=False):
        services.proposal_hide(proposal=first, actor=moderator, reason="Spam")
    page = read(client, list_url(cycle))
    assert "Hidden by a moderator" in page
    assert "Lamps on Abai street" not in page


def test_the_phase_turning_at_midnight_is_shown_without_an_act(
    client, cycle, resident, function
):
    # Given the list kept on the last day of proposals, offering to write one
    make_submitted(cycle, resident, function)
    last_day = at(2026, 4, 30, 12)
    assert "Sign in</a> as a verified resident to write a proposal" in read(
        client, list_url(cycle), on=last_day
    )
    # When the next day comes, with no act recorded
    page = read(client, list_url(cycle), on=at(2026, 5, 1, 12))
    # Then proposals are no longer offered
    assert "to write a proposal" not in page


def test_each_language_is_drawn_in_its_own(client, cycle, resident, function):
    make_submitted(cycle, resident, function)
    url = list_url(cycle)
    english = read(client, url)
    russian = read(client, url.replace("/en/", "/ru/", 1))
    kazakh = read(client, url.replace("/en/", "/kk/", 1))
    assert "1 proposal<" in english
    assert "1 предложение<" in russian
    assert "1 ұсыныс<" in kazakh


def test_each_query_is_kept_apart_and_a_long_one_is_never_kept(
    client, cycle, resident, function
):
    make_submitted(cycle, resident, function, title="Lamps on Abai street")
    assert "Lamps on Abai street" in read(client, list_url(cycle, "?q=lamps"))
    assert "No proposal matches" in read(client, list_url(cycle, "?q=wells"))
    before = _kept_fragments()
    read(client, list_url(cycle, "?q=" + "x" * 400))
    assert _kept_fragments() == before


def test_a_name_changed_draws_again_the_units_the_person_lives_in(resident, territory):
    # The name a resident writes under is shown beside what they wrote there.
    unit = territory["rural_district"]
    before = fragments.unit_version(unit.pk)
    user_names_update(
        user=resident, first_name="Aigerim", last_name="Bekova", display_name="Aika"
    )
    assert fragments.unit_version(unit.pk) != before


def test_a_lost_version_is_replaced_and_nothing_kept_under_the_old_one_is_read(
    client, cycle, resident, function
):
    make_submitted(cycle, resident, function, title="Lamps on Abai street")
    read(client, list_url(cycle))
    # An edit the audit trail does not see, after the version was evicted
    cache.delete(f"{fragments.VERSION}{cycle.unit_id}")
    cycle.unit.proposals.update(title="Lamps on Satpayev street")
    assert "Lamps on Satpayev street" in read(client, list_url(cycle))


def test_the_version_is_renewed_when_the_act_is_recorded_and_again_at_its_commit(
    django_capture_on_commit_callbacks, territory
):
    # A reader who read the data before the commit may keep their page under the
    # version set inside the transaction: the second renewal leaves it unread.
    unit = territory["rural_district"]
    first = fragments.unit_version(unit.pk)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        fragments.units_changed([unit.pk])
        inside = fragments.unit_version(unit.pk)
    after = fragments.unit_version(unit.pk)
    assert len({first, inside, after}) == 3


def _kept_fragments() -> int:
    return sum(1 for key in cache._cache if ":fragment:" in key)


def test_what_a_reader_may_do_is_asked_for_each_reader_of_the_kept_list(
    client, cycle, resident, staff, outsider, function
):
    # Given the list kept by a visitor while proposals are open
    make_submitted(cycle, resident, function)
    url = list_url(cycle)
    assert "Sign in</a> as a verified resident" in read(client, url)
    # Then a resident of the unit is offered to write one, the akimat's staff to
    # register one brought on paper, a resident of another unit told why not
    client.force_login(resident)
    page = read(client, url)
    assert "Write a proposal" in page
    assert "Register a proposal brought on paper" not in page
    client.force_login(staff)
    assert "Register a proposal brought on paper" in read(client, url)
    client.force_login(outsider)
    page = read(client, url)
    assert "Write a proposal" not in page
    assert "Only verified residents of this unit make proposals" in page


# A proposal's page, which a visitor reads whole from what was kept.


def test_a_visitor_reads_at_once_a_comment_a_support_and_a_hiding(
    client, cycle, resident, neighbour, function, moderator
):
    proposal = make_submitted(cycle, resident, function, title="Lamps on Abai street")
    url = proposal.get_absolute_url()
    page = read(client, url)
    assert "0 supporters" in page
    assert "No comments yet." in page
    with time_machine.travel(OPEN, tick=False):
        services.support_add(proposal=proposal, user=neighbour)
        services.comment_post(
            proposal=proposal, author=neighbour, body="Yes, it is dark in winter."
        )
    page = read(client, url)
    assert "1 supporter<" in page
    assert "Yes, it is dark in winter." in page
    with time_machine.travel(OPEN, tick=False):
        services.proposal_hide(proposal=proposal, actor=moderator, reason="Spam")
    page = read(client, url)
    assert "A moderator hid this proposal" in page
    assert "Lamps on Abai street" not in page


def test_a_private_draft_is_not_found_by_a_visitor_and_nothing_of_it_is_kept(
    client, cycle, resident, function
):
    draft = make_draft(cycle, resident, function, title="A private idea")
    before = _kept_fragments()
    with time_machine.travel(OPEN, tick=False):
        assert client.get(draft.get_absolute_url()).status_code == 404
    assert _kept_fragments() == before
    # Once submitted, it is public
    with time_machine.travel(OPEN, tick=False):
        services.proposal_submit(proposal=draft, actor=resident)
    assert "A private idea" in read(client, draft.get_absolute_url())


def test_a_signed_in_reader_never_gets_the_visitors_page(
    client, cycle, resident, neighbour, function
):
    proposal = make_submitted(cycle, resident, function)
    url = proposal.get_absolute_url()
    assert "Sign in</a> as a verified resident of the unit to support it" in read(
        client, url
    )
    client.force_login(neighbour)
    page = read(client, url)
    assert "Support this proposal" in page
    assert "Publish the comment" in page
    assert "Sign in</a>" not in page


def test_a_signed_in_reader_reads_at_once_a_review_and_a_hiding(
    client, cycle, resident, neighbour, function, moderator
):
    # Given a neighbour's page of a proposal whose cycle's proposals have closed, what
    # everyone reads of it kept (every read at the same moment: a kept part expires
    # within the hour)
    proposal = make_submitted(cycle, resident, function, title="Lamps on Abai street")
    url = proposal.get_absolute_url()
    client.force_login(neighbour)
    moment = at(2026, 5, 5, 12)
    page = read(client, url, on=moment)
    assert "Lamps on Abai street" in page
    assert 'id="review-heading"' not in page
    # When its review starts
    with time_machine.travel(moment, tick=False):
        services.reviews_start()
    # Then the neighbour reads the review at once
    page = read(client, url, on=moment)
    assert 'id="review-heading"' in page
    assert 'id="about-heading"' in page
    # and once a moderator hides it, what was kept of its text is not shown
    with time_machine.travel(moment, tick=False):
        services.proposal_hide(proposal=proposal, actor=moderator, reason="Spam")
    page = read(client, url, on=moment)
    assert "A moderator hid this proposal" in page
    assert "Lamps on Abai street" not in page
    assert 'id="about-heading"' not in page


def test_the_parts_kept_for_every_reader_keep_nothing_of_the_reader(
    client, cycle, resident, neighbour, function
):
    # Given the author's page of their proposal, drawn first (its parts kept)
    proposal = make_submitted(cycle, resident, function)
    url = proposal.get_absolute_url()
    client.force_login(resident)
    assert "Withdraw the proposal" in read(client, url)
    # When a neighbour reads it, from the parts the author's page kept
    client.force_login(neighbour)
    page = read(client, url)
    # Then the neighbour's page offers what the neighbour may do, and no more
    assert "Withdraw the proposal" not in page
    assert "Support this proposal" in page
    # and it is the page drawn afresh for them, byte for byte but the form's token
    with time_machine.travel(OPEN, tick=False):
        kept = client.get(url)
        cache.clear()
        drawn = client.get(url)
    assert without_token(kept) == without_token(drawn)


def test_each_page_of_comments_is_kept_apart(client, cycle, resident, function):
    proposal = make_submitted(cycle, resident, function)
    url = proposal.get_absolute_url()
    read(client, url)
    assert "No comments yet." in read(client, url + "?page=2")
    assert "No comments yet." in read(client, url + "?page=" + "9" * 50)


# The API's proposals of a unit, kept per change of its data.


def test_the_api_s_proposals_of_a_unit_are_kept_until_the_unit_changes(
    client, cycle, resident, neighbour, function, django_assert_num_queries
):
    proposal = make_submitted(cycle, resident, function)
    url = f"/api/v1/proposals/?unit={cycle.unit.kato_code}"

    def support_counts():
        with time_machine.travel(OPEN, tick=False):
            response = client.get(url)
        assert response.status_code == 200
        return [row["support_count"] for row in response.json()["results"]]

    assert support_counts() == [0]
    with django_assert_num_queries(0):
        assert support_counts() == [0]
    with time_machine.travel(OPEN, tick=False):
        services.support_add(proposal=proposal, user=neighbour)
    assert support_counts() == [1]
    # A refused filter is answered each time, never kept
    for _ in range(2):
        refused = client.get(url + "&status=bogus")
        assert refused.status_code == 400
