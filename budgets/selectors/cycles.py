"""Reads of budget cycles: a cycle's state derived from its phases and drafts (the one
way to ask it, `cycle_state`), the cycles of a unit, a cycle's page and its public
history, who follows it, and the budget classification its drafts are written in."""

from __future__ import annotations

import datetime
from functools import cache as once

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from budgets import lifecycle
from budgets.codes import AuditVerb
from budgets.lifecycle import CycleState
from budgets.models import (
    BudgetClassification,
    BudgetCycle,
    CommunityMeeting,
    DraftBudget,
    DraftStatus,
    Phase,
)
from portal.models import AuditEvent
from portal.selectors import is_kato_code


def with_state_days(cycles: QuerySet[BudgetCycle]) -> QuerySet[BudgetCycle]:
    """The cycles with what their state is derived from, in the same query: the phase
    dates the rules of budgets.lifecycle read (by `Day.alias`) and `decisive_status`, the
    status of the latest version that is not being prepared. `cycle_state` reads them."""
    return cycles.annotate(**_state_days_expressions("pk"))


def with_cycle_state_days(rows: QuerySet) -> QuerySet:
    """Rows of a model with a `cycle`, each with what its cycle's state is derived from,
    in the same query as the row: `cycle_given_state_days` gives it to the cycle
    (select_related), whose `cycle_state` then costs no query."""
    return rows.annotate(**_state_days_expressions("cycle_id"))


def cycle_given_state_days(row) -> BudgetCycle:
    """The cycle of a row read with `with_cycle_state_days`, given its state's days."""
    return _given_state_days(
        row.cycle,
        {
            "days": {
                day.alias: getattr(row, day.alias) for day in lifecycle.STATE_DAYS
            },
            "decisive_status": row.decisive_status,
        },
    )


@once
def _state_days_expressions(cycle: str) -> dict[str, Subquery]:
    """Built once for each way to the cycle: building these seven subqueries takes a
    millisecond, which every page and act that asks a cycle's state would spend again
    (annotate resolves a copy of them)."""
    return {
        # One phase of a kind per cycle (its unique constraint): no ordering, whose
        # default would join the cycle and its unit in every subquery.
        day.alias: Subquery(
            Phase.objects.filter(cycle=OuterRef(cycle), kind=day.kind)
            .order_by()
            .values(day.field)[:1]
        )
        for day in lifecycle.STATE_DAYS
    } | {
        "decisive_status": Subquery(
            DraftBudget.objects.filter(cycle=OuterRef(cycle))
            .exclude(status=DraftStatus.PREPARING)
            .order_by("-version")
            .values("status")[:1]
        )
    }


def cycle_state(
    cycle: BudgetCycle, *, on: datetime.date | None = None, fresh: bool = False
) -> CycleState:
    """The one way to ask a cycle's state (today, unless `on`). A cycle fetched with
    `with_state_days` (`cycle_get`, the API's cycles) costs no query; any other, or with
    `fresh` (the services, after taking their lock), one."""
    if fresh or not hasattr(cycle, "decisive_status"):
        cycle = with_state_days(BudgetCycle.objects.filter(pk=cycle.pk)).get()
    return lifecycle.state_from_days(
        days={day.alias: getattr(cycle, day.alias) for day in lifecycle.STATE_DAYS},
        decisive_status=cycle.decisive_status,
        on=on or timezone.localdate(),
    )


def state_days(cycle: BudgetCycle) -> dict:
    """What the state of a cycle read with `with_state_days` is derived from, to be kept
    with what was drawn from it (portal.fragments) and given back by
    `cycle_from_state_days`."""
    return {
        "pk": cycle.pk,
        "unit_id": cycle.unit_id,
        "fiscal_year": cycle.fiscal_year,
        "days": {day.alias: getattr(cycle, day.alias) for day in lifecycle.STATE_DAYS},
        "decisive_status": cycle.decisive_status,
    }


def phase_ends_on(cycle: BudgetCycle, kind: str) -> datetime.date | None:
    """The last day of the cycle's phase of this kind; None when it holds none. From
    the phases `cycle_get` prefetched: no query."""
    return next(
        (phase.ends_on for phase in cycle.phases.all() if phase.kind == kind), None
    )


def cycle_from_state_days(kept: dict) -> BudgetCycle:
    """The cycle `state_days` was taken from, whose state costs no query while what was
    kept is current (a kept fragment's key names the day and its unit's version, which
    every act renews); its unit is read when asked for."""
    cycle = BudgetCycle(
        pk=kept["pk"], unit_id=kept["unit_id"], fiscal_year=kept["fiscal_year"]
    )
    return _given_state_days(cycle, kept)


def _given_state_days(cycle: BudgetCycle, kept: dict) -> BudgetCycle:
    for alias, value in kept["days"].items():
        setattr(cycle, alias, value)
    cycle.decisive_status = kept["decisive_status"]
    return cycle


