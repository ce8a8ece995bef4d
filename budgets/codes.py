"""The codes of budgets' refusals (cycles and phases, drafts, the discussion and the
meeting, the execution) and the verbs of its audit events, declared once: services raise
and record only these (portal.errors.DomainError and portal.services refuse anything
else), and views match on the members."""

from enum import StrEnum

from budgets.models import DraftStatus
from portal.errors import transition_codes


class ErrorCode(StrEnum):
    AMOUNT_INVALID = "amount_invalid"
    BUDGET_NOT_ADOPTED = "budget_not_adopted"
    BUDGET_UNBALANCED = "budget_unbalanced"
    CITIZEN_PHASE_SHORTENED = "citizen_phase_shortened"
    COMMENT_EMPTY = "comment_empty"
    COMMENT_TOO_LONG = "comment_too_long"
    CYCLE_EXISTS = "cycle_exists"
    DISCUSSION_CLOSED = "discussion_closed"
    DISCUSSION_WOULD_BE_SKIPPED = "discussion_would_be_skipped"
    DRAFT_ALREADY_PREPARING = "draft_already_preparing"
    DRAFT_COORDINATED = "draft_coordinated"
    DRAFT_EMPTY = "draft_empty"
    DRAFT_NOT_EDITABLE = "draft_not_editable"
    DRAFT_NOT_UNDER_DISCUSSION = "draft_not_under_discussion"
    EXECUTION_ALREADY_REPORTED = "execution_already_reported"
    EXECUTION_AMOUNT_NEGATIVE = "execution_amount_negative"
    EXECUTION_CLOSED = "execution_closed"
    EXECUTION_CORRECTION_UNCHANGED = "execution_correction_unchanged"
    EXECUTION_NOT_STARTED = "execution_not_started"
    EXECUTION_NOTE_TOO_LONG = "execution_note_too_long"
    EXECUTION_NOTHING_REPORTED = "execution_nothing_reported"
    EXECUTION_QUARTER_INVALID = "execution_quarter_invalid"
    EXECUTION_QUARTER_NOT_BEGUN = "execution_quarter_not_begun"
    EXECUTION_REASON_REQUIRED = "execution_reason_required"
    EXECUTION_TOTAL_NEGATIVE = "execution_total_negative"
    EXTENSION_PAST_FISCAL_YEAR = "extension_past_fiscal_year"
    EXTENSION_REASON_REQUIRED = "extension_reason_required"
    FISCAL_YEAR_PAST = "fiscal_year_past"
    LINE_NOT_ADOPTED = "line_not_adopted"
    LINE_NOT_IN_DRAFT = "line_not_in_draft"
    MEETING_BEFORE_DISCUSSION_ENDED = "meeting_before_discussion_ended"
    MEETING_IN_FUTURE = "meeting_in_future"
    MEETING_ITEM_INVALID = "meeting_item_invalid"
    MEETING_MEMBERS_OUT_OF_RANGE = "meeting_members_out_of_range"
    MEETING_NO_QUORUM = "meeting_no_quorum"
    MEETING_PRESENT_OUT_OF_RANGE = "meeting_present_out_of_range"
    MEETING_REMARKS_REQUIRED = "meeting_remarks_required"
    MINUTES_NOT_PDF = "minutes_not_pdf"
    MINUTES_REQUIRED = "minutes_required"
    MINUTES_TOO_LARGE = "minutes_too_large"
    PHASE_ALREADY_OVER = "phase_already_over"
    PHASE_DATES_INVALID = "phase_dates_invalid"
    PHASE_DATES_NOT_IN_YEAR = "phase_dates_not_in_year"
    PHASE_END_IN_PAST = "phase_end_in_past"
    PHASE_NOT_COORDINATION = "phase_not_coordination"
    PHASE_NOT_DRAFTING = "phase_not_drafting"
    PHASE_NOT_EXTENDED = "phase_not_extended"
    PHASE_NOT_HELD = "phase_not_held"
    PROPOSALS_PHASE_PAST = "proposals_phase_past"
    REPLY_TO_REPLY = "reply_to_reply"
    UNIT_WITHOUT_BUDGET = "unit_without_budget"
    VOTE_PHASE_BEFORE_REVIEW_END = "vote_phase_before_review_end"
    VOTE_PHASE_BEGUN = "vote_phase_begun"
    VOTE_PHASE_LEAVES_NO_DRAFTING = "vote_phase_leaves_no_drafting"
    VOTE_PHASE_START_NOT_AHEAD = "vote_phase_start_not_ahead"
    VOTE_PHASE_TOO_LATE = "vote_phase_too_late"


class AuditVerb(StrEnum):
    CYCLE_OPENED = "cycle.opened"
    CYCLE_OVERDUE = "cycle.overdue"
    CYCLE_PHASE_CHANGED = "cycle.phase_changed"
    DRAFT_APPROVED = "draft.approved"
    DRAFT_COMMENTED = "draft.commented"
    DRAFT_CREATED = "draft.created"
    DRAFT_EDITED = "draft.edited"
    DRAFT_PUBLISHED = "draft.published"
    DRAFT_REPLIED = "draft.replied"
    DRAFT_RETURNED = "draft.returned"
    DRAFT_SUBMITTED = "draft.submitted"
    EXECUTION_CORRECTED = "execution.corrected"
    EXECUTION_RECORDED = "execution.recorded"
    MEETING_RECORDED = "meeting.recorded"
    PHASE_EXTENDED = "phase.extended"
    PHASE_REMOVED = "phase.removed"
    PHASE_SET = "phase.set"


# A move the lifecycle refuses: "draft_<from>_to_<to>", for every pair of statuses.
DraftTransition = transition_codes("DraftTransition", "draft", DraftStatus.values)
