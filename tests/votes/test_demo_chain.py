"""`make run`'s demo walks the whole chain on whatever day it is loaded: a cycle in every
phase a user acts in, each history replayed through the services; the open maslikhat
session takes the demo deputies' votes, the adopted and executed budgets were passed by a
recorded vote with a quorum that the dashboard shows, the review has decisions due and
reviews overdue; and a second run changes nothing."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleMembership, User
from budgets.models import BudgetCycle, BudgetLine, CyclePhase, DraftBudget
from budgets.selectors import cycle_state
from maslikhat import services as maslikhat_services
from maslikhat.counting import VoteCount, VoteRules
from maslikhat.dashboard import unit_votes
from maslikhat.models import Ballot, SessionOutcome, VotingSession
from portal.models import AuditEvent, Notification
from portal.permissions import allows
from proposals.models import Proposal, ProposalStatus, Review, Support
from proposals.selectors import queue_counts
from votes.models import Ballot as ResidentBallot
from votes.models import Vote

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
# A mid-year day, the last evening of a year, the first minutes of 1 March (the open
# session was opened "yesterday", the last day of February) and a leap day.
MOMENTS = [
    datetime.datetime(2027, 6, 15, 12, tzinfo=ALMATY),
    datetime.datetime(2026, 12, 31, 23, 30, tzinfo=ALMATY),
    datetime.datetime(2027, 3, 1, 0, 20, tzinfo=ALMATY),
    datetime.datetime(2028, 2, 29, 9, tzinfo=ALMATY),
]
IDS = ["mid-year", "new-years-eve", "first-of-march", "leap-day"]

# The unit the demo places in each phase, whatever the day.
PHASE_OF = {
    "117037000": CyclePhase.PROPOSALS_OPEN,  # Vedenovka
    "117055000": CyclePhase.REVIEW,  # Atameken
    "117049000": CyclePhase.RESIDENTS_VOTE,  # Zeleny Bor
    "117061000": CyclePhase.DRAFTING,  # Urumkai
    "117051000": CyclePhase.PUBLIC_DISCUSSION,  # Zlatopolye
    "117063000": CyclePhase.COORDINATION,  # Uspenoyurievka
    "117035000": CyclePhase.MASLIKHAT_VOTE,  # Burabay settlement
    "117033000": CyclePhase.ADOPTED,  # Abylaikhan
    "117057000": CyclePhase.EXECUTION,  # Katarkol
    "117053000": CyclePhase.DRAFTING,  # Kenesary, its residents' vote counted
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # The demo uploads the minutes of its meetings.
    settings.MEDIA_ROOT = tmp_path


def _record() -> dict[str, int]:
    return {
        model.__name__ + ("" if model is not ResidentBallot else " (residents')"): (
            model.objects.count()
        )
        for model in (
            User,
            RoleMembership,
            BudgetCycle,
            DraftBudget,
            BudgetLine,
            Proposal,
            Review,
            Support,
            VotingSession,
            Ballot,
            Vote,
            ResidentBallot,
            AuditEvent,
            Notification,
        )
    }


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _cycle(kato_code: str) -> BudgetCycle:
    return BudgetCycle.objects.select_related("unit").get(unit__kato_code=kato_code)


@pytest.mark.parametrize("moment", MOMENTS, ids=IDS)
def test_every_phase_is_some_demo_cycles_today_and_a_second_run_changes_nothing(
    db, moment
):
    # Given the demo loaded on the day
    with time_machine.travel(moment, tick=False):
        guide = _load()
        first = _record()

        # When it is loaded again
        again = _load()

        # Then nothing was added, and each phase is a demo cycle's current phase,
        # announced as such and not overdue
        assert _record() == first
        assert first["BudgetCycle"] == len(PHASE_OF)
        states = {
            cycle.unit.kato_code: (cycle_state(cycle), cycle.announced_phase)
            for cycle in BudgetCycle.objects.select_related("unit")
        }
        assert {code: state.phase for code, (state, _) in states.items()} == PHASE_OF
        assert all(state.phase == announced for state, announced in states.values())
        assert not any(state.is_overdue for state, _announced in states.values())
        assert set(PHASE_OF.values()) >= {
            CyclePhase.PROPOSALS_OPEN,
            CyclePhase.REVIEW,
            CyclePhase.RESIDENTS_VOTE,
            CyclePhase.DRAFTING,
            CyclePhase.PUBLIC_DISCUSSION,
            CyclePhase.COORDINATION,
            CyclePhase.MASLIKHAT_VOTE,
            CyclePhase.ADOPTED,
            CyclePhase.EXECUTION,
        }
        # The budgets being prepared are next year's; the executed one this year's
        year = timezone.localdate().year
        assert _cycle("117063000").fiscal_year == year + 1
        assert _cycle("117033000").fiscal_year == year + 1
        assert _cycle("117057000").fiscal_year == year
        # And every act was done by then
        assert not AuditEvent.objects.filter(created_at__gt=moment).exists()
    # And the guide says where each phase is, the second time too
    assert "The demo was already loaded" in again
    for text in (guide, again):
        assert f"Атамекен а.о., the {year + 1} budget: review of proposals." in text
        assert f"Бурабай к.ә., the {year + 1} budget: vote of the maslikhat." in text
        assert "as chairman@demo.qatysu.kz, deputy@demo.qatysu.kz" in text


@pytest.mark.parametrize("moment", MOMENTS[:2], ids=IDS[:2])
def test_the_open_session_takes_the_demo_deputies_votes_and_they_decide(db, moment):
    with time_machine.travel(moment, tick=False):
        _load()
        session = VotingSession.objects.get(closed_at__isnull=True)
        deputy = User.objects.get(email="deputy@demo.qatysu.kz")
        chairman = User.objects.get(email="chairman@demo.qatysu.kz")
        # Given the session open now on the settlement's draft, four votes "for" cast,
        # five needed
        assert session.draft.cycle.unit.kato_code == "117035000"
        assert session.opens_at < timezone.now() < session.closes_at
        assert maslikhat_services.vote_count(session) == VoteCount(9, 8, 4, 1, 1)
        assert allows(deputy, "maslikhat.cast_ballot", session)
        assert maslikhat_services.ballot_refusal(session=session, deputy=deputy) is None

        # When the demo deputy votes "for" through the service
        maslikhat_services.ballot_cast(session=session, deputy=deputy, choice="for")

        # Then the vote is counted and the session stays open for the chairman
        session.refresh_from_db()
        assert not session.is_closed
        assert maslikhat_services.vote_count(session) == VoteCount(9, 8, 5, 1, 1)

        # And when the chairman, the last present deputy, votes "for", the session
        # closes with a quorum and the draft is adopted
        maslikhat_services.ballot_cast(session=session, deputy=chairman, choice="for")
        session.refresh_from_db()
        assert (session.is_closed, session.outcome) == (True, SessionOutcome.PASSED)
        assert cycle_state(session.draft.cycle).phase == CyclePhase.ADOPTED


@pytest.mark.parametrize("moment", MOMENTS[2:], ids=IDS[2:])
def test_the_adopted_and_executed_budgets_were_passed_by_a_recorded_vote(db, moment):
    with time_machine.travel(moment, tick=False):
        _load()
        client = Client()
        for kato_code in ("117033000", "117057000"):
            cycle = _cycle(kato_code)
            # The session was opened, every present deputy voted, the last ballot
            # closed it with a quorum (eight of nine present), and the draft passed
            (session,) = VotingSession.objects.with_counts().filter(draft__cycle=cycle)
            count = VoteCount.of(session)
            assert session.is_closed and session.outcome == SessionOutcome.PASSED
            assert count == VoteCount(9, 8, 7, 0, 1)
            assert VoteRules.of(session).quorum_reached(count)
            assert session.closed_at < session.closes_at
            assert session.draft.status == "approved"
            assert list(
                AuditEvent.objects.filter(
                    target_type__model="votingsession", target_id=str(session.pk)
                )
                .order_by("created_at", "pk")
                .values_list("verb", flat=True)
            ) == ["session.opened"] + ["ballot.cast"] * 8 + ["session.closed"]
            # The draft was approved by the session's close, not by anyone directly
            approved = AuditEvent.objects.get(
                verb="draft.approved",
                target_type__model="draftbudget",
                target_id=str(session.draft.pk),
            )
            assert approved.actor is None
            # (in the same act: the replay's clock ticks on within it)
            assert (
                datetime.timedelta(0)
                <= approved.created_at - session.closed_at
                < datetime.timedelta(seconds=5)
            )

            # And the dashboard says the maslikhat voted
            figures = unit_votes(unit=cycle.unit, fiscal_year=cycle.fiscal_year)
            assert (figures.held, figures.passed, figures.open) == (1, 1, 0)
            assert (figures.votes_for, figures.votes_abstain) == (7, 1)
            html = client.get(
                reverse(
                    "portal:dashboard",
                    kwargs={
                        "kato_code": kato_code,
                        "fiscal_year": cycle.fiscal_year,
                    },
                )
            ).content.decode()
            assert 'data-testid="session"' in html
            assert "has not voted" not in html
            assert session.get_absolute_url() in html


@pytest.mark.parametrize("moment", MOMENTS[1:3], ids=IDS[1:3])
def test_the_review_has_decisions_due_and_reviews_past_their_deadline(db, moment):
    with time_machine.travel(moment, tick=False):
        _load()
        cycle = _cycle("117055000")
        today = timezone.localdate()

        # Two proposals await the akim's decision, one approved awaits inclusion,
        # two are still under review past the statutory deadline
        assert queue_counts(unit=cycle.unit) == {
            "review": 2,
            "decision": 2,
            "inclusion": 1,
            "implementation": 0,
        }
        reviews = Review.objects.filter(proposal__cycle=cycle)
        assert {
            review.is_overdue_on(today)
            for review in reviews.filter(proposal__status=ProposalStatus.UNDER_REVIEW)
        } == {True}
        assert not any(
            review.is_overdue_on(today)
            for review in reviews.exclude(proposal__status=ProposalStatus.UNDER_REVIEW)
        )
        # The clock told the akim of the two overdue reviews, once each
        assert (
            AuditEvent.objects.filter(verb="review.overdue", unit=cycle.unit).count()
            == 2
        )
        # And the review phase runs on: the decisions are still due in it
        assert cycle.phases.get(kind=CyclePhase.REVIEW).ends_on > today
