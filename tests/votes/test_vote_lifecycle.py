"""The residents' vote through its services: the phase on the cycle's timeline, the set-up
and its freeze at the opening, ballots online and on paper with every refusal, and the
count after the close, once."""

import datetime

import pytest
import time_machine

from accounts.iin import birth_date
from accounts.models import ResidencyStatus
from budgets import services as budget_services
from budgets.models import CyclePhase, Phase
from budgets.selectors import cycle_state
from portal.models import AuditEvent, Notification
from proposals import services as proposal_services
from proposals.models import Proposal, VoteOutcome
from tests.accounts.factories import ResidencyFactory
from tests.budgets.conftest import BALANCED, BUDGET_ROWS, DAY_IN, at
from tests.budgets.factories import lines
from tests.refusals import refused
from tests.votes.conftest import (
    CLOSED,
    OPEN,
    PREPARING,
    VOTE_ENDS,
    VOTE_ROWS,
    VOTE_STARTS,
    cast,
    make_voter,
    papers_issue,
    prepare,
    projects_by_title,
    rules,
)
from votes import services
from votes.codes import AuditVerb
from votes.models import Ballot, Channel, Outcome, VoteProject

ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def _phase_on(cycle, moment) -> str:
    with time_machine.travel(moment, tick=False):
        return cycle_state(cycle, fresh=True)


# The phase.


def test_a_vote_is_a_phase_between_the_review_and_the_drafting(vote):
    cycle = vote.cycle
    assert _phase_on(cycle, at(2026, 5, 31)).phase == CyclePhase.REVIEW
    waiting = _phase_on(cycle, at(2026, 6, 1))
    assert (waiting.phase, waiting.since) == (
        CyclePhase.RESIDENTS_VOTE,
        datetime.date(2026, 6, 1),
    )
    assert _phase_on(cycle, at(2026, 6, 20, 23)).phase == CyclePhase.RESIDENTS_VOTE
    drafting = _phase_on(cycle, at(2026, 6, 21, 0))
    assert (drafting.phase, drafting.since) == (
        CyclePhase.DRAFTING,
        datetime.date(2026, 6, 21),
    )
    phases = {phase.kind: phase for phase in Phase.objects.filter(cycle=cycle)}
    assert phases[CyclePhase.DRAFTING].starts_on == datetime.date(2026, 6, 21)


def test_a_cycle_without_a_vote_drafts_from_the_day_after_the_review(cycle):
    state = _phase_on(cycle, at(2026, 6, 1))
    assert (state.phase, state.since) == (
        CyclePhase.DRAFTING,
        datetime.date(2026, 6, 1),
    )


def test_dropping_the_vote_gives_the_days_back_to_the_drafting(vote, staff):
    with time_machine.travel(PREPARING, tick=False):
        services.vote_cancel(vote=vote, actor=staff)
    cycle = vote.cycle
    assert not Phase.objects.filter(
        cycle=cycle, kind=CyclePhase.RESIDENTS_VOTE
    ).exists()
    assert Phase.objects.get(cycle=cycle, kind=CyclePhase.DRAFTING).starts_on == (
        datetime.date(2026, 6, 1)
    )
    assert _phase_on(cycle, at(2026, 6, 15)).phase == CyclePhase.DRAFTING


@pytest.mark.parametrize(
    ("moment", "starts_on", "ends_on", "code"),
    [
        (
            PREPARING,
            datetime.date(2026, 5, 31),
            VOTE_ENDS,
            "vote_phase_before_review_end",
        ),
        (
            PREPARING,
            VOTE_STARTS,
            datetime.date(2026, 9, 30),
            "vote_phase_leaves_no_drafting",
        ),
        (PREPARING, VOTE_STARTS, datetime.date(2026, 6, 9), "phase_dates_invalid"),
        (at(2026, 6, 2), datetime.date(2026, 6, 10), VOTE_ENDS, "vote_phase_too_late"),
    ],
)
def test_a_vote_is_refused_days_outside_its_place_on_the_timeline(
    cycle, staff, moment, starts_on, ends_on, code
):
    with (
        time_machine.travel(moment, tick=False),
        refused(code, *VOTE_ROWS, *BUDGET_ROWS),
    ):
        services.vote_prepare(
            cycle=cycle,
            rules=rules(),
            starts_on=starts_on,
            ends_on=ends_on,
            actor=staff,
        )


