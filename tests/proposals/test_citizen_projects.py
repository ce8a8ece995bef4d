"""The residents' projects on the citizen's budget: the proposals included in a public
version's lines, then, once the maslikhat adopts a version, those its lines fund; each
linked to its page, a hidden one without its title."""

import time_machine
from django.urls import reverse
from django.utils import translation

from budgets import selectors
from proposals import services
from proposals.models import Proposal, ProposalStatus
from tests.budgets.conftest import chairman, maslikhat  # noqa: F401
from tests.budgets.test_citizen import text_of
from tests.proposals.conftest import DAY_IN, at
from tests.proposals.test_funding import adopt, version_two

UNIT, YEAR = "115633000", 2027


def page(client, name="citizen", **extra) -> str:
    with translation.override("en"):
        address = reverse(
            f"budgets:{name}", kwargs={"kato_code": UNIT, "fiscal_year": YEAR, **extra}
        )
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def projects_of(draft) -> list[tuple[str, str, str]]:
    cycle = selectors.cycle_get(kato_code=UNIT, fiscal_year=YEAR)
    version = next(d for d in cycle.drafts.all() if d.pk == draft.pk)
    version.cycle = cycle
    with translation.override("en"):
        return [
            (
                project.companion.title,
                str(project.companion.status_label),
                project.item.classification.code,
            )
            for project in selectors.citizen_budget(version).projects
        ]


def test_a_published_version_lists_the_proposal_included_in_its_line(
    included, published, client
):
    # Given a proposal included in line E701 of version 1, which is published
    # When a visitor reads the version in plain words
    html = page(client)

    # Then the proposal is listed with its status and linked to its page
    assert projects_of(published) == [
        ("Street lights on Abai street", "included in the draft budget", "E701")
    ]
    assert f'href="{reverse("proposals:detail", kwargs={"pk": included.pk})}"' in html
    assert "Street lights on Abai street included in the draft budget" in text_of(html)


def test_the_adopted_budget_lists_the_proposal_it_funds_and_a_later_version_keeps_it(
    included,
    published,
    cycle,
    staff,
    akim,
    chairman,  # noqa: F811
    maslikhat,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # Given version 2 made from version 1 and adopted: the proposal is funded by its line
    second = version_two(cycle, staff)
    adopt(
        second,
        staff=staff,
        akim=akim,
        chairman=chairman,
        maslikhat=maslikhat,
        capture=django_capture_on_commit_callbacks,
    )

    # Then both versions in plain words list it, funded
    assert projects_of(second) == [("Street lights on Abai street", "funded", "E701")]
    assert projects_of(published) == [
        ("Street lights on Abai street", "funded", "E701")
    ]


def test_a_proposal_included_only_in_a_later_version_is_not_on_an_earlier_one(
    approved, published, cycle, staff
):
    # Given version 1 published without the proposal, and version 2 that includes it
    second = version_two(cycle, staff)
    with time_machine.travel(DAY_IN["public_discussion"], tick=False):
        services.proposal_include(
            proposal=approved,
            actor=staff,
            line=second.lines.get(classification__code="E701"),
        )

    # Then only version 2 lists it
    assert projects_of(published) == []
    assert projects_of(second) == [
        ("Street lights on Abai street", "included in the draft budget", "E701")
    ]


def test_a_hidden_proposal_is_listed_without_its_title(
    included, published, moderator, client
):
    with time_machine.travel(at(2026, 10, 12), tick=False):
        services.proposal_hide(
            proposal=Proposal.objects.get(pk=included.pk),
            actor=moderator,
            reason="Personal data in the description.",
        )

    html = page(client, "draft_citizen", version=1)

    assert projects_of(published) == [("", str(ProposalStatus.INCLUDED.label), "E701")]
    assert "Street lights on Abai street" not in html
    assert "Hidden proposal" in text_of(html)