def cycles_with_state(
    cycles: QuerySet[BudgetCycle], *, on
) -> list[tuple[BudgetCycle, CycleState]]:
    """Each cycle with its state on a day, in two queries whatever their number: the
    cycles (locked, when the caller locks them), then their states. Read after the lock,
    never in the locking query, whose subqueries would see the data as it was before a
    lock it waited for."""
    cycles = list(cycles)
    states = {
        row.pk: cycle_state(row, on=on)
        for row in with_state_days(
            BudgetCycle.objects.filter(pk__in=[cycle.pk for cycle in cycles])
        ).only("pk")
    }
    return [(cycle, states[cycle.pk]) for cycle in cycles]


def cycles_with_derived_phase(
    cycles: QuerySet[BudgetCycle], *, on
) -> QuerySet[BudgetCycle]:
    """The cycles with `derived_phase`, their phase on a day decided in SQL by the same
    rules as `cycle_state` (budgets.lifecycle.phase_case); tests/api/test_cycles.py
    checks that the two agree in every phase."""
    return with_state_days(cycles).annotate(derived_phase=lifecycle.phase_case(on))


def cycles_in_phase(
    cycles: QuerySet[BudgetCycle], *, phase: str, on
) -> QuerySet[BudgetCycle]:
    """The cycles whose phase on a day is `phase`, so that a list is filtered before it
    is paginated."""
    return cycles_with_derived_phase(cycles, on=on).filter(derived_phase=phase)


def cycle_get(*, kato_code: str, fiscal_year: int) -> BudgetCycle:
    """A cycle with its unit's ancestors and akimat, its phases and drafts, and what its
    state is derived from; 404 when there is none."""
    return get_object_or_404(
        with_state_days(BudgetCycle.objects.all())
        .select_related("unit__parent__parent__parent__parent", "unit__akimat")
        .prefetch_related(
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            Prefetch(
                "drafts",
                queryset=DraftBudget.objects.select_related("meeting").order_by(
                    "-version"
                ),
            ),
        ),
        unit__kato_code=kato_code,
        fiscal_year=fiscal_year,
    )


def cycle_keys(*, kato_code: str, fiscal_year: int) -> tuple[int, int]:
    """The primary keys of a cycle and of its unit, for the pages that read a kept
    fragment first (portal.fragments): kept in the cache, since a cycle never moves to
    another unit; 404 when there is none."""
    if not is_kato_code(kato_code):
        raise Http404
    key = f"cycle-keys:{kato_code}:{fiscal_year}"
    found = cache.get(key)
    if found is None:
        found = (
            BudgetCycle.objects.filter(
                unit__kato_code=kato_code, fiscal_year=fiscal_year
            )
            .values_list("pk", "unit_id")
            .first()
        )
        if found is None:
            raise Http404
        cache.set(key, found, CYCLE_KEYS_KEPT_SECONDS)
    return tuple(found)


CYCLE_KEYS_KEPT_SECONDS = 24 * 60 * 60


def unit_cycles(*, unit) -> QuerySet[BudgetCycle]:
    return BudgetCycle.objects.filter(unit=unit).order_by("-fiscal_year")


def cycle_years(*, unit) -> set[int]:
    """The fiscal years for which the unit has a cycle."""
    return set(
        BudgetCycle.objects.filter(unit=unit).values_list("fiscal_year", flat=True)
    )


def is_following(*, cycle: BudgetCycle, user) -> bool:
    """Whether the user follows the cycle (never an anonymous visitor): one query."""
    return user.is_authenticated and cycle.followers.filter(user=user).exists()


PUBLIC_DRAFT_VERBS = (
    AuditVerb.DRAFT_PUBLISHED,
    AuditVerb.DRAFT_SUBMITTED,
    AuditVerb.DRAFT_APPROVED,
    AuditVerb.DRAFT_RETURNED,
)


def cycle_history(cycle: BudgetCycle) -> QuerySet[AuditEvent]:
    """The cycle's public history: its phases, extensions, versions and the meeting."""
    drafts = [draft.pk for draft in cycle.drafts.all()]
    content_type = ContentType.objects.get_for_model
    return (
        AuditEvent.objects.filter(
            Q(target_type=content_type(BudgetCycle), target_id=str(cycle.pk))
            | Q(
                target_type=content_type(DraftBudget),
                target_id__in=[str(pk) for pk in drafts],
                verb__in=PUBLIC_DRAFT_VERBS,
            )
            | Q(
                target_type=content_type(CommunityMeeting),
                target_id__in=[
                    str(pk)
                    for pk in CommunityMeeting.objects.filter(
                        draft_id__in=drafts
                    ).values_list("pk", flat=True)
                ],
            )
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def classifications(kind: str | None = None) -> QuerySet[BudgetClassification]:
    entries = BudgetClassification.objects.filter(is_active=True)
    return entries.filter(kind=kind) if kind else entries


def classifications_by_pk(pks) -> dict[int, BudgetClassification]:
    """Entries of the classification by primary key, retired ones included (a form posted
    before an entry was retired still names it); no query for no key."""
    return BudgetClassification.objects.in_bulk(pks)
