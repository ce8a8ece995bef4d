"""The codes of the maslikhat's refusals (opening a session, ballots) and the verbs of
its audit events, declared once: services raise and record only these
(portal.errors.DomainError and portal.services refuse anything else), and views match on
the members."""

from enum import StrEnum


class ErrorCode(StrEnum):
    ABSENCE_REASON_REQUIRED = "absence_reason_required"
    ABSENCE_REASON_TOO_LONG = "absence_reason_too_long"
    ABSENT_NOT_A_DEPUTY = "absent_not_a_deputy"
    BALLOT_ALREADY_CAST = "ballot_already_cast"
    BALLOT_CHOICE_INVALID = "ballot_choice_invalid"
    DEPUTY_ABSENT = "deputy_absent"
    DRAFT_NOT_SUBMITTED = "draft_not_submitted"
    NO_DEPUTIES = "no_deputies"
    NOT_A_MEMBER = "not_a_member"
    SESSION_ALREADY_OPEN = "session_already_open"
    SESSION_CLOSED = "session_closed"
    SESSION_NOT_OPEN = "session_not_open"
    SESSION_TIMES_INVALID = "session_times_invalid"


class AuditVerb(StrEnum):
    BALLOT_CAST = "ballot.cast"
    SESSION_CLOSED = "session.closed"
    SESSION_OPENED = "session.opened"