def test_a_prepared_vote_is_moved_only_to_days_ahead(vote, staff):
    # After the review, before the opening: the vote may move, not to a day passed
    with time_machine.travel(at(2026, 6, 5), tick=False):
        with refused("vote_phase_start_not_ahead", *VOTE_ROWS, *BUDGET_ROWS):
            services.vote_update(
                vote=vote,
                rules=rules(),
                starts_on=datetime.date(2026, 6, 5),
                ends_on=VOTE_ENDS,
                actor=staff,
            )
        services.vote_update(
            vote=vote,
            rules=rules(),
            starts_on=datetime.date(2026, 6, 6),
            ends_on=VOTE_ENDS,
            actor=staff,
        )


def test_extending_the_review_moves_the_vote_and_the_drafting_along(vote, staff):
    with time_machine.travel(PREPARING, tick=False):
        budget_services.phase_extend(
            cycle=vote.cycle,
            kind=CyclePhase.REVIEW,
            ends_on=datetime.date(2026, 6, 12),
            reason="More proposals than expected.",
            actor=staff,
        )
    phases = {p.kind: p for p in Phase.objects.filter(cycle=vote.cycle)}
    # The vote keeps its length (a citizen phase), the drafting follows it
    assert (
        phases[CyclePhase.RESIDENTS_VOTE].starts_on,
        phases[CyclePhase.RESIDENTS_VOTE].ends_on,
    ) == (datetime.date(2026, 6, 13), datetime.date(2026, 6, 23))
    assert phases[CyclePhase.DRAFTING].starts_on == datetime.date(2026, 6, 24)


def test_an_open_vote_may_be_extended_never_shortened(open_vote, staff):
    with time_machine.travel(OPEN, tick=False):
        with refused("citizen_phase_shortened", *VOTE_ROWS, *BUDGET_ROWS):
            budget_services.phase_extend(
                cycle=open_vote.cycle,
                kind=CyclePhase.RESIDENTS_VOTE,
                ends_on=datetime.date(2026, 6, 18),
                reason="Fewer voters than expected.",
                actor=staff,
            )
        budget_services.phase_extend(
            cycle=open_vote.cycle,
            kind=CyclePhase.RESIDENTS_VOTE,
            ends_on=datetime.date(2026, 6, 25),
            reason="The internet was down in Akkol for two days.",
            actor=staff,
        )
    assert (
        _phase_on(open_vote.cycle, at(2026, 6, 24)).phase == CyclePhase.RESIDENTS_VOTE
    )


def test_a_phase_the_cycle_does_not_hold_cannot_be_extended(cycle, staff):
    with (
        time_machine.travel(PREPARING, tick=False),
        refused("phase_not_held", *BUDGET_ROWS),
    ):
        budget_services.phase_extend(
            cycle=cycle,
            kind=CyclePhase.RESIDENTS_VOTE,
            ends_on=datetime.date(2026, 6, 25),
            reason="A reason.",
            actor=staff,
        )


# Set-up and freeze.


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": 0}, "amount_invalid"),
        ({"min_choices": 3, "max_choices": 2}, "choices_range_invalid"),
        ({"min_choices": 0}, "choices_range_invalid"),
        ({"ballot_kind": "cumulative"}, "points_settings_invalid"),
        (
            {"ballot_kind": "cumulative", "points_total": 5, "points_max": 6},
            "points_settings_invalid",
        ),
        (
            {"ballot_kind": "cumulative", "points_total": 10, "points_max": 5},
            "rule_needs_approval",
        ),
        ({"rule": "greedy-threshold"}, "threshold_invalid"),
        (
            {"rule": "greedy-threshold", "threshold_votes": 5, "threshold_percent": 1},
            "threshold_invalid",
        ),
        ({"cost_cap": 0}, "cost_invalid"),
        ({"rule": "borda"}, "choices_invalid"),
        ({"ballot_kind": "ranking"}, "choices_invalid"),
    ],
)
def test_bad_rules_are_refused_with_their_reason(cycle, staff, changes, code):
    with (
        time_machine.travel(PREPARING, tick=False),
        refused(code, *VOTE_ROWS, *BUDGET_ROWS),
    ):
        services.vote_prepare(
            cycle=cycle,
            rules=rules(**changes),
            starts_on=VOTE_STARTS,
            ends_on=VOTE_ENDS,
            actor=staff,
        )


