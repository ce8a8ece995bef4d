"""The dashboards' figures computed once and kept: every later reader gets them with the
time they were computed; an act in the unit (or below an area) has them computed again by
the clock's refresh within its interval; a snapshot not signed by the site, or of another
layout, is never read back."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import translation

from portal import dashboard, snapshots, tasks
from portal.models import AuditEvent, DashboardSnapshot
from proposals.codes import AuditVerb
from proposals.models import Proposal, ProposalStatus
from tests.accounts.factories import UserFactory
from tests.budgets import conftest as budgets_fixtures
from tests.budgets.test_execution import execute_known
from tests.portal.test_dashboard import (
    READ_ON,
    _rows,
    on,
    proposals_written,
    url,
)

akim = budgets_fixtures.akim
cycle = budgets_fixtures.cycle
adopted = budgets_fixtures.adopted

LATER = datetime.timedelta(minutes=3)


@pytest.fixture
def executed(adopted, staff):
    execute_known(adopted, staff)
    proposals_written(adopted.cycle, count=5, supporters=[UserFactory()])
    return adopted


def more_submitted(cycle, count: int) -> None:
    Proposal.objects.bulk_create(
        Proposal(
            cycle=cycle,
            unit=cycle.unit,
            place=cycle.unit,
            function=Proposal.objects.filter(cycle=cycle).first().function,
            title=f"Later proposal {index}",
            description="Benches",
            status=ProposalStatus.SUBMITTED,
            author_iin_digest="digest",
            author_name="Resident",
            submitted_at=READ_ON,
        )
        for index in range(count)
    )


def submitted_count(html: str) -> str:
    return _rows(html, "dashboard-funnel")[0][1]


def act_in(unit, moment) -> None:
    """What every service does with its change: an audit event in the unit."""
    AuditEvent.objects.create(
        verb=AuditVerb.PROPOSAL_SUBMITTED, unit=unit, created_at=moment
    )


def test_the_page_says_when_its_figures_were_computed_and_how_often(
    client, territory, executed
):
    with on():
        html = client.get(url(territory["rural_district"])).content.decode()
    snapshot = DashboardSnapshot.objects.get(unit=territory["rural_district"])
    assert snapshot.computed_at == READ_ON
    assert 'data-testid="computed-at"' in html
    assert "Figures as of" in html
    assert "computed again within 5 minutes of any change" in html
    assert f'datetime="{READ_ON.isoformat()}"' in html


def test_an_act_is_shown_after_the_refresh_and_not_before(
    client, territory, executed, staff
):
    unit, district, region = (
        territory["rural_district"],
        territory["district"],
        territory["region"],
    )
    other = territory["other_rural_district"]
    # Given the dashboards of the unit, its district and region, and another unit, read
    with on():
        first = client.get(url(unit)).content.decode()
        for area in (district, region, other):
            client.get(url(area))
        snapshots.dashboards_refresh()  # the clock's mark, set to now
    assert submitted_count(first) == "5"
    # When two more proposals are submitted (an act, audited) a minute later
    moment = READ_ON + datetime.timedelta(minutes=1)
    more_submitted(executed.cycle, 2)
    act_in(unit, moment)
    with on(moment + datetime.timedelta(seconds=30)):
        before = client.get(url(unit)).content.decode()
    # Then the page keeps its figures until the refresh, which takes again the unit's,
    # its district's and its region's, and not the other unit's
    assert submitted_count(before) == "5"
    with on(moment + LATER):
        assert tasks.dashboards_refresh.delay().get() == 3
        after = client.get(url(unit)).content.decode()
        # and a second run finds nothing more to do
        assert snapshots.dashboards_refresh() == 0
    assert submitted_count(after) == "7"
    times = dict(DashboardSnapshot.objects.values_list("unit_id", "computed_at"))
    assert times[unit.pk] == times[district.pk] == times[region.pk] == moment + LATER
    assert times[other.pk] == READ_ON


def test_an_act_that_committed_late_is_still_taken_up(client, territory, executed):
    unit = territory["rural_district"]
    with on():
        client.get(url(unit))
    # the refresh ran at 12:10 and read the trail up to then
    start = READ_ON
    with on(start + datetime.timedelta(minutes=10)):
        snapshots.dashboards_refresh()
    # an act that began at 12:09 and committed after the refresh
    act_in(unit, start + datetime.timedelta(minutes=9))
    with on(start + datetime.timedelta(minutes=15)):
        assert snapshots.dashboards_refresh() == 1


def test_a_snapshot_rendered_in_another_language_is_the_page_computed_in_it(
    client, territory, executed
):
    unit = territory["rural_district"]
    # computed by a Kazakh reader, read by a Russian one
    with on(), translation.override("kk"):
        client.get(url(unit))
    with on(), translation.override("ru"):
        kept = client.get(url(unit)).content.decode()
    DashboardSnapshot.objects.all().delete()
    with on(), translation.override("ru"):
        fresh = client.get(url(unit)).content.decode()
    for table in ("dashboard-funnel",):
        assert _rows(kept, table) == _rows(fresh, table)
    assert kept.split("<main")[1] == fresh.split("<main")[1]


@pytest.mark.parametrize("how", ["signature", "layout"])
def test_a_snapshot_not_signed_by_the_site_or_of_another_layout_is_computed_anew(
    client, territory, executed, how
):
    unit = territory["rural_district"]
    with on():
        client.get(url(unit))
    # given a snapshot whose figures were changed, or were written by another release
    if how == "signature":
        forged, _signature = dashboard.figures_pack({"anything": "else"})
        DashboardSnapshot.objects.update(figures=forged)
        # (and the page drawn from it no longer kept: the cache emptied)
        cache.clear()
    else:
        DashboardSnapshot.objects.update(layout="0:budgets")
    later = READ_ON + LATER
    with on(later):
        html = client.get(url(unit)).content.decode()
    # the page computed the figures again, and kept them
    assert submitted_count(html) == "5"
    snapshot = DashboardSnapshot.objects.get(unit=unit)
    assert snapshot.computed_at == later
    assert snapshot.layout == dashboard.layout()


def test_the_drawn_page_is_kept_per_snapshot_language_and_order(
    client, territory, executed, django_assert_num_queries
):
    district = territory["district"]
    with on():
        computed = client.get(url(district)).content.decode()
        # the same page again: the unit and the snapshot's time, nothing drawn anew
        with django_assert_num_queries(2):
            kept = client.get(url(district)).content.decode()
        # another order, or another language, is drawn from the snapshot's figures
        with django_assert_num_queries(3):
            client.get(url(district, sort="-expenditure_plan"))
        with translation.override("ru"), django_assert_num_queries(3):
            russian = client.get(url(district)).content.decode()
    assert kept.split("<main")[1] == computed.split("<main")[1]
    assert "Показатели на" in russian


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([0, 7, 50], [0, 7, 50]),
        # One small cell: the next smallest hides with it.
        ([2, 7, 50], ["<5", "hidden", 50]),
        # Two small cells that add up to 2 would be 1 and 1: one more hides.
        ([1, 1, 50, 60], ["<5", "<5", "hidden", 60]),
        # Two that add up to 5 could be any of four splits: enough.
        ([1, 4, 50], ["<5", "<5", 50]),
        # Nothing else to hide: all small cells stay hidden.
        ([1, 1], ["<5", "<5"]),
    ],
)
def test_small_counts_are_hidden_so_that_no_subtraction_gives_them_away(counts, shown):
    from portal.dashboard import Suppressed, suppress

    def written(value):
        if isinstance(value, Suppressed):
            return "<5" if value.is_small else "hidden"
        return value

    assert [written(value) for value in suppress(counts, smallest=5)] == shown
