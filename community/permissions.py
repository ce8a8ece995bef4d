"""Who may do what with gatherings and with the community meeting, and when."""

from __future__ import annotations

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_akim, is_unit_staff
from community import lifecycle
from community.models import GatheringStatus, SittingStatus
from portal.permissions import add_rule


@rules.predicate
def is_staff_of_gathering_unit(user, gathering) -> bool:
    return is_unit_staff(user, gathering.unit)


@rules.predicate
def is_akim_of_gathering_unit(user, gathering) -> bool:
    return is_akim(user, gathering.unit)


@rules.predicate
def status_is_planned(_user, gathering) -> bool:
    return gathering.status == GatheringStatus.PLANNED


@rules.predicate
def status_allows_cancel(_user, gathering) -> bool:
    return gathering.status in (GatheringStatus.PLANNED, GatheringStatus.ANNOUNCED)


@rules.predicate
def is_in_session(_user, gathering) -> bool:
    return lifecycle.in_session(
        gathering.status, gathering.held_on, timezone.localdate()
    )


@rules.predicate
def is_staff_of_object_unit(user, obj) -> bool:
    return is_unit_staff(user, obj.unit)


@rules.predicate
def is_akim_of_object_unit(user, obj) -> bool:
    return is_akim(user, obj.unit)


@rules.predicate
def member_in_office(_user, member) -> bool:
    return member.ended_on is None and timezone.localdate() <= member.term_ends


@rules.predicate
def sitting_is_called(_user, sitting) -> bool:
    return sitting.status == SittingStatus.CALLED


@rules.predicate
def sitting_in_session(_user, sitting) -> bool:
    return lifecycle.sitting_in_session(
        sitting.status, sitting.held_on, timezone.localdate()
    )


STAFF_REFUSAL = _(
    "Only the akimat staff of this unit prepare and record its gatherings."
)
AKIM_REFUSAL = _("Only the akim of this unit convenes and cancels its gatherings.")

add_rule("community.prepare_gathering", is_unit_staff, refusal=STAFF_REFUSAL)
add_rule(
    "community.view_planned_gathering",
    is_staff_of_gathering_unit,
    refusal=STAFF_REFUSAL,
)
add_rule(
    "community.change_gathering",
    is_staff_of_gathering_unit,
    when=status_is_planned,
    refusal=STAFF_REFUSAL,
)
add_rule(
    "community.announce_gathering",
    is_akim_of_gathering_unit,
    when=status_is_planned,
    refusal=AKIM_REFUSAL,
)
add_rule(
    "community.cancel_gathering",
    is_akim_of_gathering_unit,
    when=status_allows_cancel,
    refusal=AKIM_REFUSAL,
)
add_rule(
    "community.record_attendance",
    is_staff_of_gathering_unit,
    when=is_in_session,
    refusal=STAFF_REFUSAL,
)
add_rule(
    "community.close_gathering",
    is_staff_of_gathering_unit,
    when=is_in_session,
    refusal=STAFF_REFUSAL,
)
add_rule(
    "community.set_rules",
    is_akim,
    refusal=_("Only the akim sets the rules of the unit's gatherings."),
)

MEETING_STAFF_REFUSAL = _(
    "Only the akimat staff of this unit record its community meeting's members and "
    "sittings."
)
add_rule("community.record_members", is_unit_staff, refusal=MEETING_STAFF_REFUSAL)
add_rule(
    "community.end_member",
    is_staff_of_object_unit,
    when=member_in_office,
    refusal=MEETING_STAFF_REFUSAL,
)
add_rule("community.call_sitting", is_unit_staff, refusal=MEETING_STAFF_REFUSAL)
add_rule(
    "community.cancel_sitting",
    is_akim_of_object_unit,
    when=sitting_is_called,
    refusal=_("Only the akim of this unit cancels a sitting of its meeting."),
)
add_rule(
    "community.close_sitting",
    is_staff_of_object_unit,
    when=sitting_in_session,
    refusal=MEETING_STAFF_REFUSAL,
)
