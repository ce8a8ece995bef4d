"""Every change of state of proposals, one service per act, one module per lifecycle.

Each service checks the domain's rules (the cycle's phase, the proposal's status, the
deadline, who the person is to the unit), locks what it changes (proposals.locks), writes,
records the audit event and tells the author and the followers once the transaction
commits. Who may call it is checked by the views with proposals/permissions.py; the
invariants that no interface may skip (a resident of the unit, once, in the phase) are
checked here as well.

    authoring    writing, changing, submitting, withdrawing; staff registering one
    review       the akimat's review, and the clock's reminders and escalation
    decision     the akim's decision
    funding      the residents' vote's outcome, inclusion in the draft, funding on adoption, the work and its report
    engagement   supports, comments, following
    moderation   reports of abuse, hiding and restoring, dismissing a report

Callers use the package: `from proposals import services; services.proposal_submit(...)`.
"""

from proposals.lifecycle import INCLUDABLE_DRAFT_STATUSES
from proposals.services._input import IMAGE_FORMATS, prepared_photo
from proposals.services.authoring import (
    ProposalInput,
    proposal_create,
    proposal_register,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    proposals_per_person,
)
from proposals.services.decision import proposal_decide
from proposals.services.engagement import (
    comment_edit,
    comment_editable_until,
    comment_post,
    proposal_follow,
    proposal_unfollow,
    support_add,
    support_counts_repair,
    support_withdraw,
)
from proposals.services.funding import (
    funding_catch_up,
    proposal_implement,
    proposal_include,
    proposal_start,
    proposals_fund,
    proposals_put_to_vote,
    proposals_voted,
)
from proposals.services.moderation import (
    comment_hide,
    comment_restore,
    content_report,
    proposal_hide,
    proposal_restore,
    report_dismiss,
)
from proposals.services.review import (
    REMIND_WORKING_DAYS_BEFORE,
    AssessmentInput,
    review_assign,
    review_complete,
    review_deadline,
    review_working_days,
    reviews_escalate_due,
    reviews_remind_due,
    reviews_start,
)

__all__ = [
    "IMAGE_FORMATS",
    "INCLUDABLE_DRAFT_STATUSES",
    "REMIND_WORKING_DAYS_BEFORE",
    "AssessmentInput",
    "ProposalInput",
    "comment_edit",
    "comment_editable_until",
    "comment_hide",
    "comment_post",
    "comment_restore",
    "content_report",
    "funding_catch_up",
    "prepared_photo",
    "proposal_create",
    "proposal_decide",
    "proposal_follow",
    "proposal_hide",
    "proposal_implement",
    "proposal_include",
    "proposal_register",
    "proposal_restore",
    "proposal_start",
    "proposal_submit",
    "proposal_unfollow",
    "proposal_update",
    "proposal_withdraw",
    "proposals_fund",
    "proposals_per_person",
    "proposals_put_to_vote",
    "proposals_voted",
    "report_dismiss",
    "review_assign",
    "review_complete",
    "review_deadline",
    "review_working_days",
    "reviews_escalate_due",
    "reviews_remind_due",
    "reviews_start",
    "support_add",
    "support_counts_repair",
    "support_withdraw",
]
