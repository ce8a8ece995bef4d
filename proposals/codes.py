"""The codes of proposals' refusals and the verbs of their audit events, declared once:
services raise and record only these (portal.errors.DomainError and portal.services
refuse anything else), and views match on the members."""

from enum import StrEnum

from portal.errors import transition_codes
from proposals.models import ProposalStatus


class ErrorCode(StrEnum):
    ALREADY_HIDDEN = "already_hidden"
    ALREADY_REPORTED = "already_reported"
    AMOUNT_INVALID = "amount_invalid"
    ASSESSMENT_INVALID = "assessment_invalid"
    AUTHOR_NAME_EMPTY = "author_name_empty"
    AUTHOR_NAME_TOO_LONG = "author_name_too_long"
    COMMENT_EDIT_EXPIRED = "comment_edit_expired"
    COMMENT_EMPTY = "comment_empty"
    COMMENT_HIDDEN = "comment_hidden"
    COMMENT_OF_OTHER_PROPOSAL = "comment_of_other_proposal"
    COMMENT_TOO_LONG = "comment_too_long"
    COST_INVALID = "cost_invalid"
    DECISION_INVALID = "decision_invalid"
    DESCRIPTION_EMPTY = "description_empty"
    DESCRIPTION_TOO_LONG = "description_too_long"
    DRAFT_NOT_OPEN = "draft_not_open"
    FUNCTION_NOT_EXPENDITURE = "function_not_expenditure"
    LINE_NOT_EXPENDITURE = "line_not_expenditure"
    LINE_OF_OTHER_CYCLE = "line_of_other_cycle"
    MODERATION_REASON_EMPTY = "moderation_reason_empty"
    MODERATION_REASON_TOO_LONG = "moderation_reason_too_long"
    NOT_A_RESIDENT = "not_a_resident"
    NOT_THE_AUTHOR = "not_the_author"
    NOT_UNDER_REVIEW = "not_under_review"
    PHOTO_NOT_AN_IMAGE = "photo_not_an_image"
    PHOTO_TOO_LARGE = "photo_too_large"
    PLACE_OUTSIDE_UNIT = "place_outside_unit"
    PROPOSAL_LIMIT_REACHED = "proposal_limit_reached"
    PROPOSAL_NOT_COMMENTABLE = "proposal_not_commentable"
    PROPOSAL_NOT_EDITABLE = "proposal_not_editable"
    PROPOSAL_NOT_PUBLIC = "proposal_not_public"
    PROPOSAL_NOT_SUPPORTABLE = "proposal_not_supportable"
    PROPOSALS_CLOSED = "proposals_closed"
    REASON_EMPTY = "reason_empty"
    REASON_TOO_LONG = "reason_too_long"
    REASONS_EMPTY = "reasons_empty"
    REASONS_TOO_LONG = "reasons_too_long"
    RECOMMENDED_OUTSIDE_COMPETENCE = "recommended_outside_competence"
    REPLY_TO_OTHER_PROPOSAL = "reply_to_other_proposal"
    REPLY_TO_REPLY = "reply_to_reply"
    REPORT_EMPTY = "report_empty"
    REPORT_HANDLED = "report_handled"
    REPORT_REASON_EMPTY = "report_reason_empty"
    REPORT_REASON_TOO_LONG = "report_reason_too_long"
    REPORT_TOO_LONG = "report_too_long"
    RESIDENT_OF_OTHER_UNIT = "resident_of_other_unit"
    REVIEW_STARTED = "review_started"
    REVIEWER_NOT_STAFF = "reviewer_not_staff"
    SUPPORT_ALREADY_GIVEN = "support_already_given"
    SUPPORT_CLOSED = "support_closed"
    SUPPORT_NOT_GIVEN = "support_not_given"
    TITLE_EMPTY = "title_empty"
    TITLE_TOO_LONG = "title_too_long"
    TOO_MANY_PHOTOS = "too_many_photos"


class AuditVerb(StrEnum):
    COMMENT_HIDDEN = "comment.hidden"
    COMMENT_RESTORED = "comment.restored"
    CONTENT_REPORT_DISMISSED = "content.report_dismissed"
    CONTENT_REPORTED = "content.reported"
    PROPOSAL_APPROVED = "proposal.approved"
    PROPOSAL_COMMENTED = "proposal.commented"
    PROPOSAL_CREATED = "proposal.created"
    PROPOSAL_EDITED = "proposal.edited"
    PROPOSAL_FUNDED = "proposal.funded"
    PROPOSAL_HIDDEN = "proposal.hidden"
    PROPOSAL_IMPLEMENTED = "proposal.implemented"
    PROPOSAL_IN_PROGRESS = "proposal.in_progress"
    PROPOSAL_INCLUDED = "proposal.included"
    PROPOSAL_NOT_RECOMMENDED = "proposal.not_recommended"
    PROPOSAL_RECOMMENDED = "proposal.recommended"
    PROPOSAL_REGISTERED = "proposal.registered"
    PROPOSAL_REJECTED = "proposal.rejected"
    PROPOSAL_RESTORED = "proposal.restored"
    PROPOSAL_SUBMITTED = "proposal.submitted"
    PROPOSAL_SUPPORT_WITHDRAWN = "proposal.support_withdrawn"
    PROPOSAL_SUPPORTED = "proposal.supported"
    PROPOSAL_UNDER_REVIEW = "proposal.under_review"
    PROPOSAL_WITHDRAWN = "proposal.withdrawn"
    REVIEW_ASSIGNED = "review.assigned"
    REVIEW_OVERDUE = "review.overdue"


# A move the lifecycle refuses: "proposal_<from>_to_<to>", for every pair of statuses.
ProposalTransition = transition_codes(
    "ProposalTransition", "proposal", ProposalStatus.values
)
