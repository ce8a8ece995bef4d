"""The clock of proposals: the review starts when the proposals close, with a deadline
counted in Kazakhstan's working days from the phase's end; the reviewer is reminded three
working days before it and the akim told the day after it, each once (their cost at scale:
test_clock_at_scale.py)."""

import datetime

import pytest
import time_machine
from django.utils import translation

from accounts.models import Role
from budgets import services as budget_services
from budgets.models import CyclePhase
from portal import notifications
from portal.models import (
    AuditEvent,
    CalendarDay,
    CalendarDayKind,
    Notification,
)
from proposals import services, tasks
from proposals.models import ProposalStatus, Review
from tests.accounts.factories import MembershipFactory
from tests.budgets.factories import phase_dates
from tests.proposals.conftest import (
    ASSESSMENT,
    PROPOSAL_ROWS,
    at,
    make_draft,
    make_submitted,
    start_review,
)
from tests.refusals import unchanged

D = datetime.date
MINUTE = datetime.timedelta(minutes=1)

# The proposals of the 2027 cycle close on Thursday 30 April 2026. Counting 15 working
# days after it, in the calendar of the `holidays` package: 1 May (Unity Day) is off,
# 2-3 May a weekend; 4, 5, 6 May are 1-3; 7 May (Defender of the Fatherland Day) is off;
# 8 May is 4; 9-10 May a weekend, 9 May (Victory Day) observed on Monday 11 May; 12-15
# May are 5-8; 18-22 May are 9-13; 25 May is 14 and Tuesday 26 May the 15th. Kurban Ait
# (27 May) falls after it.
STARTED_ON = D(2026, 5, 1)
DEADLINE = D(2026, 5, 26)
# The first day the deadline is within three working days (22, 25 and 26 May).
FIRST_REMINDER_DAY = D(2026, 5, 21)


def day_start(day: datetime.date) -> datetime.datetime:
    return at(day.year, day.month, day.day, hour=0)


def announce(moment, capture) -> list:
    """The budgets' clock job at `moment`, its signals sent as after a commit."""
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return budget_services.cycles_announce()


def run(task, moment) -> int:
    with time_machine.travel(moment, tick=False):
        return task.delay().get()


def reviews() -> list[tuple]:
    return list(
        Review.objects.order_by("proposal_id").values_list(
            "proposal_id", "started_on", "deadline", "reviewer_id"
        )
    )


def notices(kind: str) -> list[tuple]:
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("recipient_id", "context", "url_kwargs")
    )


def events(verb: str) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(verb=verb)
        .order_by("pk")
        .values_list("actor_id", "target_id", "details", "created_at")
    )


def open_cycle(unit, actor, *, fiscal_year, proposals, review, drafting):
    """A cycle of `unit` opened with other dates for its first three phases."""
    dates = phase_dates(fiscal_year)
    dates[CyclePhase.PROPOSALS_OPEN] = proposals
    dates[CyclePhase.REVIEW] = review
    dates[CyclePhase.DRAFTING] = drafting
    with time_machine.travel(day_start(proposals[0]), tick=False):
        return budget_services.cycle_open(
            unit=unit, fiscal_year=fiscal_year, actor=actor, dates=dates
        )


def submitted_on(cycle, author, function, day, **overrides):
    with time_machine.travel(at(day.year, day.month, day.day), tick=False):
        proposal = services.proposal_create(
            cycle=cycle,
            author=author,
            data=services.ProposalInput(
                title=overrides.get("title", "Street lights on Abai street"),
                description="The street is dark in winter; eight lamps are needed.",
                function=function,
                place=cycle.unit,
            ),
        )
        return services.proposal_submit(proposal=proposal, actor=author)


# The deadline.