def test_a_cycle_holds_one_vote(vote, staff):
    with time_machine.travel(PREPARING, tick=False), refused("vote_exists", *VOTE_ROWS):
        services.vote_prepare(
            cycle=vote.cycle,
            rules=rules(),
            starts_on=VOTE_STARTS,
            ends_on=VOTE_ENDS,
            actor=staff,
        )


def test_the_opening_freezes_the_approved_proposals_within_the_cap(
    cycle, staff, approved_proposals
):
    vote = prepare(cycle, staff, cost_cap=4_000_000)
    with time_machine.travel(PREPARING, tick=False):
        services.project_add(
            vote=vote,
            title="Benches along the river",
            description="Twelve benches.",
            cost=900_000,
            reason="The akimat's own plan for the river bank, asked for at the gathering.",
            place=None,
            actor=staff,
        )
    assert vote.projects.count() == 1  # the proposals go on at the opening
    with time_machine.travel(OPEN, tick=False):
        assert services.vote_freeze(vote) is True
        assert services.vote_freeze(vote) is False
    vote.refresh_from_db()
    assert vote.opened_at is not None
    costs = {project.title: project.cost for project in vote.projects.all()}
    # The roof (4,800,000.40, rounded up) is over the cap
    assert costs == {
        "Benches along the river": 900_000,
        "A well in Akkol": 1_500_000,
        "Street lights on Abai street": 2_300_000,
        "A playground by the school": 3_100_000,
    }
    assert AuditEvent.objects.filter(verb=AuditVerb.VOTE_FROZEN).count() == 1


def test_the_opening_tells_the_units_verified_residents_once(
    cycle, staff, resident, territory
):
    pending = ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    ).user
    elsewhere = ResidencyFactory(
        place=territory["other_rural_district"],
        budget_unit=territory["other_rural_district"],
    ).user
    vote = prepare(cycle, staff)

    with time_machine.travel(OPEN, tick=False):
        services.vote_freeze(vote)
        services.vote_freeze(vote)

    notices = Notification.objects.filter(kind="vote_opened")
    assert [(notice.recipient, notice.unit, notice.context) for notice in notices] == [
        (resident, territory["rural_district"], {"year": 2027})
    ]
    assert not notices.filter(recipient__in=[pending, elsewhere, staff]).exists()


def test_a_vote_frozen_only_after_it_closed_asks_nobody_to_vote(cycle, staff, resident):
    vote = prepare(cycle, staff)

    with time_machine.travel(CLOSED, tick=False):
        frozen = services.vote_freeze(vote)

    assert frozen is True
    assert not Notification.objects.filter(kind="vote_opened").exists()


def test_an_assessed_cost_in_tiyn_is_rounded_up_to_the_tenge(open_vote):
    assert projects_by_title(open_vote)["Repair of the club's roof"].cost == 4_800_001


def test_nothing_changes_once_the_vote_opens(open_vote, staff):
    project = VoteProject.objects.filter(vote=open_vote).first()
    with time_machine.travel(OPEN, tick=False):
        with refused("vote_frozen", *VOTE_ROWS, *BUDGET_ROWS):
            services.vote_update(
                vote=open_vote,
                rules=rules(rule="greedy"),
                starts_on=VOTE_STARTS,
                ends_on=VOTE_ENDS,
                actor=staff,
            )
        with refused("vote_frozen", *VOTE_ROWS, *BUDGET_ROWS):
            services.vote_cancel(vote=open_vote, actor=staff)
        with refused("vote_frozen", *VOTE_ROWS):
            services.project_add(
                vote=open_vote,
                title="Late idea",
                description="",
                cost=10,
                reason="Too late.",
                place=None,
                actor=staff,
            )
        with refused("vote_frozen", *VOTE_ROWS):
            services.project_remove(vote=open_vote, project=project, actor=staff)


