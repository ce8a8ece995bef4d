"""The support count kept on a proposal: changed by the acts in their own transaction,
always the number of its supports, and checked against them by `check_aggregates`."""

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.errors import DomainError
from proposals import selectors, services
from proposals.models import Proposal, Support
from tests.accounts.factories import ResidencyFactory
from tests.proposals.conftest import at


@pytest.fixture
def residents(territory):
    return [
        ResidencyFactory(
            place=territory["village"], budget_unit=territory["rural_district"]
        ).user
        for _ in range(4)
    ]


def kept(proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).support_count


def counted(proposal) -> int:
    return Support.objects.filter(proposal=proposal).count()


def test_supports_given_refused_and_taken_back_keep_the_count_exact(
    submitted, residents
):
    with time_machine.travel(at(2026, 3, 12), tick=False):
        # four residents support it: four
        for user in residents:
            services.support_add(proposal=submitted, user=user)
        assert kept(submitted) == counted(submitted) == 4
        # a second support by the same resident is refused and changes nothing
        with pytest.raises(DomainError):
            services.support_add(proposal=submitted, user=residents[0])
        assert kept(submitted) == 4
        # two take it back: two; taking back what was never given changes nothing
        services.support_withdraw(proposal=submitted, user=residents[0])
        services.support_withdraw(proposal=submitted, user=residents[1])
        with pytest.raises(DomainError):
            services.support_withdraw(proposal=submitted, user=residents[1])
        assert kept(submitted) == counted(submitted) == 2
        # and one supports again: three
        services.support_add(proposal=submitted, user=residents[0])
    assert kept(submitted) == counted(submitted) == 3
    assert list(selectors.support_count_differences()) == []


def test_the_lists_show_and_sort_by_the_kept_count(cycle, submitted, residents):
    with time_machine.travel(at(2026, 3, 12), tick=False):
        for user in residents[:2]:
            services.support_add(proposal=submitted, user=user)
    listed = selectors.proposal_list(cycle=cycle, sort="supported")
    assert next((p.pk, p.support_count) for p in listed) == (submitted.pk, 2)


def test_check_aggregates_passes_when_every_count_matches(submitted, residents, capsys):
    with time_machine.travel(at(2026, 3, 12), tick=False):
        services.support_add(proposal=submitted, user=residents[0])
    call_command("check_aggregates")
    assert "matches" in capsys.readouterr().out


def test_check_aggregates_fails_on_a_count_that_drifted_and_repairs_it(
    submitted, residents, capsys
):
    # given a count changed behind the services' back (a row deleted by hand)
    with time_machine.travel(at(2026, 3, 12), tick=False):
        for user in residents[:3]:
            services.support_add(proposal=submitted, user=user)
    Support.objects.filter(user=residents[0]).delete()
    assert kept(submitted) == 3
    # the check names it and fails (manage.py exits with status 1)
    with pytest.raises(CommandError, match="1 support count differs from its recount"):
        call_command("check_aggregates")
    assert (
        f"Proposal {submitted.pk}: 3 supporters kept, 2 counted."
        in capsys.readouterr().out
    )
    # --repair sets it to the recount, and the check passes again
    call_command("check_aggregates", "--repair")
    assert kept(submitted) == 2
    call_command("check_aggregates")


def test_a_proposal_hidden_after_it_was_read_refuses_the_support_and_keeps_the_count(
    submitted, residents, moderator
):
    # Given a resident's request that read the proposal as supportable
    read = selectors.proposal_act_get(pk=submitted.pk)
    with time_machine.travel(at(2026, 3, 12), tick=False):
        # and a moderator who hides it before the support is written
        services.proposal_hide(proposal=submitted, actor=moderator, reason="Spam")
        # the support is refused and nothing of it stays
        with pytest.raises(DomainError) as refused:
            services.support_add(proposal=read, user=residents[0])
    assert refused.value.code == "proposal_not_supportable"
    assert counted(submitted) == kept(submitted) == 0


def test_a_support_reads_the_proposal_and_its_cycle_in_one_query(
    client, submitted, residents, django_assert_num_queries
):
    with time_machine.travel(at(2026, 3, 12), tick=False):
        client.force_login(residents[0])
        # Content types and the like are cached for the life of the process.
        client.post(reverse("proposals:support", args=[submitted.pk]))
        client.force_login(residents[1])
        # The session, the user; the proposal with its unit, its cycle and the cycle's
        # state; the residency (the rule, then the service); the support, the count,
        # the audit trail; the service's and the insert's savepoints.
        with django_assert_num_queries(12):
            response = client.post(reverse("proposals:support", args=[submitted.pk]))
    assert response.status_code == 302
    assert counted(submitted) == kept(submitted) == 2
