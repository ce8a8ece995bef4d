"""Every read of budgets, one module per lifecycle: the cycle and its state (cycles), the
draft and its versions (drafts), the citizen's budget (citizen), the public discussion (discussion), the execution of the
adopted budget (execution), the open data (exports) and the public API (api). The public
reads are named here, so that callers write `selectors.cycle_state(...)` or
`from budgets.selectors import cycle_state`; the modules import one another only from
cycles towards api, never back.

Not found: a `*_get` read, for the pages, raises Http404 when nothing matches
(`get_object_or_404`, or `Http404` itself when it reads what `cycle_get` prefetched), so
that a page never catches a `DoesNotExist`; an `*_api_get` read answers None, which the
API turns into its own NotFound."""

from budgets.selectors.api import (
    classification_api_list,
    cycle_api_get,
    cycle_api_list,
    draft_api_get,
    draft_api_list,
    totals_annotated,
)
from budgets.selectors.citizen import (
    CitizenBudget,
    SpendingGroup,
    citizen_budget,
    citizen_draft,
    per_resident,
)
from budgets.selectors.cycles import (
    PUBLIC_DRAFT_VERBS,
    classifications,
    classifications_by_pk,
    cycle_from_state_days,
    cycle_get,
    cycle_given_state_days,
    cycle_history,
    cycle_keys,
    cycle_state,
    cycle_years,
    cycles_in_phase,
    cycles_with_derived_phase,
    cycles_with_state,
    is_following,
    state_days,
    unit_cycles,
    with_cycle_state_days,
    with_state_days,
)
from budgets.selectors.discussion import comment_get, comments, draft_general_comments
from budgets.selectors.drafts import (
    DraftDiff,
    DraftView,
    LineChange,
    Totals,
    cycle_drafts,
    draft_diff,
    draft_get,
    draft_in_preparation,
    draft_lines_by_classification,
    draft_totals,
    draft_view,
    last_adopted_spending,
    mark_superseded,
    public_drafts,
    totals_of,
)
from budgets.selectors.execution import (
    ExecutionView,
    FunctionExecution,
    LineExecution,
    PlanActual,
    QuarterExecution,
    adopted_draft,
    execution_view,
    percentage,
)
from budgets.selectors.exports import (
    export_draft_lines,
    export_execution_entries,
    export_fiscal_lines,
    has_execution_entries,
)

__all__ = [
    "PUBLIC_DRAFT_VERBS",
    "CitizenBudget",
    "DraftDiff",
    "DraftView",
    "ExecutionView",
    "FunctionExecution",
    "LineChange",
    "LineExecution",
    "PlanActual",
    "QuarterExecution",
    "SpendingGroup",
    "Totals",
    "adopted_draft",
    "citizen_budget",
    "citizen_draft",
    "classification_api_list",
    "classifications",
    "classifications_by_pk",
    "comment_get",
    "comments",
    "cycle_api_get",
    "cycle_api_list",
    "cycle_drafts",
    "cycle_from_state_days",
    "cycle_get",
    "cycle_given_state_days",
    "cycle_history",
    "cycle_keys",
    "cycle_state",
    "cycle_years",
    "cycles_in_phase",
    "cycles_with_derived_phase",
    "cycles_with_state",
    "draft_api_get",
    "draft_api_list",
    "draft_diff",
    "draft_general_comments",
    "draft_get",
    "draft_in_preparation",
    "draft_lines_by_classification",
    "draft_totals",
    "draft_view",
    "execution_view",
    "export_draft_lines",
    "export_execution_entries",
    "export_fiscal_lines",
    "has_execution_entries",
    "is_following",
    "last_adopted_spending",
    "mark_superseded",
    "per_resident",
    "percentage",
    "public_drafts",
    "state_days",
    "totals_annotated",
    "totals_of",
    "unit_cycles",
    "with_cycle_state_days",
    "with_state_days",
]