def test_the_rules_change_freely_before_the_opening(vote, staff):
    with time_machine.travel(PREPARING, tick=False):
        services.vote_update(
            vote=vote,
            rules=rules(rule="greedy", ballot_kind="choose-1", max_choices=5),
            starts_on=datetime.date(2026, 6, 12),
            ends_on=datetime.date(2026, 6, 22),
            actor=staff,
        )
    vote.refresh_from_db()
    assert (vote.rule, vote.ballot_kind, vote.min_choices, vote.max_choices) == (
        "greedy",
        "choose-1",
        1,
        1,
    )
    assert Phase.objects.get(cycle=vote.cycle, kind=CyclePhase.DRAFTING).starts_on == (
        datetime.date(2026, 6, 23)
    )


@pytest.mark.parametrize(
    ("title", "cost", "reason", "code"),
    [
        ("  ", 100, "Reason.", "title_empty"),
        ("Benches", 100, "  ", "reason_required"),
        ("Benches", 0, "Reason.", "cost_invalid"),
    ],
)
def test_a_project_the_akimat_adds_is_refused_without_its_parts(
    vote, staff, title, cost, reason, code
):
    with time_machine.travel(PREPARING, tick=False), refused(code, *VOTE_ROWS):
        services.project_add(
            vote=vote,
            title=title,
            description="",
            cost=cost,
            reason=reason,
            place=None,
            actor=staff,
        )


def test_a_project_over_the_cap_is_refused(cycle, staff, approved_proposals):
    vote = prepare(cycle, staff, cost_cap=1_000_000)
    with (
        time_machine.travel(PREPARING, tick=False),
        refused("cost_over_cap", *VOTE_ROWS),
    ):
        services.project_add(
            vote=vote,
            title="A new bridge",
            description="",
            cost=1_000_001,
            reason="The old one is unsafe.",
            place=None,
            actor=staff,
        )


def test_an_added_project_comes_off_the_ballot_before_the_opening(vote, staff):
    with time_machine.travel(PREPARING, tick=False):
        project = services.project_add(
            vote=vote,
            title="Benches",
            description="",
            cost=100,
            reason="The akimat's plan.",
            place=None,
            actor=staff,
        )
        removed = project.pk
        services.project_remove(vote=vote, project=project, actor=staff)
    assert not vote.projects.exists()
    event = AuditEvent.objects.get(verb=AuditVerb.VOTE_PROJECT_REMOVED)
    assert event.details == {"project": removed, "title": "Benches"}


# Ballots online.


def test_a_resident_votes_once_and_gets_a_receipt(open_vote, voter):
    ballot = cast(open_vote, voter, "A well in Akkol", "Street lights on Abai street")
    assert ballot.channel == Channel.ONLINE
    assert len(ballot.receipt) == 12
    assert ballot.voter_age == 36
    assert sorted(c.project.title for c in ballot.choices.all()) == [
        "A well in Akkol",
        "Street lights on Abai street",
    ]


def test_a_second_ballot_is_refused_and_recorded(open_vote, voter):
    cast(open_vote, voter, "A well in Akkol")
    ballots = list(Ballot.objects.values_list("pk", "receipt"))
    with pytest.raises(Exception) as refusal:
        cast(open_vote, voter, "Street lights on Abai street")
    assert refusal.value.code == "already_voted"
    assert list(Ballot.objects.values_list("pk", "receipt")) == ballots
    assert AuditEvent.objects.filter(verb=AuditVerb.BALLOT_COLLISION).count() == 1


