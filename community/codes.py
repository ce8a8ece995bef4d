"""The codes of the community app's refusals and the verbs of its audit events, declared
once (see portal.errors)."""

from enum import StrEnum

from community.models import GatheringStatus, SittingStatus
from portal.errors import transition_codes


class ErrorCode(StrEnum):
    AGENDA_EMPTY = "agenda_empty"
    APPOINTMENT_NOT_ALLOWED = "appointment_not_allowed"
    APPOINTMENT_BASIS_REQUIRED = "appointment_basis_required"
    ELECTING_GATHERING_INVALID = "electing_gathering_invalid"
    END_REASON_REQUIRED = "end_reason_required"
    MEMBER_ALREADY_IN_OFFICE = "member_already_in_office"
    MEMBER_END_OUTSIDE_TERM = "member_end_outside_term"
    MEMBER_NOT_IN_REGISTER = "member_not_in_register"
    MEMBER_TOO_YOUNG = "member_too_young"
    MEMBERS_FULL = "members_full"
    MEMBERS_OUT_OF_RANGE = "members_out_of_range"
    PRESENT_NOT_IN_OFFICE = "present_not_in_office"
    SITTING_NOT_OPEN = "sitting_not_open"
    SITTING_NOT_YET = "sitting_not_yet"
    TERM_INVALID = "term_invalid"
    ATTENDANCE_NOT_OPEN = "attendance_not_open"
    ATTENDANCE_TOO_MANY = "attendance_too_many"
    CANCEL_REASON_REQUIRED = "cancel_reason_required"
    GATHERING_NOT_PLANNED = "gathering_not_planned"
    GATHERING_NOT_YET = "gathering_not_yet"
    NOTICE_TOO_SHORT = "notice_too_short"
    PLACE_NOT_IN_UNIT = "place_not_in_unit"
    SIGNATURES_TOO_FEW = "signatures_too_few"
    STREET_WITHOUT_PLACE = "street_without_place"
    VOTES_ABOVE_PRESENT = "votes_above_present"
    VOTES_MISSING = "votes_missing"


GatheringTransition = transition_codes(
    "GatheringTransition", "gathering", GatheringStatus
)


SittingTransition = transition_codes("SittingTransition", "sitting", SittingStatus)


class AuditVerb(StrEnum):
    ATTENDANCE_RECORDED = "gathering.attendance_recorded"
    ATTENDANCE_REMOVED = "gathering.attendance_removed"
    GATHERING_ANNOUNCED = "gathering.announced"
    GATHERING_CANCELLED = "gathering.cancelled"
    GATHERING_CHANGED = "gathering.changed"
    GATHERING_CLOSED = "gathering.closed"
    GATHERING_PREPARED = "gathering.prepared"
    RULES_CHANGED = "gathering.rules_changed"
    MEMBER_ADDED = "meeting.member_added"
    MEMBER_ENDED = "meeting.member_ended"
    SITTING_CALLED = "meeting.sitting_called"
    SITTING_CANCELLED = "meeting.sitting_cancelled"
    SITTING_CLOSED = "meeting.sitting_closed"
