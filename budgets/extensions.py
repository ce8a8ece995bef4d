"""What the apps built on budgets show beside a budget's lines: budgets never imports them,
they register a provider here in their AppConfig.ready() (proposals shows the residents'
proposals each line pays for)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class LineCompanion:
    """One thing a line pays for, as the execution page shows it under the line.

    `title` is empty when the thing may not be named in public (a hidden proposal): the
    page then shows `hidden_label`, what it is, never what it said."""

    title: str
    status_label: str | Promise
    url: str
    hidden_label: str | Promise = ""

    @property
    def is_hidden(self) -> bool:
        return not self.title


# Given the ids of budget lines, the companions of each line that has any, in one query
# whatever the number of lines.
LineCompanionProvider = Callable[[Sequence[int]], dict[int, list[LineCompanion]]]

PROVIDERS: list[LineCompanionProvider] = []


def register_line_companion(provider: LineCompanionProvider) -> None:
    """Add a provider once; registering the same one again (a second ready()) is a no-op."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def line_companions(line_ids: Sequence[int]) -> dict[int, list[LineCompanion]]:
    """Every provider's companions of the lines, by line id; one query per provider."""
    companions: dict[int, list[LineCompanion]] = {}
    if not line_ids:
        return companions
    for provider in PROVIDERS:
        for line_id, items in provider(line_ids).items():
            companions.setdefault(line_id, []).extend(items)
    return companions
