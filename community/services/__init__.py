"""The community app's services, one module per lifecycle: the gatherings (and the
unit's rules) and the community meeting. Every public service is named here, so that
`services.gathering_announce(...)` and `services.sitting_close(...)` are called alike."""

from community.services.gatherings import (
    AGENDA_MAX_ITEMS,
    ATTENDANCE_BATCH_MAX,
    AttendanceReport,
    GatheringData,
    ItemVotes,
    attendance_record,
    attendance_remove,
    gathering_announce,
    gathering_cancel,
    gathering_change,
    gathering_close,
    gathering_prepare,
    gathering_rules_set,
)
from community.services.meeting import (
    TERM_EARLIEST,
    TERM_LATEST,
    MemberData,
    SittingData,
    member_add,
    member_end,
    sitting_call,
    sitting_cancel,
    sitting_close,
    term_end,
)

__all__ = [
    "AGENDA_MAX_ITEMS",
    "ATTENDANCE_BATCH_MAX",
    "TERM_EARLIEST",
    "TERM_LATEST",
    "AttendanceReport",
    "GatheringData",
    "ItemVotes",
    "MemberData",
    "SittingData",
    "attendance_record",
    "attendance_remove",
    "gathering_announce",
    "gathering_cancel",
    "gathering_change",
    "gathering_close",
    "gathering_prepare",
    "gathering_rules_set",
    "member_add",
    "member_end",
    "sitting_call",
    "sitting_cancel",
    "sitting_close",
    "term_end",
]
