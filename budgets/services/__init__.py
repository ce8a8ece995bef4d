"""Every change of state of budgets, one module per lifecycle: the cycle and its phases
(cycles), the draft and its versions (drafts), the public discussion and the community
meeting (discussion). The execution of the adopted budget is budgets/execution.py.

Each service checks the domain's rules (the phase, the draft's status, the balance), locks
what it changes (budgets/locks.py), writes, records the audit event and announces the
cycle's new phase when an act moved it. Who may call it is checked by the views with
budgets/permissions.py. The public services are named here, so that callers write
`services.draft_publish(...)`."""

from budgets.services.cycles import (
    calendar_for,
    cycle_announce,
    cycle_follow,
    cycle_open,
    cycle_unfollow,
    cycles_announce,
    phase_extend,
    vote_phase_remove,
    vote_phase_set,
)
from budgets.services.discussion import (
    MINUTES_MAX_BYTES,
    comment_post,
    comment_reply,
    meeting_record,
    meeting_record_from_sitting,
)
from budgets.services.drafts import (
    LineInput,
    draft_approve,
    draft_create,
    draft_publish,
    draft_return,
    draft_submit,
    draft_update,
)

__all__ = [
    "MINUTES_MAX_BYTES",
    "LineInput",
    "calendar_for",
    "comment_post",
    "comment_reply",
    "cycle_announce",
    "cycle_follow",
    "cycle_open",
    "cycle_unfollow",
    "cycles_announce",
    "draft_approve",
    "draft_create",
    "draft_publish",
    "draft_return",
    "draft_submit",
    "draft_update",
    "meeting_record",
    "meeting_record_from_sitting",
    "phase_extend",
    "vote_phase_remove",
    "vote_phase_set",
]
