"""Every status of every lifecycle looks like what it means: a tone, an icon, the word."""

import re

import pytest
from django.conf import settings
from django.template import Context, Template

from accounts.models import ResidencyStatus
from budgets.models import DraftStatus
from portal import status
from proposals.models import ProposalStatus, VoteOutcome
from votes.models import Outcome

LIFECYCLES = [ProposalStatus, DraftStatus, ResidencyStatus, VoteOutcome, Outcome]
# The stylesheet as served: compiled at set-up from assets/scss/ (`npm run build`).
CSS = (settings.BASE_DIR / "assets" / "dist" / "css" / "portal.css").read_text()
ICONS = settings.BASE_DIR / "node_modules" / "lucide-static" / "icons"


@pytest.mark.parametrize(
    "value", sorted({value for choices in LIFECYCLES for value in choices.values})
)
def test_every_status_has_a_tone_and_an_icon_that_exists(value):
    tone, icon = status.LOOKS[value]
    assert re.search(rf"\.tone-{tone}[ ,{{]", CSS)
    assert (ICONS / f"{icon}.svg").is_file()
    assert re.search(
        rf'\.icon-{icon}\{{--icon: ?url\("\.\./icons/{icon}\.svg"\)\}}', CSS
    )


def test_opposite_decisions_never_look_alike():
    for yes, no in [
        ("approved", "rejected"),
        ("recommended", "not_recommended"),
        ("verified", "refused"),
        ("selected", "not_selected"),
    ]:
        assert status.look(yes)[0] != status.look(no)[0]
        assert status.look(yes)[1] != status.look(no)[1]


def test_the_tag_writes_the_word_beside_its_tone_and_icon():
    html = Template(
        '{% load portal_tags %}{% status_tag value label testid="state" %}'
    ).render(Context({"value": "rejected", "label": "rejected <by the akim>"}))
    assert html == (
        '<span class="usa-tag tag tone-negative icon-circle-x" data-testid="state">'
        "rejected &lt;by the akim&gt;</span>"
    )


def test_an_unknown_status_is_neutral_and_still_written():
    html = Template("{% load portal_tags %}{% status_tag 'new' 'new' %}").render(
        Context()
    )
    assert html == '<span class="usa-tag tag tone-neutral">new</span>'


def test_every_tone_meets_aa_contrast():
    def luminance(hex_colour: str) -> float:
        digits = hex_colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for tone in ("positive", "negative", "warning", "progress", "neutral"):
        rule = re.search(rf"\.usa-tag\.tone-{tone}[^{{]*\{{([^}}]*)\}}", CSS).group(1)
        colours = dict(re.findall(r"(background|color):\s*(#[0-9a-f]{3,6})", rule))
        light, dark = sorted(
            [luminance(colours["color"]), luminance(colours["background"])],
            reverse=True,
        )
        assert (light + 0.05) / (dark + 0.05) >= 4.5, tone