@pytest.mark.parametrize(
    ("proposals_end", "deadline"),
    [
        # May 2026: Unity Day, Defender of the Fatherland Day, Victory Day observed.
        (D(2026, 4, 30), D(2026, 5, 26)),
        # Nauryz 2026: 21-23 March, its Saturday and Sunday observed on 24 and 25
        # March. Friday 20 March; 26 March is the 1st working day, 15 April the 15th
        # (10 April without the holiday).
        (D(2026, 3, 20), D(2026, 4, 15)),
        # New Year 2027: 1 and 2 January, the Saturday observed on Monday 4 January,
        # and Orthodox Christmas on Thursday 7 January. 5 January is the 1st working
        # day, 26 January the 15th (21 January without the holidays).
        (D(2026, 12, 31), D(2027, 1, 26)),
    ],
)
def test_the_deadline_is_the_fifteenth_working_day_after_the_proposals_close(
    db, proposals_end, deadline
):
    assert services.review_deadline(proposals_end) == deadline


def test_the_number_of_working_days_comes_from_the_settings(db, settings):
    # 4, 5, 6, 8, 12, 13, 14, 15, 18, 19 May: the 10th working day after 30 April
    settings.QATYSU_REVIEW_WORKING_DAYS = 10
    assert services.review_deadline(D(2026, 4, 30)) == D(2026, 5, 19)


# The review starts.


def test_the_review_starts_when_the_clock_moves_the_cycle_to_review(
    cycle, resident, neighbour, function, django_capture_on_commit_callbacks
):
    # Given two submitted proposals, a private draft and a withdrawn proposal
    first = make_submitted(cycle, resident, function, title="Street lights")
    second = make_submitted(cycle, neighbour, function, title="A playground")
    draft = make_draft(cycle, resident, function, title="Not sent")
    withdrawn = make_submitted(cycle, neighbour, function, title="Changed my mind")
    with time_machine.travel(at(2026, 3, 20), tick=False):
        services.proposal_withdraw(proposal=withdrawn, actor=neighbour)
    status_notices = len(notices("proposal_status_changed"))

    # When the budgets' clock job runs at 01:00 on 1 May
    moment = at(2026, 5, 1, hour=1)
    assert announce(moment, django_capture_on_commit_callbacks) == [cycle]

    # Then the cycle is in review and each submitted proposal is under review, from
    # 1 May to the 15th working day after 30 April
    cycle.refresh_from_db()
    assert cycle.announced_phase == CyclePhase.REVIEW
    for proposal, status in [
        (first, ProposalStatus.UNDER_REVIEW),
        (second, ProposalStatus.UNDER_REVIEW),
        (draft, ProposalStatus.DRAFT),
        (withdrawn, ProposalStatus.WITHDRAWN),
    ]:
        proposal.refresh_from_db()
        assert proposal.status == status, proposal.title
    assert reviews() == [
        (first.pk, STARTED_ON, DEADLINE, None),
        (second.pk, STARTED_ON, DEADLINE, None),
    ]
    # And each start is recorded, by no one, at that moment
    details = {"from": "submitted", "status": "under_review", "deadline": "2026-05-26"}
    assert events("proposal.under_review") == [
        (None, str(first.pk), details, moment),
        (None, str(second.pk), details, moment),
    ]
    # And each author is told, once
    assert notices("proposal_status_changed")[status_notices:] == [
        (
            resident.pk,
            {"title": "Street lights", "status": "under_review"},
            {"pk": first.pk},
        ),
        (
            neighbour.pk,
            {"title": "A playground", "status": "under_review"},
            {"pk": second.pk},
        ),
    ]
    notice = Notification.objects.filter(kind="proposal_status_changed").latest("pk")
    assert (notice.unit, notice.url_name) == (cycle.unit, "proposals:detail")


def test_running_the_job_again_changes_nothing(
    cycle, resident, neighbour, function, django_capture_on_commit_callbacks
):
    # Given the review started by the clock on 1 May
    make_submitted(cycle, resident, function)
    make_submitted(cycle, neighbour, function)
    announce(at(2026, 5, 1, hour=1), django_capture_on_commit_callbacks)

    # When the proposals' job runs again, the same day and a week later, and the
    # budgets' clock job too
    # Then nothing changed and nothing was sent
    with unchanged(*PROPOSAL_ROWS):
        assert run(tasks.reviews_start, at(2026, 5, 1, hour=2)) == 0
        assert run(tasks.reviews_start, at(2026, 5, 8)) == 0
        assert announce(at(2026, 5, 8), django_capture_on_commit_callbacks) == []
    assert len(reviews()) == 2