def test_where_the_vote_allows_it_a_ballot_changes_until_the_close(
    cycle, staff, approved_proposals, voter
):
    vote = prepare(cycle, staff, ballot_changeable=True)
    with time_machine.travel(OPEN, tick=False):
        services.vote_freeze(vote)
    first = cast(vote, voter, "A well in Akkol")
    second = cast(vote, voter, "Street lights on Abai street")
    assert second.pk == first.pk and second.receipt == first.receipt
    assert [c.project.title for c in second.choices.all()] == [
        "Street lights on Abai street"
    ]
    assert second.changed_at is not None


@pytest.mark.parametrize(
    ("titles", "points", "code"),
    [
        ((), None, "too_few_choices"),
        (
            (
                "A well in Akkol",
                "Street lights on Abai street",
                "A playground by the school",
            ),
            None,
            "too_many_choices",
        ),
        ((), {"A well in Akkol": 2}, "points_invalid"),
    ],
)
def test_a_ballot_outside_the_rules_is_refused(open_vote, voter, titles, points, code):
    with refused(code, *VOTE_ROWS):
        cast(open_vote, voter, *titles, points=points)


def test_a_project_not_on_the_ballot_is_refused(open_vote, voter):
    with time_machine.travel(OPEN, tick=False), refused("unknown_project", *VOTE_ROWS):
        services.ballot_cast(vote=open_vote, voter=voter, choices={999_999: 1})


def test_cumulative_points_within_the_total_and_the_most_per_project(
    cycle, staff, approved_proposals, voter, territory
):
    vote = prepare(
        cycle,
        staff,
        ballot_kind="cumulative",
        rule="greedy",
        points_total=5,
        points_max=3,
    )
    with time_machine.travel(OPEN, tick=False):
        services.vote_freeze(vote)
    with refused("points_over_project_max", *VOTE_ROWS):
        cast(vote, voter, points={"A well in Akkol": 4})
    with refused("points_over_total", *VOTE_ROWS):
        cast(
            vote, voter, points={"A well in Akkol": 3, "A playground by the school": 3}
        )
    ballot = cast(
        vote, voter, points={"A well in Akkol": 3, "A playground by the school": 2}
    )
    assert sorted(c.points for c in ballot.choices.all()) == [2, 3]


def test_one_project_only(cycle, staff, approved_proposals, voter):
    vote = prepare(cycle, staff, ballot_kind="choose-1")
    with time_machine.travel(OPEN, tick=False):
        services.vote_freeze(vote)
    with refused("too_many_choices", *VOTE_ROWS):
        cast(vote, voter, "A well in Akkol", "Street lights on Abai street")
    cast(vote, voter, "A well in Akkol")


def test_who_may_not_vote_is_refused_with_the_reason(
    open_vote, territory, user_without_iin
):
    outsider = make_voter(territory)
    outsider.residencies.update(budget_unit=territory["other_rural_district"])
    too_young = make_voter(territory, born="100101", century_sex=5)
    for person, code in (
        (outsider, "not_resident"),
        (user_without_iin, "not_resident"),
        (too_young, "too_young"),
    ):
        with refused(code, *VOTE_ROWS):
            cast(open_vote, person, "A well in Akkol")


def test_a_resident_turns_old_enough_on_their_birthday(open_vote, territory):
    # Eighteen on 15 June 2026, the day of the vote
    person = make_voter(territory, born="080615", century_sex=5)
    with refused("too_young", *VOTE_ROWS):
        cast(open_vote, person, "A well in Akkol", on=at(2026, 6, 14, 23))
    cast(open_vote, person, "A well in Akkol", on=at(2026, 6, 15, 0))


def test_an_account_without_its_birth_date_gives_its_iin_again(open_vote, voter):
    voter.birth_date = None
    voter.save(update_fields=["birth_date"])
    project = projects_by_title(open_vote)["A well in Akkol"].pk
    with time_machine.travel(OPEN, tick=False):
        with refused("birth_date_unknown", *VOTE_ROWS):
            services.ballot_cast(vote=open_vote, voter=voter, choices={project: 1})
        voter.birth_date = None
        with refused("iin_not_yours", *VOTE_ROWS):
            services.ballot_cast(
                vote=open_vote, voter=voter, choices={project: 1}, iin="900101300017"
            )
        voter.birth_date = None
        services.ballot_cast(
            vote=open_vote, voter=voter, choices={project: 1}, iin=voter.iin
        )
    voter.refresh_from_db()
    assert voter.birth_date == birth_date(voter.iin)


