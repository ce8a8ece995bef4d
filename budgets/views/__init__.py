"""Pages of budgets, one module per lifecycle: a unit's cycles and a cycle's page, its
phases and following (cycles), the draft and its versions (drafts), the public discussion
and the community meeting (discussion), the citizen's budget (citizen), the execution of the adopted budget (execution)
and the open data (opendata). Thin: parse, check the rule, call a service or a selector,
render. budgets/urls.py names each page."""
