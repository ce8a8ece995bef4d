"""Who may do what with budget cycles and drafts, and when: each rule is a role and, for an
act that depends on it, the draft's status and the cycle's phase that allow it
(portal.permissions). The services keep checking the state under their lock."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.permissions import (
    is_akim,
    is_unit_staff,
    is_verified_resident_of,
)
from budgets.lifecycle import DRAFTING_PHASES
from budgets.models import CyclePhase, DraftStatus
from budgets.selectors import cycle_state
from portal.permissions import add_rule


@rules.predicate
def is_staff_of_cycle(user, cycle) -> bool:
    return is_unit_staff(user, cycle.unit)


@rules.predicate
def is_resident_of_cycle(user, cycle) -> bool:
    return is_verified_resident_of(user, cycle.unit)


@rules.predicate
def is_akim_of_cycle(user, cycle) -> bool:
    return is_akim(user, cycle.unit)


@rules.predicate
def is_staff_of_draft_unit(user, draft) -> bool:
    return is_unit_staff(user, draft.cycle.unit)


@rules.predicate
def is_akim_of_draft_unit(user, draft) -> bool:
    return is_akim(user, draft.cycle.unit)


@rules.predicate
def is_resident_of_draft_unit(user, draft) -> bool:
    return is_verified_resident_of(user, draft.cycle.unit)


def _phase(draft) -> str:
    """The phase of the draft's cycle: no query for a draft of `selectors.draft_get`, whose
    cycle carries what its state is derived from."""
    return cycle_state(draft.cycle).phase


def _is_latest_public(draft) -> bool:
    """Whether no later version is public (from the cycle's prefetched drafts)."""
    return not any(
        other.version > draft.version and other.status != DraftStatus.PREPARING
        for other in draft.cycle.drafts.all()
    )


@rules.predicate
def phase_allows_new_version(_user, cycle) -> bool:
    return cycle_state(cycle).phase in DRAFTING_PHASES


@rules.predicate
def status_allows_new_version(_user, cycle) -> bool:
    """None is being prepared, and the latest is not the coordinated one, which waits for
    the akim's submission."""
    latest = max(cycle.drafts.all(), key=lambda draft: draft.version, default=None)
    return latest is None or latest.status not in (
        DraftStatus.PREPARING,
        DraftStatus.COORDINATED,
    )


@rules.predicate
def is_latest_published(_user, draft) -> bool:
    """The version residents discuss and the meeting decides on: the latest published."""
    return draft.status == DraftStatus.PUBLISHED and _is_latest_public(draft)


status_allows_comment = status_allows_meeting = is_latest_published


@rules.predicate
def phase_allows_comment(_user, draft) -> bool:
    return _phase(draft) == CyclePhase.PUBLIC_DISCUSSION


@rules.predicate
def phase_allows_meeting(_user, draft) -> bool:
    return _phase(draft) == CyclePhase.COORDINATION


@rules.predicate
def status_allows_submission(_user, draft) -> bool:
    return draft.status == DraftStatus.COORDINATED


add_rule(
    "budgets.open_cycle",
    is_unit_staff,
    refusal=_("Only the akimat staff of this unit open its budget cycle."),
)
add_rule(
    "budgets.manage_cycle",
    is_staff_of_cycle,
    refusal=_(
        "Only the akimat staff of this unit prepare its draft budget and its phases."
    ),
)
add_rule(
    "budgets.new_version",
    is_staff_of_cycle,
    when=phase_allows_new_version & status_allows_new_version,
    refusal=_(
        "Only the akimat staff of this unit prepare its draft budget and its phases."
    ),
)
add_rule(
    "budgets.record_meeting",
    is_staff_of_draft_unit,
    when=status_allows_meeting & phase_allows_meeting,
    refusal=_("Only the akimat staff of this unit record its community meeting."),
)
add_rule(
    "budgets.submit_draft",
    is_akim_of_draft_unit,
    when=status_allows_submission,
    refusal=_("Only the akim of this unit submits its draft budget to the maslikhat."),
)
add_rule(
    "budgets.comment_draft",
    is_resident_of_draft_unit,
    when=status_allows_comment & phase_allows_comment,
    refusal=_(
        "Only verified residents of this unit comment on its draft budget. Give your place "
        "of residence on your profile and wait for the akimat to confirm it."
    ),
)
add_rule(
    "budgets.reply_officially",
    is_staff_of_cycle,
    refusal=_("Only the akimat staff of this unit answer on its behalf."),
)


add_rule(
    "budgets.record_execution",
    is_staff_of_cycle,
    refusal=_(
        "Only the akimat staff of this unit record and correct the execution of its "
        "budget."
    ),
)