def test_the_vote_takes_ballots_from_its_first_moment_to_its_last(
    vote, voter, territory
):
    opens = datetime.datetime(2026, 6, 10, 0, 0, tzinfo=ALMATY)
    closes = datetime.datetime(2026, 6, 21, 0, 0, tzinfo=ALMATY)
    with (
        refused("vote_not_open", *VOTE_ROWS),
        time_machine.travel(opens - datetime.timedelta(microseconds=1), tick=False),
    ):
        services.ballot_cast(vote=vote, voter=voter, choices={})
    with time_machine.travel(opens, tick=False):
        services.vote_freeze(vote)
    late = make_voter(territory)
    cast(vote, voter, "A well in Akkol", on=opens)
    cast(vote, late, "A well in Akkol", on=closes - datetime.timedelta(microseconds=1))
    with refused("vote_closed", *VOTE_ROWS):
        cast(vote, make_voter(territory), "A well in Akkol", on=closes)


# Paper.


def _paper(vote, clerk, person_iin, *titles, seen=True, on=OPEN, number=None):
    """A paper ballot entered on paper `number`, or on a paper issued for it first."""
    if number is None:
        number = papers_issue(vote, clerk, on=on)[0]
    projects = projects_by_title(vote)
    with time_machine.travel(on, tick=False):
        return services.ballot_enter_paper(
            vote=vote,
            actor=clerk,
            iin=person_iin,
            choices={projects[title].pk: 1 for title in titles},
            residency_seen=seen,
            paper_number=number,
        )


def test_staff_enter_a_paper_ballot_for_a_resident_without_an_account(open_vote, staff):
    from tests.accounts.factories import make_iin

    ballot = _paper(open_vote, staff, make_iin(42, born="550307"), "A well in Akkol")
    assert (ballot.channel, ballot.entered_by, ballot.voter, ballot.voter_age) == (
        Channel.PAPER,
        staff,
        None,
        71,
    )
    event = AuditEvent.objects.get(verb=AuditVerb.BALLOT_PAPER_ENTERED)
    assert event.actor == staff
    assert event.details == {
        "receipt": ballot.receipt,
        "paper": 1,
        "residency": "document_seen",
    }
    assert ballot.paper.number == 1
    assert not ballot.predates_paper_numbers


def test_paper_refuses_what_online_refuses(open_vote, staff, territory):
    from tests.accounts.factories import make_iin

    outsider = make_voter(territory)
    outsider.residencies.update(budget_unit=territory["other_rural_district"])
    (paper,) = papers_issue(open_vote, staff)
    for iin, seen, code in (
        (make_iin(43), False, "residency_not_checked"),
        (outsider.iin, True, "resident_of_other_unit"),
        (make_iin(44, born="120101", century_sex=5), True, "too_young"),
        ("12345", True, "iin_not_twelve_digits"),
        ("900101300018", True, "iin_check_digit"),
    ):
        with refused(code, *VOTE_ROWS):
            _paper(open_vote, staff, iin, "A well in Akkol", seen=seen, number=paper)


def test_one_ballot_per_person_across_both_channels(open_vote, staff, voter):
    cast(open_vote, voter, "A well in Akkol")
    with pytest.raises(Exception) as refusal:
        _paper(open_vote, staff, voter.iin, "A playground by the school")
    assert refusal.value.code == "already_voted"
    assert Ballot.objects.count() == 1
    collision = AuditEvent.objects.get(verb=AuditVerb.BALLOT_COLLISION)
    assert (collision.actor, collision.details["channel"]) == (staff, "paper")


def test_a_paper_ballot_then_online_is_refused(open_vote, staff, voter):
    _paper(open_vote, staff, voter.iin, "A well in Akkol")
    with pytest.raises(Exception) as refusal:
        cast(open_vote, voter, "A playground by the school")
    assert refusal.value.code == "already_voted"
    assert Ballot.objects.get().channel == Channel.PAPER


