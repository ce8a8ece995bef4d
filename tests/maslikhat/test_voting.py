"""The maslikhat's vote through its services: opening a session, casting ballots, closing
at the last ballot or at the deadline, and what each outcome does to the draft and the cycle.

Every session runs in the first days of December 2026, the cycle's maslikhat_vote phase:
it opens on 1 December at 10:00 and closes on 4 December at 18:00 unless told otherwise.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from accounts.models import Role, RoleMembership
from budgets import services
from budgets.models import DraftBudget, DraftStatus
from budgets.selectors import cycle_state
from maslikhat import services as maslikhat_services
from maslikhat import tasks as maslikhat_tasks
from maslikhat.models import (
    Ballot,
    MaslikhatRules,
    SessionMember,
    SessionOutcome,
    VotingSession,
)
from portal.models import AuditEvent, Level, Notification
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.maslikhat.factories import (
    CLOSES,
    DURING,
    OPENS,
    ballots_cast,
    deputies_of,
    session_open,
    voting_record,
)
from tests.portal.factories import UnitFactory
from tests.refusals import refused as refusal_checked

MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


def last_event_pk() -> int:
    return AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def events_since(pk: int) -> list[tuple[str, str, dict]]:
    return [
        (event.verb, event.target_id, event.details)
        for event in AuditEvent.objects.filter(pk__gt=pk).order_by("pk")
    ]


def last_notification_pk() -> int:
    return Notification.objects.order_by("pk").values_list("pk", flat=True).last() or 0


def notices_since(pk: int) -> list[tuple[str, int]]:
    """(kind, recipient) of each notification after `pk`, sorted."""
    return sorted(
        Notification.objects.filter(pk__gt=pk).values_list("kind", "recipient_id")
    )


def members(session) -> list[tuple[int, bool, str]]:
    return list(
        session.members.order_by("deputy_id").values_list(
            "deputy_id", "is_present", "absence_reason"
        )
    )


def refused(code: str, act) -> None:
    """`act` is refused with `code` and changes nothing."""
    with refusal_checked(code, VotingSession, SessionMember, Ballot, DraftBudget):
        act()


def run_job(task, moment) -> int:
    with time_machine.travel(moment, tick=False):
        return task.delay().get()


# Opening a session.


def test_opening_a_session_fixes_the_deputies_and_who_is_present(
    submitted, maslikhat, chairman, territory
):
    # Given the ten deputies of the district maslikhat, one of them on sick leave
    absent = maslikhat[3]
    since, notices = last_event_pk(), last_notification_pk()

    # When the chairman opens a session
    session = session_open(
        submitted, chairman, absences={absent.pk: "  On sick leave "}
    )

    # Then the session holds the ten seats, who is present, and the law's rules
    session.refresh_from_db()
    assert (
        session.draft,
        session.district,
        session.opens_at,
        session.closes_at,
        session.total_deputies,
        session.opened_by,
        session.closed_at,
        session.outcome,
    ) == (submitted, territory["district"], OPENS, CLOSES, 10, chairman, None, "")
    assert (
        session.quorum_numerator,
        session.quorum_denominator,
        session.majority_numerator,
        session.majority_denominator,
    ) == (2, 3, 1, 2)
    assert members(session) == sorted(
        (deputy.pk, deputy != absent, "On sick leave" if deputy == absent else "")
        for deputy in maslikhat
    )
    assert events_since(since) == [
        (
            "session.opened",
            str(session.pk),
            {
                "version": 1,
                "total": 10,
                "absent": 1,
                "opens_at": "2026-12-01T10:00:00+05:00",
                "closes_at": "2026-12-04T18:00:00+05:00",
            },
        )
    ]
    # And the nine present deputies, the chairman among them, are notified
    assert notices_since(notices) == sorted(
        ("session_opened", deputy.pk) for deputy in maslikhat if deputy != absent
    )
    notice = Notification.objects.filter(kind="session_opened").first()
    assert (notice.unit, notice.context, notice.url_name, notice.url_kwargs) == (
        territory["rural_district"],
        {"year": 2027},
        "maslikhat:roll_call",
        {"pk": session.pk},
    )
    assert submitted.voting_sessions.get() == session
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.UNDER_VOTE


def test_by_default_every_current_deputy_of_the_district_is_present_and_only_they(
    submitted, maslikhat, chairman, territory, akim, staff
):
    # Given, beside the ten deputies, people who are not deputies of this maslikhat today
    district = territory["district"]
    MembershipFactory(
        role=Role.MASLIKHAT_DEPUTY,
        unit=district,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2025, 1, 1),
    )
    MembershipFactory(
        role=Role.MASLIKHAT_DEPUTY, unit=district, starts_on=datetime.date(2027, 1, 1)
    )
    MembershipFactory(role=Role.MASLIKHAT_DEPUTY, unit=district, user__is_active=False)
    other_district = UnitFactory(level=Level.DISTRICT, parent=territory["region"])
    deputies_of(other_district, 2)
    MembershipFactory(role=Role.AKIM, unit=district)
    # And the chairman holds the deputy's role too: one seat, not two
    MembershipFactory(role=Role.MASLIKHAT_DEPUTY, unit=district, user=chairman)

    # When the chairman opens a session marking nobody absent
    session = session_open(submitted, chairman)

    # Then the ten deputies are its members, all present
    assert session.total_deputies == 10
    assert members(session) == sorted((deputy.pk, True, "") for deputy in maslikhat)


def test_who_sits_in_a_session_does_not_follow_later_changes_of_the_maslikhat(
    submitted, maslikhat, chairman, territory
):
    # Given a session opened on the ten deputies
    session = session_open(submitted, chairman)
    fixed = members(session)

    # When a deputy joins the maslikhat and another leaves it after the opening
    newcomer = MembershipFactory(
        role=Role.MASLIKHAT_DEPUTY,
        unit=territory["district"],
        starts_on=datetime.date(2026, 12, 2),
    ).user
    leaver = maslikhat[5]
    RoleMembership.objects.filter(user=leaver).update(
        ends_on=datetime.date(2026, 12, 2)
    )

    # Then the session still counts the ten it opened with
    session.refresh_from_db()
    assert session.total_deputies == 10
    assert members(session) == fixed
    # And the newcomer cannot vote in it, while the deputy who left still may
    refused("not_a_member", lambda: ballots_cast(session, [(newcomer, "for")]))
    ballots_cast(session, [(leaver, "against")])
    assert list(session.ballots.values_list("deputy_id", "choice")) == [
        (leaver.pk, "against")
    ]


def test_the_rules_are_copied_into_the_session_and_later_changes_never_alter_it(
    submitted, maslikhat, chairman, territory
):
    # Given a maslikhat that needs three quarters present and "for" from more than
    # two thirds of its deputies
    rules = MaslikhatRules.objects.create(
        district=territory["district"],
        quorum_numerator=3,
        quorum_denominator=4,
        majority_numerator=2,
        majority_denominator=3,
    )
    session = session_open(submitted, chairman)

    # When an administrator sets the law's rules while the session is open
    MaslikhatRules.objects.filter(pk=rules.pk).update(
        quorum_numerator=1,
        quorum_denominator=2,
        majority_numerator=1,
        majority_denominator=2,
    )
    # And six of the ten vote for, four against (more than half, not more than two thirds)
    ballots_cast(
        session,
        [(deputy, "for") for deputy in maslikhat[:6]]
        + [(deputy, "against") for deputy in maslikhat[6:]],
    )

    # Then the session was judged by the rules it opened with: not approved
    session.refresh_from_db()
    assert (
        session.quorum_numerator,
        session.quorum_denominator,
        session.majority_numerator,
        session.majority_denominator,
    ) == (3, 4, 2, 3)
    assert (session.closed_at, session.outcome) == (DURING, SessionOutcome.REJECTED)

    # And a change after the close alters nothing either
    MaslikhatRules.objects.filter(pk=rules.pk).update(
        quorum_numerator=4, quorum_denominator=5
    )
    closed = VotingSession.objects.values_list(
        "quorum_numerator",
        "quorum_denominator",
        "majority_numerator",
        "majority_denominator",
        "closed_at",
        "outcome",
    ).get(pk=session.pk)
    assert closed == (3, 4, 2, 3, DURING, SessionOutcome.REJECTED)


def test_a_session_on_a_draft_the_akim_has_not_submitted_is_refused(
    published, maslikhat, chairman
):
    # Given a published draft, under public discussion
    # When the chairman opens a session on it, then it is refused and nothing changes
    refused("draft_not_submitted", lambda: session_open(published, chairman))
    assert VotingSession.objects.count() == 0


def test_a_second_open_session_on_the_same_draft_is_refused(
    submitted, maslikhat, chairman
):
    # Given an open session on the submitted draft
    session_open(submitted, chairman)

    # When the chairman opens another one the next day, then it is refused
    refused(
        "session_already_open",
        lambda: session_open(submitted, chairman, now=DURING, opens_at=DURING),
    )
    assert VotingSession.objects.count() == 1


@pytest.mark.parametrize(
    ("opens_at", "closes_at", "now"),
    [
        pytest.param(CLOSES, OPENS, OPENS, id="closes-before-it-opens"),
        pytest.param(CLOSES, CLOSES, OPENS, id="closes-when-it-opens"),
        pytest.param(OPENS - 2 * DAY, OPENS - DAY, OPENS, id="closes-in-the-past"),
        pytest.param(OPENS - DAY, OPENS, OPENS, id="closes-right-now"),
    ],
)
def test_a_session_with_bad_times_is_refused(
    submitted, maslikhat, chairman, opens_at, closes_at, now
):
    refused(
        "session_times_invalid",
        lambda: session_open(
            submitted, chairman, now=now, opens_at=opens_at, closes_at=closes_at
        ),
    )


def test_an_absence_without_a_reason_is_refused(submitted, maslikhat, chairman):
    refused(
        "absence_reason_required",
        lambda: session_open(
            submitted,
            chairman,
            absences={maslikhat[1].pk: "On a mission", maslikhat[2].pk: "   "},
        ),
    )


def test_only_a_deputy_of_the_maslikhat_can_be_marked_absent(
    submitted, maslikhat, chairman, akim
):
    refused(
        "absent_not_a_deputy",
        lambda: session_open(submitted, chairman, absences={akim.pk: "Not a deputy"}),
    )


# Casting a ballot.


def test_a_present_deputy_s_ballot_is_recorded_and_the_session_stays_open(
    submitted, maslikhat, chairman
):
    # Given an open session
    session = session_open(submitted, chairman)
    deputy = maslikhat[4]
    since, notices = last_event_pk(), last_notification_pk()

    # When a present deputy votes against
    with time_machine.travel(DURING, tick=False):
        ballot = maslikhat_services.ballot_cast(
            session=session, deputy=deputy, choice="against"
        )

    # Then the ballot is recorded with the moment, and the act in the audit log
    ballot.refresh_from_db()
    assert (ballot.session, ballot.deputy, ballot.choice, ballot.cast_at) == (
        session,
        deputy,
        "against",
        DURING,
    )
    assert events_since(since) == [
        ("ballot.cast", str(session.pk), {"choice": "against"})
    ]
    assert AuditEvent.objects.get(verb="ballot.cast").actor == deputy
    # And the session is still open, nobody notified
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (None, "")
    assert maslikhat_services.vote_count(session).voted == 1
    assert notices_since(notices) == []


def test_an_absent_deputy_s_ballot_is_refused(submitted, maslikhat, chairman):
    absent = maslikhat[2]
    session = session_open(submitted, chairman, absences={absent.pk: "On a mission"})

    refused("deputy_absent", lambda: ballots_cast(session, [(absent, "for")]))


def test_a_deputy_of_another_district_s_ballot_is_refused(
    submitted, maslikhat, chairman, territory
):
    other_district = UnitFactory(level=Level.DISTRICT, parent=territory["region"])
    (outsider,) = deputies_of(other_district, 1)
    session = session_open(submitted, chairman)

    refused("not_a_member", lambda: ballots_cast(session, [(outsider, "for")]))


def test_a_second_ballot_of_the_same_deputy_is_refused(submitted, maslikhat, chairman):
    # Given a deputy who voted for
    session = session_open(submitted, chairman)
    deputy = maslikhat[1]
    ballots_cast(session, [(deputy, "for")])

    # When they vote again, the same way or another, then it is refused
    for choice in ("for", "against", "abstain"):
        refused(
            "ballot_already_cast",
            lambda choice=choice: ballots_cast(session, [(deputy, choice)]),
        )
    assert list(session.ballots.values_list("deputy_id", "choice")) == [
        (deputy.pk, "for")
    ]


def test_a_second_ballot_after_the_first_closed_the_session_is_refused_as_a_second_ballot(
    submitted, maslikhat, chairman
):
    # Given a session that the last present deputy's ballot closed
    session = session_open(submitted, chairman)
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat])

    # When that deputy's second click arrives, then it is a second ballot
    refused(
        "ballot_already_cast", lambda: ballots_cast(session, [(maslikhat[-1], "for")])
    )


def test_a_ballot_with_another_choice_is_refused(submitted, maslikhat, chairman):
    session = session_open(submitted, chairman)

    refused("ballot_choice_invalid", lambda: ballots_cast(session, [(chairman, "yes")]))


def test_a_ballot_at_the_closing_time_is_refused_before_the_job_has_run(
    submitted, maslikhat, chairman
):
    # Given an open session whose closing time has come and the job not yet run
    session = session_open(submitted, chairman)
    ballots_cast(session, [(maslikhat[1], "for")], now=CLOSES - MINUTE)

    # When a present deputy who has not voted votes at the closing time, then it is refused
    refused(
        "session_closed", lambda: ballots_cast(session, [(chairman, "for")], now=CLOSES)
    )


def test_a_ballot_in_a_session_the_job_has_closed_is_refused(
    submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    assert run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES) == 1

    refused(
        "session_closed",
        lambda: ballots_cast(session, [(chairman, "for")], now=CLOSES - DAY),
    )


def test_a_ballot_before_the_session_opens_is_refused_and_accepted_once_it_opens(
    submitted, maslikhat, chairman
):
    # Given a session opened the day before for 1 December at 10:00
    session = session_open(submitted, chairman, now=OPENS - DAY)

    # When a deputy votes a minute early, then it is refused
    refused(
        "session_not_open",
        lambda: ballots_cast(session, [(chairman, "for")], now=OPENS - MINUTE),
    )

    # And at 10:00 the same ballot is accepted
    ballots_cast(session, [(chairman, "for")], now=OPENS)
    assert list(session.ballots.values_list("deputy_id", "choice")) == [
        (chairman.pk, "for")
    ]


def test_the_last_present_deputy_s_ballot_closes_the_session_at_once(
    submitted, maslikhat, chairman, django_capture_on_commit_callbacks, adoptions
):
    # Given a session with one deputy absent, and eight of the nine present who voted
    absent = maslikhat[9]
    session = session_open(submitted, chairman, absences={absent.pk: "Ill"})
    with django_capture_on_commit_callbacks(execute=True):
        ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:8]])
    session.refresh_from_db()
    assert session.closed_at is None

    # When the ninth present deputy votes
    last = DURING + 3 * MINUTE
    with django_capture_on_commit_callbacks(execute=True):
        ballots_cast(session, [(maslikhat[8], "abstain")], now=last)

    # Then the session is closed at that moment, the draft approved
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (last, SessionOutcome.PASSED)
    assert maslikhat_services.vote_count(session).not_voted == 0
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.APPROVED
    assert adoptions == [submitted.pk]


# Closing: what each outcome does.


def test_a_passed_vote_approves_the_draft_and_adopts_the_cycle_once(
    submitted,
    maslikhat,
    chairman,
    akim,
    staff,
    django_capture_on_commit_callbacks,
    adoptions,
):
    # Given an open session of ten present deputies
    session = session_open(submitted, chairman)
    cycle = submitted.cycle
    since, notices = last_event_pk(), last_notification_pk()

    # When six vote for, three against and one abstains (six of ten is more than half)
    with django_capture_on_commit_callbacks(execute=True):
        ballots_cast(
            session,
            [(deputy, "for") for deputy in maslikhat[:6]]
            + [(deputy, "against") for deputy in maslikhat[6:9]]
            + [(maslikhat[9], "abstain")],
        )

    # Then the session is closed as passed, the draft approved, the cycle adopted
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (DURING, SessionOutcome.PASSED)
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.APPROVED
    with time_machine.travel(DURING, tick=False):
        assert cycle_state(cycle).phase == "adopted"
    assert adoptions == [submitted.pk]
    assert events_since(since)[10:] == [
        (
            "session.closed",
            str(session.pk),
            {
                "outcome": "passed",
                "total": 10,
                "present": 10,
                "for": 6,
                "against": 3,
                "abstain": 1,
            },
        ),
        ("draft.approved", str(submitted.pk), {"version": 1}),
        (
            "cycle.phase_changed",
            str(cycle.pk),
            {"from": "maslikhat_vote", "to": "adopted", "since": None},
        ),
    ]
    # And the akim and the staff hear of the result and of the cycle's new phase
    assert notices_since(notices) == sorted(
        [
            ("cycle_phase_changed", akim.pk),
            ("cycle_phase_changed", staff.pk),
            ("session_closed", akim.pk),
            ("session_closed", staff.pk),
        ]
    )
    result = Notification.objects.filter(kind="session_closed").first()
    assert (result.context, result.url_kwargs) == (
        {"year": 2027, "outcome": "passed"},
        {"pk": session.pk},
    )

    # And when the job runs after the closing time, nothing more happens
    with django_capture_on_commit_callbacks(execute=True):
        assert run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES + MINUTE) == 0
    assert adoptions == [submitted.pk]
    assert AuditEvent.objects.filter(verb="session.closed").count() == 1


def test_a_valid_vote_without_a_majority_returns_the_draft_to_drafting(
    submitted,
    maslikhat,
    chairman,
    akim,
    staff,
    django_capture_on_commit_callbacks,
    adoptions,
):
    # Given an open session of ten present deputies
    session = session_open(submitted, chairman)
    cycle = submitted.cycle
    since, notices = last_event_pk(), last_notification_pk()

    # When five vote for and five against (exactly half is not more than half)
    with django_capture_on_commit_callbacks(execute=True):
        ballots_cast(
            session,
            [(deputy, "for") for deputy in maslikhat[:5]]
            + [(deputy, "against") for deputy in maslikhat[5:]],
        )

    # Then the session is closed as rejected and the draft returned
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (DURING, SessionOutcome.REJECTED)
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.RETURNED
    assert adoptions == []
    assert [verb for verb, _target, _details in events_since(since)[10:]] == [
        "session.closed",
        "draft.returned",
        "cycle.phase_changed",
        "cycle.overdue",
    ]
    assert events_since(since)[10][2] == {
        "outcome": "rejected",
        "total": 10,
        "present": 10,
        "for": 5,
        "against": 5,
        "abstain": 0,
    }
    # And the cycle is back in drafting (past its end date), where a new version is made
    with time_machine.travel(DURING, tick=False):
        state = cycle_state(cycle)
        assert (state.phase, state.is_overdue) == ("drafting", True)
        assert services.draft_create(cycle=cycle, actor=staff).version == 2
    assert notices_since(notices) == sorted(
        [
            ("cycle_overdue", akim.pk),
            ("cycle_phase_changed", akim.pk),
            ("cycle_phase_changed", staff.pk),
            ("session_closed", akim.pk),
            ("session_closed", staff.pk),
        ]
    )


def test_without_a_quorum_the_session_is_void_and_the_chairman_may_open_another(
    submitted,
    maslikhat,
    chairman,
    akim,
    staff,
    django_capture_on_commit_callbacks,
    adoptions,
):
    # Given a session with four of the ten absent: six present is less than two thirds
    absent = maslikhat[6:]
    session = session_open(
        submitted, chairman, absences={deputy.pk: "On leave" for deputy in absent}
    )
    notices = last_notification_pk()

    # When the six present all vote for
    with django_capture_on_commit_callbacks(execute=True):
        ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:6]])

    # Then the session closes void; the draft stays under vote, the cycle in the vote
    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (DURING, SessionOutcome.NO_QUORUM)
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.UNDER_VOTE
    with time_machine.travel(DURING, tick=False):
        assert cycle_state(submitted.cycle).phase == "maslikhat_vote"
    assert adoptions == []
    assert notices_since(notices) == sorted(
        [("session_closed", akim.pk), ("session_closed", staff.pk)]
    )
    assert AuditEvent.objects.get(verb="session.closed").details == {
        "outcome": "no_quorum",
        "total": 10,
        "present": 6,
        "for": 6,
        "against": 0,
        "abstain": 0,
    }

    # And the chairman opens another session, with everyone present this time
    later = DURING + DAY
    again = session_open(submitted, chairman, now=later, opens_at=later)
    assert list(submitted.voting_sessions.order_by("pk")) == [session, again]
    assert members(again) == sorted((deputy.pk, True, "") for deputy in maslikhat)


# The clock's jobs.


def test_the_job_closes_a_session_at_its_deadline_once(
    submitted,
    maslikhat,
    chairman,
    akim,
    staff,
    django_capture_on_commit_callbacks,
    adoptions,
):
    # Given a session where seven of ten voted for and three never voted
    session = session_open(submitted, chairman)
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:7]])
    notices = last_notification_pk()

    with django_capture_on_commit_callbacks(execute=True):
        # When the job runs a minute before the closing time, then nothing happens
        assert run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES - MINUTE) == 0
        session.refresh_from_db()
        assert session.closed_at is None

        # When it runs at the closing time, then it closes the session as passed
        assert run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES) == 1
        # And when it runs again, at once and an hour later, it does nothing more
        assert run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES) == 0
        assert (
            run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES + 60 * MINUTE)
            == 0
        )

    session.refresh_from_db()
    assert (session.closed_at, session.outcome) == (CLOSES, SessionOutcome.PASSED)
    submitted.refresh_from_db()
    assert submitted.status == DraftStatus.APPROVED
    assert adoptions == [submitted.pk]
    assert list(
        AuditEvent.objects.filter(verb="session.closed").values_list(
            "actor", "created_at", "details"
        )
    ) == [
        (
            None,
            CLOSES,
            {
                "outcome": "passed",
                "total": 10,
                "present": 10,
                "for": 7,
                "against": 0,
                "abstain": 0,
            },
        )
    ]
    assert [
        kind for kind, _recipient in notices_since(notices) if kind == "session_closed"
    ] == ["session_closed", "session_closed"]
    assert sorted(
        Notification.objects.filter(kind="session_closed").values_list(
            "recipient_id", flat=True
        )
    ) == sorted([akim.pk, staff.pk])
    # And session_close itself says it found nothing to do
    with time_machine.travel(CLOSES, tick=False):
        assert maslikhat_services.session_close(session=session) is False


def test_the_job_leaves_open_sessions_before_their_deadline(
    submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    before = voting_record()

    assert run_job(maslikhat_tasks.voting_sessions_close_due, CLOSES - MINUTE) == 0
    with time_machine.travel(CLOSES - MINUTE, tick=False):
        assert maslikhat_services.session_close(session=session) is False
    assert voting_record() == before


def test_a_day_before_closing_the_deputies_who_have_not_voted_are_reminded_once(
    submitted, maslikhat, chairman
):
    # Given a session with one deputy absent and three who voted
    absent = maslikhat[9]
    session = session_open(submitted, chairman, absences={absent.pk: "Ill"})
    ballots_cast(session, [(deputy, "for") for deputy in maslikhat[:3]])
    notices = last_notification_pk()

    # When the reminder runs a minute more than a day before closing, nobody is reminded
    assert run_job(maslikhat_tasks.voting_sessions_remind, CLOSES - DAY - MINUTE) == 0
    assert notices_since(notices) == []

    # When it runs a day before closing, the six present who have not voted are reminded
    assert run_job(maslikhat_tasks.voting_sessions_remind, CLOSES - DAY) == 1
    assert notices_since(notices) == sorted(
        ("session_closing", deputy.pk) for deputy in maslikhat[3:9]
    )
    reminder = Notification.objects.filter(kind="session_closing").first()
    assert (reminder.context, reminder.url_kwargs) == (
        {"year": 2027},
        {"pk": session.pk},
    )
    session.refresh_from_db()
    assert session.reminded_at == CLOSES - DAY

    # And when it runs again, later that day, nobody is reminded twice
    assert (
        run_job(maslikhat_tasks.voting_sessions_remind, CLOSES - DAY + 60 * MINUTE) == 0
    )
    assert Notification.objects.filter(kind="session_closing").count() == 6


def test_a_closed_session_is_never_reminded(submitted, maslikhat, chairman):
    session = session_open(submitted, chairman)
    ballots_cast(session, [(deputy, "against") for deputy in maslikhat])
    before = voting_record()

    assert run_job(maslikhat_tasks.voting_sessions_remind, CLOSES - DAY) == 0
    assert voting_record() == before


def test_a_ballot_of_a_user_who_is_not_a_deputy_is_refused(
    submitted, maslikhat, chairman
):
    session = session_open(submitted, chairman)
    stranger = UserFactory()

    refused("not_a_member", lambda: ballots_cast(session, [(stranger, "for")]))
    assert Ballot.objects.count() == 0