def test_a_late_job_counts_the_deadline_from_the_end_of_the_proposals(
    cycle, resident, function
):
    # Given a submitted proposal and no job run since the proposals closed
    proposal = make_submitted(cycle, resident, function)

    # When the job first runs on 20 May
    moment = at(2026, 5, 20)
    assert run(tasks.reviews_start, moment) == 1

    # Then the review started on 1 May, its deadline the same 26 May
    assert reviews() == [(proposal.pk, STARTED_ON, DEADLINE, None)]
    assert events("proposal.under_review") == [
        (
            None,
            str(proposal.pk),
            {"from": "submitted", "status": "under_review", "deadline": "2026-05-26"},
            moment,
        )
    ]


def test_the_job_starts_nothing_while_the_proposals_are_open(cycle, resident, function):
    # Given a submitted proposal on the last day of the proposals
    make_submitted(cycle, resident, function)

    # When the job runs at 23:59 on 30 April
    # Then nothing changed
    with unchanged(*PROPOSAL_ROWS):
        assert run(tasks.reviews_start, at(2026, 5, 1, hour=0) - MINUTE) == 0


def test_the_deadline_skips_nauryz(
    territory, staff, resident, function, django_capture_on_commit_callbacks
):
    # Given a cycle whose proposals close on Friday 20 March 2026, the eve of Nauryz
    cycle = open_cycle(
        territory["rural_district"],
        staff,
        fiscal_year=2027,
        proposals=(D(2026, 2, 1), D(2026, 3, 20)),
        review=(D(2026, 3, 21), D(2026, 4, 30)),
        drafting=(D(2026, 5, 1), D(2026, 9, 30)),
    )
    proposal = submitted_on(cycle, resident, function, D(2026, 3, 2))

    # When the clock moves it to review on 21 March
    assert announce(at(2026, 3, 21, hour=1), django_capture_on_commit_callbacks) == [
        cycle
    ]

    # Then the deadline is 15 April: 23, 24 and 25 March, weekdays of Nauryz, are not
    # counted
    assert reviews() == [(proposal.pk, D(2026, 3, 21), D(2026, 4, 15), None)]


def test_the_deadline_skips_the_new_year(
    territory, staff, resident, function, django_capture_on_commit_callbacks
):
    # Given a cycle for 2028 whose proposals close on 31 December 2026
    cycle = open_cycle(
        territory["rural_district"],
        staff,
        fiscal_year=2028,
        proposals=(D(2026, 10, 1), D(2026, 12, 31)),
        review=(D(2027, 1, 1), D(2027, 1, 31)),
        drafting=(D(2027, 2, 1), D(2027, 9, 30)),
    )
    proposal = submitted_on(cycle, resident, function, D(2026, 12, 1))

    # When the clock moves it to review on 1 January
    assert announce(at(2027, 1, 1, hour=1), django_capture_on_commit_callbacks) == [
        cycle
    ]

    # Then the deadline is 26 January: 1, 4 and 7 January are holidays
    assert reviews() == [(proposal.pk, D(2027, 1, 1), D(2027, 1, 26), None)]


@pytest.mark.parametrize(
    ("date", "kind", "deadline"),
    [
        # A bridge day off on Friday 15 May: 26 May is the 14th working day, 27 May is
        # Kurban Ait, Thursday 28 May the 15th.
        (D(2026, 5, 15), CalendarDayKind.DAY_OFF, D(2026, 5, 28)),
        # A working Saturday, 16 May: the 15th working day is Monday 25 May.
        (D(2026, 5, 16), CalendarDayKind.WORKING_DAY, D(2026, 5, 25)),
    ],
)
def test_an_administrator_s_calendar_day_moves_the_deadline(
    cycle, resident, function, date, kind, deadline
):
    # Given a submitted proposal and the administrator's word on a day of May
    proposal = make_submitted(cycle, resident, function)
    CalendarDay.objects.create(date=date, kind=kind, reason="Government decree")

    # When the review starts
    start_review(cycle, on=at(2026, 5, 1, hour=1))

    # Then its deadline follows that calendar
    assert reviews() == [(proposal.pk, STARTED_ON, deadline, None)]