# The count.


def test_the_count_applies_the_frozen_rule_once(
    cycle, staff, approved_proposals, territory
):
    # Two groups: eight residents want the lights and the playground, three want the
    # well. With 5,400,000 tenge greedy would spend it all on the eight's two projects;
    # equal shares buys the lights (each of the eight pays 287,500), then raises each
    # share until the three can buy their well.
    open_vote = prepare(cycle, staff, amount=5_400_000)
    with time_machine.travel(OPEN, tick=False):
        services.vote_freeze(open_vote)
    for _voter in range(8):
        cast(
            open_vote,
            make_voter(territory),
            "Street lights on Abai street",
            "A playground by the school",
        )
    for _voter in range(3):
        cast(open_vote, make_voter(territory), "A well in Akkol")
    with time_machine.travel(OPEN, tick=False):
        assert services.vote_count(open_vote) is False  # not closed yet
    with time_machine.travel(CLOSED, tick=False):
        assert services.votes_tick() == {"frozen": 0, "counted": 1}
        assert services.votes_tick() == {"frozen": 0, "counted": 0}
        assert services.vote_count(open_vote) is False
    open_vote.refresh_from_db()
    assert open_vote.counted_at is not None
    outcomes = {
        p.title: (p.votes, p.outcome, p.round) for p in open_vote.projects.all()
    }
    assert outcomes == {
        "Street lights on Abai street": (8, Outcome.SELECTED, 1),
        "A well in Akkol": (3, Outcome.SELECTED, 2),
        "A playground by the school": (8, Outcome.NOT_SELECTED, None),
        "Repair of the club's roof": (0, Outcome.NOT_SELECTED, None),
    }
    assert AuditEvent.objects.filter(verb=AuditVerb.VOTE_COUNTED).count() == 1
    lights = projects_by_title(open_vote)["Street lights on Abai street"]
    assert (lights.price, lights.payers) == ("287500", 8)
    # The share rose while the outcome still fitted: at 675,000 the eight could buy the
    # playground too, over the budget
    assert open_vote.share == "674999"


def test_a_late_count_counts_only_the_ballots_before_the_close(open_vote, territory):
    cast(open_vote, make_voter(territory), "A well in Akkol")
    with time_machine.travel(at(2026, 7, 3), tick=False):
        services.votes_tick()
    open_vote.refresh_from_db()
    assert projects_by_title(open_vote)["A well in Akkol"].outcome == Outcome.SELECTED


def test_a_vote_nobody_froze_is_frozen_and_counted_after_its_close(vote):
    with time_machine.travel(CLOSED, tick=False):
        assert services.votes_tick() == {"frozen": 1, "counted": 1}
    vote.refresh_from_db()
    assert vote.is_frozen and vote.is_counted
    assert {p.outcome for p in vote.projects.all()} == {Outcome.NOT_SELECTED}


# Into the draft.


def test_the_winners_go_into_the_draft_and_the_others_stay_out(
    open_vote, territory, staff
):
    cast(open_vote, make_voter(territory), "A well in Akkol")
    on_ballot = Proposal.objects.get(title="A well in Akkol")
    assert on_ballot.vote_outcome == VoteOutcome.ON_BALLOT
    with time_machine.travel(CLOSED, tick=False):
        services.votes_tick()
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        draft = budget_services.draft_create(cycle=open_vote.cycle, actor=staff)
        draft = budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
        line = draft.lines.get(classification__code="E701")
        winner = Proposal.objects.get(title="A well in Akkol")
        assert winner.vote_outcome == VoteOutcome.SELECTED
        proposal_services.proposal_include(proposal=winner, actor=staff, line=line)
        loser = Proposal.objects.get(title="A playground by the school")
        assert loser.vote_outcome == VoteOutcome.NOT_SELECTED
        with refused("not_selected_by_vote", Proposal):
            proposal_services.proposal_include(proposal=loser, actor=staff, line=line)
