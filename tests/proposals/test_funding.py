"""When the maslikhat adopts a draft, budgets sends `draft_adopted` and the proposals
included in its lines are funded: by the adopted version's line of the same
classification, once, their author and followers told."""

import pytest
import time_machine

from budgets import services as budget_services
from budgets import signals
from budgets.models import DraftBudget, DraftStatus
from portal.models import AuditEvent, Notification
from proposals import services, tasks
from proposals.models import Proposal, ProposalStatus
from tests.budgets.conftest import (  # noqa: F401
    BALANCED,
    PDF,
    chairman,
    draft_submitted,
    maslikhat,
)
from tests.budgets.factories import lines
from tests.maslikhat.factories import DURING, ballots_cast, session_open
from tests.proposals.conftest import (
    ASSESSMENT,
    DAY_IN,
    at,
    make_submitted,
    start_review,
)


def adopt(draft, *, staff, akim, chairman, maslikhat, capture) -> DraftBudget:  # noqa: F811
    """The real road of a published draft: the community meeting coordinates it, the
    akim submits it, and the ten deputies of the maslikhat all vote for it; the signal
    goes once the last ballot's transaction commits."""
    draft_submitted(draft, staff=staff, akim=akim)
    session = session_open(draft, chairman)
    with time_machine.travel(DURING, tick=False), capture(execute=True):
        ballots_cast(session, [(deputy, "for") for deputy in maslikhat])
    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    return draft


def version_two(cycle, staff, *, expenditure=None) -> DraftBudget:
    """Version 2, made and published during the public discussion; with other
    expenditure lines when told."""
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        second = budget_services.draft_create(cycle=cycle, actor=staff)
        if expenditure is not None:
            budget_services.draft_update(
                draft=second,
                lines=lines(revenue=BALANCED["revenue"], expenditure=expenditure),
                cash_balance_used=0,
                note="Без освещения",
                actor=staff,
            )
        return budget_services.draft_publish(draft=second, actor=staff)


def funded_events() -> list[tuple]:
    return list(
        AuditEvent.objects.filter(verb="proposal.funded")
        .order_by("pk")
        .values_list("actor_id", "target_id", "details")
    )


def status_notices(status: str) -> list[tuple]:
    return sorted(
        Notification.objects.filter(
            kind="proposal_status_changed", context__status=status
        ).values_list("recipient_id", "url_kwargs")
    )


def test_adopting_the_draft_funds_the_included_proposal_by_its_line(
    included,
    published,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    resident,
    django_capture_on_commit_callbacks,
):
    # Given a proposal included in line E701 of version 1, published
    line = included.included_line

    # When the maslikhat adopts version 1
    draft = adopt(
        published,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )

    # Then the proposal is funded by that very line
    included.refresh_from_db()
    assert (included.status, included.funding_line_id, included.included_line_id) == (
        ProposalStatus.FUNDED,
        line.pk,
        line.pk,
    )
    assert funded_events() == [
        (
            None,
            str(included.pk),
            {"from": "included", "status": "funded", "version": 1, "line": "E701"},
        )
    ]
    assert AuditEvent.objects.get(verb="proposal.funded").created_at == DURING
    # And its author is told
    assert status_notices("funded") == [(resident.pk, {"pk": included.pk})]
    assert draft.version == 1


