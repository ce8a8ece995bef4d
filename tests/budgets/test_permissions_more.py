"""More of the permission matrix of budgets: the actions in the phases the first matrix
leaves out (before drafting, and after the vote: adopted, execution, closed), reading a
version still being prepared, and the dates of the cycle-open form.

The world and the checks are those of test_permissions; each (action, phase, role) is one
test, and every refusal asserts that nothing changed.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from budgets import services
from budgets.models import BudgetCycle, CyclePhase, PhaseCalendar
from portal.permissions import refusal
from tests.budgets import test_permissions as matrix
from tests.budgets.conftest import BUDGET_ROWS, DAY_IN, at
from tests.budgets.test_permissions import (
    COMMENTED,
    COORDINATED,
    DISCUSSION_CLOSED,
    MEETING_PHASE,
    NEVER_EDITED,
    NOT_DRAFTING,
    PHASE_OVER,
    PREPARING,
    PUBLISH_PHASE,
    PUBLISHED,
    ROLES,
    STAFF_AND_AKIM,
    STEPS,
    UNDER_VOTE,
    V2_PREPARING,
    Action,
    Situation,
    World,
    _open_data,
    act_comment_line,
    act_comment_whole,
    act_draft_create,
    act_draft_edit,
    act_phase_extend,
    act_publish,
    act_reply,
    act_submit,
    assert_outcome,
    cycle_url,
    done_reply,
    draft_url,
    meeting_data,
    reply_refused_to,
    snapshot,
)
from tests.refusals import refused

# The fixtures of the first matrix: media in a tmp dir (its people are the conftest's).
_media_in_tmp = matrix._media_in_tmp

# Days after the vote: the draft approved in December, the fiscal year, the year after.
DAYS = {
    **DAY_IN,
    "adopted": at(2026, 12, 20),
    "execution": at(2027, 1, 15),
    "closed": at(2028, 1, 15),
}


def _at(day: str):
    return time_machine.travel(DAYS[day], tick=False)


def step_approve(world: World) -> None:
    with _at("maslikhat_vote"):
        services.draft_approve(draft=world.latest_published(), actor=None)
    world.refresh()


MORE_STEPS = {**STEPS, "approve": step_approve}
ADOPTED = (*UNDER_VOTE, "approve")
ADOPTED_COMMENTED = (*COMMENTED, "meeting", "submit", "approve")
AFTER_THE_VOTE = ("adopted", "execution", "closed")
BEFORE_DRAFTING = ("planned", "proposals_open", "review")
# Before drafting no draft can exist; the world brings one from a later day (made by the
# services in its own phase) to show that the phase of the day refuses the act.

APPROVED_TO_PUBLISHED = (
    "A draft that is approved cannot become published for discussion."
)
APPROVED_TO_SUBMITTED = (
    "A draft that is approved cannot become submitted to the maslikhat."
)
SHORTENED = (
    "A phase's end may only be moved later, never earlier: it ends on 30 April 2026."
)
SUBMIT_PHASE = (
    "The akim submits the draft during coordination, after the meeting's decision."
)
NOT_IN_YEAR = "The execution is the fiscal year itself: it ends on 31 December 2028."


def act_meeting_any(client, world, situation):
    return client.post(
        reverse(
            "budgets:meeting_record",
            kwargs={**world.kwargs, "version": situation.target},
        ),
        meeting_data("coordination"),
    )


def act_open_outside_year(client, world, situation):
    data = _open_data(2028)
    data["execution_starts_on"] = "2027-12-27"
    return client.post(
        reverse("budgets:cycle_open", args=[world.cycle.unit.kato_code]), data
    )


def _never(*args):  # pragma: no cover - no situation below is allowed
    raise AssertionError("this act must be refused")


def _extend_to(day: str) -> str:
    return (DAYS[day].date() + datetime.timedelta(days=20)).isoformat()


ACTIONS: dict[str, Action] = {
    "open_cycle_outside_the_year": Action(
        rule="budgets.open_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation(
                "execution_not_the_fiscal_year", "planned", (), False, 2028, NOT_IN_YEAR
            ),
        ),
        act=act_open_outside_year,
        done=_never,
        shows_refusal="form_error",
    ),
    "start_draft_version": Action(
        rule="budgets.new_version",
        roles=STAFF_AND_AKIM,
        situations=tuple(
            Situation(phase, phase, ADOPTED, False, refusal=NOT_DRAFTING)
            for phase in AFTER_THE_VOTE
        ),
        act=act_draft_create,
        done=_never,
        shows_refusal="message_redirect",
        refused_to=cycle_url,
    ),
    "edit_draft": Action(
        rule="budgets.manage_cycle",
        roles=STAFF_AND_AKIM,
        situations=tuple(
            Situation(phase, phase, ADOPTED, False, 1, NEVER_EDITED)
            for phase in AFTER_THE_VOTE
        ),
        act=act_draft_edit,
        done=_never,
        shows_refusal="message_redirect",
        refused_to=draft_url,
    ),
    "publish": Action(
        rule="budgets.manage_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            *(
                Situation(phase, phase, PREPARING, False, 1, PUBLISH_PHASE)
                for phase in BEFORE_DRAFTING
            ),
            *(
                Situation(phase, phase, ADOPTED, False, 1, APPROVED_TO_PUBLISHED)
                for phase in AFTER_THE_VOTE
            ),
        ),
        act=act_publish,
        done=_never,
        shows_refusal="message_page",
    ),
    **{
        name: Action(
            rule="budgets.comment_draft",
            roles=frozenset({"resident"}),
            situations=tuple(
                Situation(phase, phase, steps, False, 1, DISCUSSION_CLOSED)
                for phase, steps in (
                    *((p, PUBLISHED) for p in BEFORE_DRAFTING),
                    *((p, ADOPTED) for p in AFTER_THE_VOTE),
                )
            ),
            act=act,
            done=_never,
            shows_refusal="form_error",
        )
        for name, act in (
            ("comment_on_draft", act_comment_whole),
            ("comment_on_line", act_comment_line),
        )
    },
    "reply_officially": Action(
        rule="budgets.reply_officially",
        roles=STAFF_AND_AKIM,
        situations=tuple(
            Situation(phase, phase, ADOPTED_COMMENTED, True) for phase in AFTER_THE_VOTE
        ),
        act=act_reply,
        done=done_reply,
        shows_refusal="message_redirect",
        refused_to=reply_refused_to,
    ),
    "record_meeting": Action(
        rule="budgets.record_meeting",
        roles=STAFF_AND_AKIM,
        situations=(
            *(
                Situation(phase, phase, PUBLISHED, False, 1, MEETING_PHASE)
                for phase in BEFORE_DRAFTING
            ),
            *(
                Situation(phase, phase, ADOPTED, False, 1, MEETING_PHASE)
                for phase in AFTER_THE_VOTE
            ),
        ),
        act=act_meeting_any,
        done=_never,
        shows_refusal="form_error",
    ),
    "submit_to_maslikhat": Action(
        rule="budgets.submit_draft",
        roles=frozenset({"akim"}),
        situations=(
            *(
                Situation(phase, phase, COORDINATED, False, 1, SUBMIT_PHASE)
                for phase in BEFORE_DRAFTING
            ),
            *(
                Situation(phase, phase, ADOPTED, False, 1, APPROVED_TO_SUBMITTED)
                for phase in AFTER_THE_VOTE
            ),
        ),
        act=act_submit,
        done=_never,
        shows_refusal="message_page",
    ),
    "extend_phase": Action(
        rule="budgets.manage_cycle",
        roles=STAFF_AND_AKIM,
        situations=(
            Situation(
                "planned",
                "planned",
                (),
                False,
                (CyclePhase.PROPOSALS_OPEN, "2026-04-20"),
                SHORTENED,
            ),
            Situation(
                "proposals_open",
                "proposals_open",
                (),
                False,
                (CyclePhase.PROPOSALS_OPEN, "2026-04-20"),
                SHORTENED,
            ),
            Situation(
                "review",
                "review",
                (),
                False,
                (CyclePhase.DRAFTING, "2026-05-20"),
                SHORTENED.replace("30 April 2026", "30 September 2026"),
            ),
            *(
                Situation(
                    phase,
                    phase,
                    ADOPTED,
                    False,
                    (CyclePhase.MASLIKHAT_VOTE, _extend_to(phase)),
                    PHASE_OVER,
                )
                for phase in AFTER_THE_VOTE
            ),
        ),
        act=act_phase_extend,
        done=_never,
        shows_refusal="form_error",
    ),
}

CASES = [
    pytest.param(
        role,
        name,
        situation,
        id=f"{name}-{situation.phase}-{role}",
    )
    for name, action in ACTIONS.items()
    for situation in action.situations
    for role in ROLES
]


def _world(cycle, people, steps) -> World:
    world = World(cycle=cycle, people=people)
    for step in steps:
        MORE_STEPS[step](world)
    return world


@pytest.mark.parametrize(("role", "action_name", "situation"), CASES)
def test_permission_matrix_more(client, cycle, people, role, action_name, situation):
    # Given the cycle brought to the phase, and the person signed in
    action = ACTIONS[action_name]
    world = _world(cycle, people, situation.steps)
    user = people[role]
    before = snapshot()

    # When they do the act through its page on a day of the phase
    with _at(situation.day):
        if user is not None:
            client.force_login(user)
        response = action.act(client, world, situation)

    # Then
    assert_outcome(action, role, situation, world, response, before, user)


# Reading: a version still being prepared is the akimat's working copy.

MANAGERS = STAFF_AND_AKIM


def _version_url(world, name: str, version: int) -> str:
    return reverse(f"budgets:{name}", kwargs={**world.kwargs, "version": version})


@pytest.mark.parametrize("role", ROLES)
def test_preparing_version_is_read_only_by_the_units_staff(client, cycle, people, role):
    world = _world(cycle, people, PREPARING)
    if people[role] is not None:
        client.force_login(people[role])
    before = snapshot()
    with _at("drafting"):
        response = client.get(_version_url(world, "draft_detail", 1))
    assert response.status_code == (200 if role in MANAGERS else 404)
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_of_a_preparing_version(client, cycle, people, role):
    world = _world(cycle, people, PREPARING)
    if people[role] is not None:
        client.force_login(people[role])
    before = snapshot()
    with _at("drafting"):
        response = client.get(_version_url(world, "draft_edit", 1))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/en/accounts/login/?next=/en/units/")
    elif role in MANAGERS:
        assert response.status_code == 200
    else:
        # The rule is asked before the version is looked up: a refusal, not a 404.
        assert response.status_code == 403
        assert escape(str(refusal("budgets.manage_cycle"))) in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_diff_shows_a_preparing_version_only_to_staff(client, cycle, people, role):
    world = _world(cycle, people, V2_PREPARING)
    if people[role] is not None:
        client.force_login(people[role])
    before = snapshot()
    with _at("public_discussion"):
        response = client.get(
            reverse("budgets:draft_diff", kwargs=world.kwargs), {"from": 1, "to": 2}
        )
        default = client.get(reverse("budgets:draft_diff", kwargs=world.kwargs))
    if role in MANAGERS:
        assert response.status_code == 200
        assert response.context["numbers"] == [1, 2]
        assert default.context["after_number"] == 2
    else:
        # With one public version the page compares nothing and does not look at the
        # numbers asked for: 200 without a diff (not a 404), the version 2 never named.
        for page in (response, default):
            assert page.status_code == 200
            assert page.context["numbers"] == [1]
            assert page.context["diff"] is None
            assert page.context["after_number"] is None
    assert snapshot() == before


READ_PAGES = ("cycle_detail", "draft_detail", "draft_diff", "unit_cycles")


@pytest.mark.parametrize("phase", AFTER_THE_VOTE)
@pytest.mark.parametrize("role", ROLES)
def test_reading_after_the_vote(client, cycle, people, role, phase):
    world = _world(
        cycle,
        people,
        (*V2_PREPARING[:-1], "v2", "publish_v2", "meeting", "submit", "approve"),
    )
    if people[role] is not None:
        client.force_login(people[role])
    before = snapshot()
    urls = [
        cycle.get_absolute_url(),
        _version_url(world, "draft_detail", 1),
        _version_url(world, "draft_detail", 2),
        reverse("budgets:draft_diff", kwargs=world.kwargs),
        _version_url(world, "meeting_minutes", 2),
        reverse("budgets:unit_cycles", args=[cycle.unit.kato_code]),
    ]
    with _at(phase):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if hasattr(response, "streaming_content"):
                # Reading the stream closes it the way the test client expects; calling
                # response.close() here would send request_finished with Django's
                # close_old_connections connected, closing PostgreSQL's connection in the
                # middle of the test's transaction.
                b"".join(response.streaming_content)
    assert snapshot() == before


# Opening a cycle: the form's dates come from the region's calendar.


def _initial_dates(client, staff, unit) -> dict:
    """The form of a unit without cycles in January 2026: 2027 is offered."""
    client.force_login(staff)
    with time_machine.travel(at(2026, 1, 15), tick=False):
        response = client.get(reverse("budgets:cycle_open", args=[unit.kato_code]))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["fiscal_year"] == 2027
    return initial


def test_open_form_prefilled_from_the_national_default(client, staff, territory):
    initial = _initial_dates(client, staff, territory["rural_district"])
    assert initial["proposals_open_starts_on"] == datetime.date(2026, 3, 1)
    assert initial["proposals_open_ends_on"] == datetime.date(2026, 4, 30)
    assert initial["maslikhat_vote_ends_on"] == datetime.date(2026, 12, 25)
    assert initial["execution_starts_on"] == datetime.date(2027, 1, 1)
    assert initial["execution_ends_on"] == datetime.date(2027, 12, 31)


def test_open_form_prefilled_from_the_regions_own_calendar(client, staff, territory):
    PhaseCalendar.objects.get_or_create(region=None)
    PhaseCalendar.objects.create(
        region=territory["region"],
        proposals_open_start="02-15",
        proposals_open_end="04-15",
        review_end="05-20",
        drafting_end="09-15",
        public_discussion_end="10-20",
        coordination_end="11-25",
        maslikhat_vote_end="12-20",
    )
    initial = _initial_dates(client, staff, territory["rural_district"])
    assert initial["proposals_open_starts_on"] == datetime.date(2026, 2, 15)
    assert initial["proposals_open_ends_on"] == datetime.date(2026, 4, 15)
    assert initial["review_starts_on"] == datetime.date(2026, 4, 16)
    assert initial["review_ends_on"] == datetime.date(2026, 5, 20)
    assert initial["public_discussion_ends_on"] == datetime.date(2026, 10, 20)
    assert initial["maslikhat_vote_ends_on"] == datetime.date(2026, 12, 20)
    assert initial["execution_ends_on"] == datetime.date(2027, 12, 31)


def test_open_refuses_an_execution_outside_the_fiscal_year_in_the_service(
    territory, staff
):
    data = _open_data(2028)
    dates = {
        kind: (
            datetime.date.fromisoformat(data[f"{kind}_starts_on"]),
            datetime.date.fromisoformat(data[f"{kind}_ends_on"]),
        )
        for kind in CyclePhase.values
        if f"{kind}_starts_on" in data
    }
    dates[CyclePhase.EXECUTION] = (
        datetime.date(2028, 1, 1),
        datetime.date(2028, 12, 30),
    )
    with (
        time_machine.travel(at(2026, 1, 15), tick=False),
        refused("phase_dates_not_in_year", *BUDGET_ROWS),
    ):
        services.cycle_open(
            unit=territory["rural_district"],
            fiscal_year=2028,
            actor=staff,
            dates=dates,
        )
    assert not BudgetCycle.objects.filter(fiscal_year=2028).exists()
