"""Acts at the same moment on PostgreSQL: supports counted once per person, the limit of
proposals per person kept, an overdue review escalated once, whatever the interleaving."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from unittest import mock

import pytest
import time_machine
from django.db import connection

from portal.models import AuditEvent, Notification
from proposals import services
from proposals.models import Proposal, ProposalStatus, Review, Support
from proposals.services import authoring, review
from tests.accounts.factories import ResidencyFactory, make_iin
from tests.concurrency import at_once, postgresql_required
from tests.proposals.conftest import DAY_IN, at, make_draft

RESIDENTS = 50
# PostgreSQL takes 100 connections, shared with whatever else runs against it: the calls
# go through this many threads, each with its own connection, all released together.
WORKERS = 25


postgresql = postgresql_required("acts at once need PostgreSQL's row locks")


@contextmanager
def first_call_held(module, name: str):
    """Patch `<module>.<name>` so that the first thread to get past it waits there,
    inside its transaction and with its locks, until released."""
    original = getattr(module, name)
    reached, release = threading.Event(), threading.Event()
    guard = threading.Lock()
    callers = []

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        with guard:
            callers.append(threading.get_ident())
            is_first = len(callers) == 1
        if is_first:
            reached.set()
            release.wait(timeout=30)
        return result

    with mock.patch.object(module, name, held):
        yield reached, release


def a_backend_waits_for_a_lock(timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def hold_until_another_waits(reached, release, seen: list):
    """While the threads run: once the first holds its locks, see that another waits
    for them, then let the first go on."""

    def check():
        assert reached.wait(timeout=30)
        seen.append(a_backend_waits_for_a_lock())
        release.set()

    return check


def notifications() -> list[tuple]:
    return list(Notification.objects.order_by("pk").values_list("recipient_id", "kind"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_residents_supporting_at_once_each_count_once(
    postgresql, submitted, territory
):
    # Given 50 verified residents of the unit and a submitted proposal
    residents = [
        ResidencyFactory(
            place=territory["village"],
            budget_unit=territory["rural_district"],
            user__iin=make_iin(5000 + 10 * index),
        ).user
        for index in range(RESIDENTS)
    ]
    sent_before = notifications()

    def support(user):
        return lambda: services.support_add(proposal=submitted, user=user).user_id

    # When each supports it at the same moment, and each sends the same support again
    # at that moment too
    calls = [support(user) for user in residents for _twice in range(2)]
    with time_machine.travel(at(2026, 3, 12), tick=False):
        given, refusals, errors = at_once(calls, workers=WORKERS)

    # Then each resident's support counts once, and each second one is refused as such
    assert errors == []
    assert sorted(given) == sorted(user.pk for user in residents)
    assert refusals == ["support_already_given"] * RESIDENTS
    assert sorted(
        Support.objects.filter(proposal=submitted).values_list("user_id", flat=True)
    ) == sorted(user.pk for user in residents)
    assert Support.objects.count() == RESIDENTS
    # and the count kept on the proposal is exact, every increment applied once
    submitted.refresh_from_db()
    assert submitted.support_count == RESIDENTS
    assert (
        AuditEvent.objects.filter(
            verb="proposal.supported", target_id=str(submitted.pk)
        ).count()
        == RESIDENTS
    )
    # And a support tells no one
    assert notifications() == sent_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_at_once_at_the_limit_let_one_through(
    postgresql, settings, cycle, resident, function
):
    # Given one proposal a person, and a resident with two drafts
    settings.QATYSU_PROPOSALS_PER_PERSON = 1
    drafts = [
        make_draft(cycle, resident, function, title=title)
        for title in ("Street lights", "A playground")
    ]
    sent_before = notifications()

    def submit(proposal):
        return lambda: services.proposal_submit(proposal=proposal, actor=resident).pk

    # When the resident submits both at the same moment, the first to count holding
    # its lock until the other is seen waiting for it
    seen = []
    with (
        time_machine.travel(DAY_IN["proposals_open"], tick=False),
        first_call_held(authoring, "_limit_check") as (reached, release),
    ):
        submitted, refusals, errors = at_once(
            [submit(proposal) for proposal in drafts],
            while_running=hold_until_another_waits(reached, release, seen),
        )

    # Then the second waited; one is submitted, the other refused and still a draft
    assert seen == [True]
    assert errors == []
    assert refusals == ["proposal_limit_reached"]
    assert len(submitted) == 1
    statuses = dict(
        Proposal.objects.filter(pk__in=[p.pk for p in drafts]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        proposal.pk: (
            ProposalStatus.SUBMITTED
            if proposal.pk == submitted[0]
            else ProposalStatus.DRAFT
        )
        for proposal in drafts
    }
    assert list(
        AuditEvent.objects.filter(verb="proposal.submitted").values_list(
            "target_id", flat=True
        )
    ) == [str(submitted[0])]
    assert notifications() == sent_before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_escalations_at_once_escalate_once(postgresql, under_review, staff, akim):
    # Given a review due on 26 May, still open
    moment = at(2026, 5, 27, hour=0)

    # When two runs of the escalation start at midnight on 27 May, the first holding
    # the reviews it locked until the other is seen waiting for them
    seen = []
    with (
        time_machine.travel(moment, tick=False),
        first_call_held(review, "_staff_by_unit") as (reached, release),
    ):
        escalated, refusals, errors = at_once(
            [services.reviews_escalate_due] * 2,
            while_running=hold_until_another_waits(reached, release, seen),
        )

    # Then the second waited and found nothing left to do
    assert seen == [True]
    assert (errors, refusals) == ([], [])
    assert sorted(escalated) == [0, 1]
    # And the overdue is recorded once and the akim alone told once
    assert list(
        AuditEvent.objects.filter(verb="review.overdue").values_list(
            "target_id", "details"
        )
    ) == [(str(under_review.pk), {"deadline": "2026-05-26"})]
    assert list(
        Notification.objects.filter(kind="review_overdue").values_list(
            "recipient_id", flat=True
        )
    ) == [akim.pk]
    assert Review.objects.get(proposal=under_review).escalated_at == moment
