"""The codes of the community app's refusals and the verbs of its audit events, declared
once (see portal.errors)."""

from enum import StrEnum

from community.models import GatheringStatus
from portal.errors import transition_codes


class ErrorCode(StrEnum):
    AGENDA_EMPTY = "agenda_empty"
    ATTENDANCE_NOT_OPEN = "attendance_not_open"
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


class AuditVerb(StrEnum):
    ATTENDANCE_RECORDED = "gathering.attendance_recorded"
    ATTENDANCE_REMOVED = "gathering.attendance_removed"
    GATHERING_ANNOUNCED = "gathering.announced"
    GATHERING_CANCELLED = "gathering.cancelled"
    GATHERING_CHANGED = "gathering.changed"
    GATHERING_CLOSED = "gathering.closed"
    GATHERING_PREPARED = "gathering.prepared"
    RULES_CHANGED = "gathering.rules_changed"