# The reminder.


def run_on(task, day: datetime.date) -> int:
    """The job at the first minute of `day`."""
    return run(task, day_start(day))


def test_the_reviewer_is_reminded_once_three_working_days_before_the_deadline(
    under_review, staff, akim
):
    # Given a review assigned to a staff member, due on 26 May
    with time_machine.travel(at(2026, 5, 5), tick=False):
        services.review_assign(proposal=under_review, actor=akim, reviewer=staff)

    # When the job runs at the last minute of 20 May, four working days before
    # Then nothing is sent
    with unchanged(*PROPOSAL_ROWS):
        assert run(tasks.reviews_remind, day_start(FIRST_REMINDER_DAY) - MINUTE) == 0

    # When it runs at midnight on 21 May, and again that day and on the next days
    assert run_on(tasks.reviews_remind, FIRST_REMINDER_DAY) == 1
    for moment in [
        at(2026, 5, 21, hour=15),
        day_start(D(2026, 5, 22)),
        day_start(D(2026, 5, 25)),
        day_start(D(2026, 5, 26)),
    ]:
        assert run(tasks.reviews_remind, moment) == 0

    # Then the reviewer alone was reminded, once, of the one review due, with a link
    # to the unit's review queue
    assert notices("review_due_soon") == [
        (
            staff.pk,
            {"count": 1, "deadline": "2026-05-26"},
            {"kato_code": under_review.unit.kato_code},
        )
    ]
    review = Review.objects.get(proposal=under_review)
    assert (review.reminded_at, review.escalated_at) == (
        day_start(FIRST_REMINDER_DAY),
        None,
    )


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Reviews due by 26 May 2026: 3 not complete"),
        ("ru", "не завершено 3"),
        ("kk", "3 ұсыныстың қаралуы әлі аяқталмаған"),
    ],
)
def test_the_reminder_says_how_many_in_each_language(under_review, language, subject):
    notice = Notification(
        kind="review_due_soon",
        unit=under_review.unit,
        context={"count": 3, "deadline": "2026-05-26"},
    )
    with translation.override(language):
        said, unit = notifications.render(notice), under_review.unit.name
    assert subject in said[0]
    assert unit in said[1]


def test_a_reminder_written_before_the_count_still_reads(under_review):
    older = Notification(
        kind="review_due_soon",
        unit=under_review.unit,
        context={"title": "Street lights", "deadline": "2026-05-26"},
    )
    with translation.override("en"):
        subject, _body = notifications.render(older)
    assert subject == "Reviews due by 26 May 2026: 1 not complete"


def test_without_a_reviewer_every_staff_member_of_the_unit_is_reminded(
    under_review, staff, akim, other_staff, territory
):
    # Given a second staff member of the unit, and no reviewer assigned
    colleague = MembershipFactory(
        role=Role.AKIMAT_STAFF, unit=territory["rural_district"]
    ).user

    # When the job runs on 21 May
    assert run_on(tasks.reviews_remind, FIRST_REMINDER_DAY) == 1

    # Then the unit's staff, the akim among them, are reminded; not another unit's
    assert sorted(
        recipient for recipient, _context, _url in notices("review_due_soon")
    ) == sorted([staff.pk, akim.pk, colleague.pk])


def test_a_completed_review_is_neither_reminded_nor_escalated(recommended, akim):
    # Given a review completed on 6 May
    # When the jobs run before and after the deadline
    # Then nothing changed and nothing was sent
    with unchanged(*PROPOSAL_ROWS):
        assert run_on(tasks.reviews_remind, FIRST_REMINDER_DAY) == 0
        assert run_on(tasks.reviews_escalate, D(2026, 5, 27)) == 0


# The escalation.


