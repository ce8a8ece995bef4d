"""What the apps built on budgets add to budgets' pages and API: budgets never imports them,
they register here in their AppConfig.ready(). Proposals shows the residents' proposals
each line pays for (on the execution page and on the citizen's budget); the maslikhat adds its vote to a cycle's page and to the API's cycle."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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


# The residents' projects a version of the draft pays for, on the citizen's budget: given
# the version and its expenditure lines, the projects of each line that has any, in one
# query. In a version not yet adopted they are the proposals included in its lines; in
# the adopted one, the proposals it funds.
DraftProjectsProvider = Callable[[Any, Sequence[Any]], dict[int, list[LineCompanion]]]

DRAFT_PROJECT_PROVIDERS: list[DraftProjectsProvider] = []


def register_draft_projects(provider: DraftProjectsProvider) -> None:
    """Add a provider once; registering the same one again (a second ready()) is a no-op."""
    if provider not in DRAFT_PROJECT_PROVIDERS:
        DRAFT_PROJECT_PROVIDERS.append(provider)


def draft_projects(draft, lines: Sequence[Any]) -> dict[int, list[LineCompanion]]:
    """Every provider's projects of the version's lines, by line id; one query per
    provider, none for no line."""
    projects: dict[int, list[LineCompanion]] = {}
    if not lines:
        return projects
    for provider in DRAFT_PROJECT_PROVIDERS:
        for line_id, items in provider(draft, lines).items():
            projects.setdefault(line_id, []).extend(items)
    return projects


@dataclass(frozen=True)
class CyclePanel:
    """A section of a cycle's page that an app built on budgets renders.

    `context(cycle=, current=, user=)` gives the template's context, or None when the
    section has nothing to show; `current` is the newest public draft, or None."""

    key: str
    template: str
    context: Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


CYCLE_PANELS: dict[str, CyclePanel] = {}


def register_cycle_panel(panel: CyclePanel) -> None:
    CYCLE_PANELS[panel.key] = panel


def cycle_panels(*, cycle, current, user) -> list[RenderedPanel]:
    """Every registered section of the cycle's page that has something to show."""
    rendered = []
    for panel in CYCLE_PANELS.values():
        context = panel.context(cycle=cycle, current=current, user=user)
        if context is not None:
            rendered.append(RenderedPanel(template=panel.template, context=context))
    return rendered


# Fields of a cycle in the API (`/api/v1/cycles/<kato>/<year>/`): by name, a factory of a
# read-only serializer field whose source is the cycle itself (`source="*"`).
CYCLE_API_FIELDS: dict[str, Callable[[], Any]] = {}


def register_cycle_api_field(name: str, field_factory: Callable[[], Any]) -> None:
    CYCLE_API_FIELDS[name] = field_factory
