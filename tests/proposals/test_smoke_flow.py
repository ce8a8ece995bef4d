"""The whole road of a proposal through the services, from idea to the money spent."""

import time_machine

from budgets import signals
from budgets.models import DraftBudget
from portal.models import Notification
from proposals import services
from proposals.models import ProposalStatus, Support
from tests.proposals.conftest import at


def test_a_proposal_goes_from_draft_to_implemented(
    included, staff, neighbour, resident
):
    # given a proposal included in a line of version 1 of the draft
    draft = DraftBudget.objects.get(pk=included.included_line.draft_id)
    # when the maslikhat adopts that draft
    signals.draft_adopted.send(sender=DraftBudget, draft=draft)
    included.refresh_from_db()
    # then it is funded by the same line
    assert included.status == ProposalStatus.FUNDED
    assert included.funding_line_id == included.included_line_id
    # and staff carry it out and report
    with time_machine.travel(at(2027, 6, 1), tick=False):
        services.proposal_start(proposal=included, actor=staff)
        services.proposal_implement(
            proposal=included,
            actor=staff,
            text="Eight lamps installed.",
            amount_spent="2250000",
        )
    included.refresh_from_db()
    assert included.status == ProposalStatus.IMPLEMENTED
    assert included.implementation.amount_spent == 2250000
    kinds = list(
        Notification.objects.filter(recipient=resident)
        .order_by("pk")
        .values_list("context__status", flat=True)
    )
    assert kinds == [
        "under_review",
        "recommended",
        "approved",
        "included",
        "funded",
        "in_progress",
        "implemented",
    ]


def test_support_counts_once(submitted, neighbour):
    with time_machine.travel(at(2026, 3, 12), tick=False):
        services.support_add(proposal=submitted, user=neighbour)
    assert Support.objects.filter(proposal=submitted).count() == 1


def test_a_missed_adoption_signal_is_caught_up_by_the_job(included):
    # given the draft was adopted but the signal's receiver never ran
    from budgets.models import DraftStatus
    from proposals import tasks

    draft = DraftBudget.objects.get(pk=included.included_line.draft_id)
    DraftBudget.objects.filter(pk=draft.pk).update(status=DraftStatus.APPROVED)
    # when the catch-up job runs, twice
    assert tasks.funding_catch_up.delay().get() == 1
    assert tasks.funding_catch_up.delay().get() == 0
    # then the proposal is funded once
    included.refresh_from_db()
    assert included.status == ProposalStatus.FUNDED


def test_a_failing_receiver_never_breaks_the_act_that_sent_the_signal(
    cycle, caplog, django_capture_on_commit_callbacks
):
    # given a receiver of budgets' signals that fails
    from budgets import services as budget_services
    from budgets.signals import cycle_phase_changed

    def broken(**kwargs):
        raise RuntimeError("receiver down")

    cycle_phase_changed.connect(broken, dispatch_uid="test-broken")
    try:
        # when the clock moves the cycle on and the transaction commits
        with (
            time_machine.travel(at(2026, 3, 2), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            moved = budget_services.cycles_announce(cycles=[cycle])
    finally:
        cycle_phase_changed.disconnect(dispatch_uid="test-broken")
    # then the move is recorded and the failure only logged
    assert [c.pk for c in moved] == [cycle.pk]
    assert "Receiver" in caplog.text
    assert "receiver down" in caplog.text