def test_the_akim_alone_is_told_once_the_day_after_the_deadline(
    client, under_review, staff, akim
):
    # Given a review assigned to a staff member, still open on its deadline
    with time_machine.travel(at(2026, 5, 5), tick=False):
        services.review_assign(proposal=under_review, actor=akim, reviewer=staff)
    url = under_review.get_absolute_url()

    # When the job runs at the last minute of 26 May, the deadline
    # Then nothing happens, and the page does not say overdue
    with unchanged(*PROPOSAL_ROWS):
        assert run(tasks.reviews_escalate, day_start(D(2026, 5, 27)) - MINUTE) == 0
    with time_machine.travel(day_start(D(2026, 5, 27)) - MINUTE, tick=False):
        assert 'data-testid="overdue"' not in client.get(url).content.decode()

    # When it runs at midnight on 27 May, again that day, and the next day
    moment = day_start(D(2026, 5, 27))
    assert run(tasks.reviews_escalate, moment) == 1
    assert run(tasks.reviews_escalate, at(2026, 5, 27, hour=9)) == 0
    assert run_on(tasks.reviews_escalate, D(2026, 5, 28)) == 0

    # Then only the akim is told, once
    assert notices("review_overdue") == [
        (
            akim.pk,
            {"title": "Street lights on Abai street", "deadline": "2026-05-26"},
            {"pk": under_review.pk},
        )
    ]
    # And the overdue is recorded once, by no one
    assert events("review.overdue") == [
        (None, str(under_review.pk), {"deadline": "2026-05-26"}, moment)
    ]
    review = Review.objects.get(proposal=under_review)
    assert review.escalated_at == moment
    # And the public page says the review is overdue, on the timeline too
    with time_machine.travel(at(2026, 5, 27, hour=10), tick=False):
        html = client.get(url).content.decode()
    assert html.count('data-testid="overdue"') == 1
    assert "review overdue" in html
    assert "The review passed its deadline; the akim was told." in html


def test_a_review_completed_after_the_deadline_stays_marked_late(
    client, under_review, staff
):
    # Given the review escalated on 27 May
    run_on(tasks.reviews_escalate, D(2026, 5, 27))

    # When staff complete it on 28 May
    with time_machine.travel(at(2026, 5, 28), tick=False):
        services.review_complete(proposal=under_review, actor=staff, data=ASSESSMENT)

    # Then Review.is_overdue_on says it was late, on any day after, and the event says
    # it was not on time
    review = Review.objects.get(proposal=under_review)
    assert [
        review.is_overdue_on(day)
        for day in (D(2026, 5, 20), DEADLINE, D(2026, 5, 28), D(2026, 7, 1))
    ] == [True, True, True, True]
    assert AuditEvent.objects.get(verb="proposal.recommended").details == {
        "from": "under_review",
        "status": "recommended",
        "assessment": "recommended",
        "on_time": False,
    }
    # And the public page says, next to the recommendation, that it came late
    with time_machine.travel(at(2026, 6, 2), tick=False):
        html = client.get(under_review.get_absolute_url()).content.decode()
    assert 'data-testid="overdue"' not in html
    assert html.count('data-testid="reviewed-late"') == 1
    assert "reviewed after the deadline" in html
    assert 'data-testid="assessment">recommended<' in html
    # And the jobs do nothing more for it
    with unchanged(*PROPOSAL_ROWS):
        assert run_on(tasks.reviews_escalate, D(2026, 5, 29)) == 0


def test_a_review_completed_on_its_deadline_is_not_overdue(client, under_review, staff):
    # When staff complete it at 23:00 on the deadline
    with time_machine.travel(at(2026, 5, 26, hour=23), tick=False):
        services.review_complete(proposal=under_review, actor=staff, data=ASSESSMENT)

    # Then it is never overdue, and the page says nothing of it
    review = Review.objects.get(proposal=under_review)
    assert [
        review.is_overdue_on(day) for day in (DEADLINE, D(2026, 5, 27), D(2026, 7, 1))
    ] == [False, False, False]
    assert (
        AuditEvent.objects.get(verb="proposal.recommended").details["on_time"] is True
    )
    with time_machine.travel(at(2026, 6, 2), tick=False):
        html = client.get(under_review.get_absolute_url()).content.decode()
    assert 'data-testid="overdue"' not in html


def test_an_open_review_is_overdue_from_the_day_after_its_deadline(under_review):
    review = Review.objects.get(proposal=under_review)
    assert [
        review.is_overdue_on(day) for day in (DEADLINE, D(2026, 5, 27), D(2026, 7, 1))
    ] == [False, True, True]