def test_a_proposal_included_in_version_1_is_funded_by_the_line_of_version_2(
    included,
    published,
    cycle,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # Given a proposal included in line E701 of version 1, and version 2 made from it
    first_line = included.included_line
    second = version_two(cycle, staff)
    second_line = second.lines.get(classification__code="E701")

    # When the maslikhat adopts version 2
    adopt(
        second,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )

    # Then the proposal is funded by version 2's line E701; it stays included in
    # version 1's
    included.refresh_from_db()
    assert included.status == ProposalStatus.FUNDED
    assert (included.included_line_id, included.funding_line_id) == (
        first_line.pk,
        second_line.pk,
    )
    assert first_line.pk != second_line.pk
    assert funded_events() == [
        (
            None,
            str(included.pk),
            {"from": "included", "status": "funded", "version": 2, "line": "E701"},
        )
    ]


def test_a_proposal_whose_line_the_adopted_version_dropped_is_not_funded(
    included,
    published,
    cycle,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    resident,
    django_capture_on_commit_callbacks,
):
    # Given a proposal included in line E701 of version 1, and version 2 without E701
    line = included.included_line
    second = version_two(cycle, staff, expenditure={"E801": "26000000"})
    assert not second.lines.filter(classification__code="E701").exists()
    notices_before = status_notices("funded")

    # When the maslikhat adopts version 2
    adopt(
        second,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )

    # Then the proposal stays included in version 1's line, not funded, nothing told
    included.refresh_from_db()
    assert (included.status, included.included_line_id, included.funding_line_id) == (
        ProposalStatus.INCLUDED,
        line.pk,
        None,
    )
    assert funded_events() == []
    assert status_notices("funded") == notices_before == []


def test_an_approved_proposal_not_included_is_untouched(
    included,
    published,
    cycle,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    neighbour,
    function,
    django_capture_on_commit_callbacks,
):
    # Given a second proposal, approved by the akim but not included in the draft
    other = make_submitted(cycle, neighbour, function, title="A playground")
    # The review of the first started on 4 May; this one is put under review later.
    start_review(cycle, on=at(2026, 5, 12))
    with time_machine.travel(at(2026, 5, 13), tick=False):
        services.review_complete(proposal=other, actor=staff, data=ASSESSMENT)
        services.proposal_decide(
            proposal=other, actor=akim, decision="approved", reason="Children need it."
        )
    other.refresh_from_db()
    before = Proposal.objects.filter(pk=other.pk).values().get()

    # When the maslikhat adopts version 1
    adopt(
        published,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )

    # Then the included one is funded, the other untouched, its author not told
    assert Proposal.objects.filter(pk=other.pk).values().get() == before
    assert before["status"] == ProposalStatus.APPROVED
    assert [target for _actor, target, _details in funded_events()] == [
        str(included.pk)
    ]
    assert neighbour.pk not in [user for user, _url in status_notices("funded")]


def test_the_signal_sent_twice_funds_once(
    included,
    published,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    resident,
    neighbour,
    django_capture_on_commit_callbacks,
):
    # Given a follower of the included proposal, and version 1 adopted
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        services.proposal_follow(proposal=included, user=neighbour)
    draft = adopt(
        published,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )
    included.refresh_from_db()
    before = (
        included.status,
        included.funding_line_id,
        funded_events(),
        status_notices("funded"),
    )

    # When budgets sends the signal again, twice
    with time_machine.travel(at(2026, 12, 5), tick=False):
        signals.draft_adopted.send(sender=DraftBudget, draft=draft)
        signals.draft_adopted.send(sender=DraftBudget, draft=draft)

    # Then it was funded once: one event, one notice for each of author and follower
    included.refresh_from_db()
    assert (
        included.status,
        included.funding_line_id,
        funded_events(),
        status_notices("funded"),
    ) == before
    assert len(before[2]) == 1
    assert before[3] == sorted(
        [(resident.pk, {"pk": included.pk}), (neighbour.pk, {"pk": included.pk})]
    )


def test_the_signal_for_an_approved_draft_funds_once_when_sent_directly(
    included, published, resident
):
    # Given version 1 approved (as the maslikhat's vote leaves it)
    DraftBudget.objects.filter(pk=published.pk).update(status=DraftStatus.APPROVED)

    # When the signal is sent twice
    with time_machine.travel(at(2026, 12, 3), tick=False):
        signals.draft_adopted.send(sender=DraftBudget, draft=published)
        signals.draft_adopted.send(sender=DraftBudget, draft=published)

    # Then the proposal is funded once
    included.refresh_from_db()
    assert included.status == ProposalStatus.FUNDED
    assert len(funded_events()) == 1
    assert status_notices("funded") == [(resident.pk, {"pk": included.pk})]


@pytest.fixture
def followers(approved, territory, neighbour, outsider):
    """The neighbour and a resident of another unit follow the approved proposal."""
    with time_machine.travel(at(2026, 5, 9), tick=False):
        for user in (neighbour, outsider):
            services.proposal_follow(proposal=approved, user=user)
    return [neighbour, outsider]


def test_the_author_and_the_followers_are_told_and_the_one_who_acted_never(
    followers,
    approved,
    draft,
    cycle,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    resident,
    django_capture_on_commit_callbacks,
):
    # Given staff who follow the approved proposal and include it themselves
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        services.proposal_follow(proposal=approved, user=staff)
        services.proposal_include(
            proposal=approved,
            actor=staff,
            line=draft.lines.get(classification__code="E701"),
        )
        published = budget_services.draft_publish(draft=draft, actor=staff)
    everyone = sorted(
        [(user.pk, {"pk": approved.pk}) for user in (resident, *followers)]
    )

    # Then the inclusion is told to the author and the followers, not to the staff
    # member who included it
    assert status_notices("included") == everyone

    # When the maslikhat adopts the draft (no one acts on the proposal itself)
    adopt(
        published,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )

    # Then the author and every follower, the staff member now among them, are told
    # once; the akim, who does not follow it, and the deputies are not
    assert status_notices("funded") == sorted(
        [*everyone, (staff.pk, {"pk": approved.pk})]
    )
    told = {user for user, _url in status_notices("funded")}
    assert akim.pk not in told
    assert told.isdisjoint(deputy.pk for deputy in maslikhat)
    notice = Notification.objects.get(
        kind="proposal_status_changed", context__status="funded", recipient=resident
    )
    assert notice.context == {
        "title": "Street lights on Abai street",
        "status": "funded",
    }


@pytest.fixture
def receiver_down():
    """The proposals' receiver of `draft_adopted` is not there (it failed, or the
    process died after the commit); it is back after the test."""
    from proposals import handlers

    assert signals.draft_adopted.disconnect(dispatch_uid="proposals.fund")
    yield
    signals.draft_adopted.connect(handlers.fund_included, dispatch_uid="proposals.fund")


def test_the_catch_up_job_funds_once_what_a_missed_signal_left(
    receiver_down,
    included,
    published,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    resident,
    django_capture_on_commit_callbacks,
):
    # Given version 1 adopted while the receiver was down: the proposal is still
    # included
    adopt(
        published,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )
    included.refresh_from_db()
    assert included.status == ProposalStatus.INCLUDED

    # When the catch-up job runs, and runs again
    with time_machine.travel(at(2026, 12, 2, hour=13), tick=False):
        assert tasks.funding_catch_up.delay().get() == 1
        assert tasks.funding_catch_up.delay().get() == 0

    # Then the proposal is funded by its line, once, its author told once
    included.refresh_from_db()
    assert (included.status, included.funding_line_id) == (
        ProposalStatus.FUNDED,
        included.included_line_id,
    )
    assert funded_events() == [
        (
            None,
            str(included.pk),
            {"from": "included", "status": "funded", "version": 1, "line": "E701"},
        )
    ]
    assert status_notices("funded") == [(resident.pk, {"pk": included.pk})]


def test_the_catch_up_job_leaves_a_proposal_whose_line_was_dropped(
    included,
    published,
    cycle,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # Given version 2, without line E701, adopted
    second = version_two(cycle, staff, expenditure={"E801": "26000000"})
    adopt(
        second,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )
    before = Proposal.objects.filter(pk=included.pk).values().get()

    # When the catch-up job runs
    with time_machine.travel(at(2026, 12, 2, hour=13), tick=False):
        assert tasks.funding_catch_up.delay().get() == 0

    # Then the proposal stays included, and nothing is recorded or sent
    assert Proposal.objects.filter(pk=included.pk).values().get() == before
    assert before["status"] == ProposalStatus.INCLUDED
    assert funded_events() == []
    assert status_notices("funded") == []


def test_the_line_of_a_draft_being_prepared_is_named_without_its_amount(
    client, included, draft, staff
):
    # Given a proposal included in a line of version 1, still being prepared
    assert draft.status == DraftStatus.PREPARING
    page = f"/en/proposals/{included.pk}/"

    # Then its page names the line but not the amount, which is not public yet
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        html = client.get(page).content.decode()
    assert "E701" in html
    assert "20\xa0000\xa0000" not in html
    assert "its amount is public once the draft is published" in html

    # When the draft is published, then the amount and the link to it are shown
    with time_machine.travel(DAY_IN["drafting"], tick=False):
        budget_services.draft_publish(draft=draft, actor=staff)
        html = client.get(page).content.decode()
    assert "20\xa0000\xa0000" in html
    assert f'href="{draft.get_absolute_url()}#line-' in html
