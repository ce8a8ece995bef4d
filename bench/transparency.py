"""Time the transparency dashboard, the execution page and the open data downloads on
PostgreSQL at the proposals benchmark's data size.

    .venv/bin/python bench/transparency.py [--repeat N] [--keep]

PostgreSQL only, like bench/proposals.py, whose data it builds first (one region, two
districts of 50 rural districts each, one 2027 cycle per rural district, 100,000
proposals, one cycle of 10,000, 1,000,000 supports) in a fresh database of its own
(`bench_transparency_<pid>`), dropped afterwards. Then, as the services would have left
them by November 2027 (rows written directly, in bulk):

- every cycle's draft adopted by the maslikhat: version 1 approved, with the 60 active
  lines of the seeded classification (amounts from 50,000 to 60,000,000 tenge); a closed
  voting session of the district's 25 deputies (22 present, 3 absent with a reason) with
  their ballots;
- the execution of every line for the first three quarters, and a correction of one
  report in twenty: 18,000 reports and corrections;
- the proposals' review and decisions: 85% of the submitted ones reviewed (one in ten
  after its deadline, one in twenty still open past it), 60% of the reviewed recommended,
  80% of the recommended approved by the akim and the rest rejected, each with its
  reason; half of the approved funded by a line of the adopted draft, and of those a
  third in progress and a third implemented with a report.

The clock stands (time-machine, ticking) on 20 November 2027, in the execution of every
cycle. Measured as bench/proposals.py measures (median and 95th percentile of --repeat
runs after two warm-up runs, in milliseconds, and the queries of one run): the dashboard
of the biggest rural district, of a district (50 units) and of the region (100 units);
the execution page of the biggest cycle; every download of the biggest cycle (the
proposals as CSV and JSON are the biggest files: 9,200 rows), consumed to the last
byte, with its size and the peak of the Python memory it allocated while streaming
(tracemalloc), which shows that the file is never held whole; and the Fiscal Data Package.
"""

import argparse
import datetime
import importlib.util
import os
import random
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALMATY = datetime.timezone(datetime.timedelta(hours=5))
MEASURED_AT = datetime.datetime(2027, 11, 20, 12, tzinfo=ALMATY)
DEPUTIES = 25
ABSENT = 3
QUARTERS_REPORTED = 3


def load_proposals_bench():
    """bench/proposals.py, under another name than the proposals app's."""
    spec = importlib.util.spec_from_file_location(
        "bench_proposals", REPO / "bench" / "proposals.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=ALMATY)


def build_budgets(rng, data, cycles, staff, year=2027) -> dict[int, list[int]]:
    """The adopted draft of every cycle (of the fiscal `year`) and its voting session;
    returns each cycle's expenditure lines by cycle id."""
    from accounts.models import Role, RoleMembership, User
    from budgets.models import (
        BudgetClassification,
        BudgetLine,
        DraftBudget,
        DraftStatus,
    )
    from maslikhat.models import Ballot, SessionMember, SessionOutcome, VotingSession

    classifications = list(
        BudgetClassification.objects.filter(is_active=True).order_by("pk")[:60]
    )
    drafts = DraftBudget.objects.bulk_create(
        DraftBudget(
            cycle=cycle,
            version=1,
            status=DraftStatus.APPROVED,
            created_by=staff,
            created_at=at(year - 1, 9, 1),
            published_at=at(year - 1, 9, 15),
            submitted_at=at(year - 1, 11, 25),
        )
        for cycle in cycles
    )
    data.copy_rows(
        BudgetLine,
        ["draft_id", "classification_id", "amount", "explanation"],
        (
            (draft.pk, classification.pk, rng.randrange(50_000, 60_000_000, 1000), "")
            for draft in drafts
            for classification in classifications
        ),
    )
    districts = {}
    for cycle in cycles:
        districts.setdefault(cycle.unit.parent_id, []).append(cycle)
    deputies = {}
    for district_id in districts:
        people = User.objects.bulk_create(
            User(
                email=f"deputy{n}.{district_id}@bench.qatysu.kz",
                first_name=f"Депутат {n}",
                last_name=f"Округ {district_id}",
                language="kk",
            )
            for n in range(DEPUTIES)
        )
        RoleMembership.objects.bulk_create(
            RoleMembership(
                user=user,
                role=Role.MASLIKHAT_DEPUTY,
                unit_id=district_id,
                starts_on=datetime.date(2023, 1, 1),
            )
            for user in people
        )
        deputies[district_id] = people
    sessions = VotingSession.objects.bulk_create(
        VotingSession(
            draft=draft,
            district_id=draft.cycle.unit.parent_id,
            opens_at=at(year - 1, 12, 5, 10),
            closes_at=at(year - 1, 12, 5, 13),
            total_deputies=DEPUTIES,
            quorum_numerator=2,
            quorum_denominator=3,
            majority_numerator=1,
            majority_denominator=2,
            opened_by=staff,
            created_at=at(year - 1, 12, 4),
            closed_at=at(year - 1, 12, 5, 13),
            outcome=SessionOutcome.PASSED,
        )
        for draft in drafts
    )
    members, ballots = [], []
    for session in sessions:
        for index, deputy in enumerate(deputies[session.district_id]):
            present = index >= ABSENT
            members.append(
                SessionMember(
                    session=session,
                    deputy=deputy,
                    is_present=present,
                    absence_reason="" if present else "Іссапарда",
                )
            )
            if present:
                choice = rng.choices(["for", "against", "abstain"], [16, 3, 3])[0]
                ballots.append(
                    Ballot(
                        session=session,
                        deputy=deputy,
                        choice=choice,
                        cast_at=at(year - 1, 12, 5, 11),
                    )
                )
    SessionMember.objects.bulk_create(members, batch_size=5000)
    Ballot.objects.bulk_create(ballots, batch_size=5000)
    lines = {}
    for pk, cycle_id, kind in BudgetLine.objects.values_list(
        "pk", "draft__cycle_id", "classification__kind"
    ):
        if kind == "expenditure":
            lines.setdefault(cycle_id, []).append(pk)
    return lines


def build_execution(rng, data, staff, year=2027) -> None:
    from budgets.models import BudgetLine, ExecutionEntry

    reports = []
    for pk, amount in BudgetLine.objects.values_list("pk", "amount"):
        for quarter in range(1, QUARTERS_REPORTED + 1):
            share = Decimal(rng.randint(15, 30)) / 100
            recorded = at(year, 3 * quarter + 1, 10)
            reports.append(
                (pk, quarter, (amount * share).quantize(Decimal(1)), recorded)
            )
    data.copy_rows(
        ExecutionEntry,
        ["line_id", "quarter", "amount", "note", "recorded_by_id", "recorded_at"],
        ((pk, q, amount, "", staff.pk, when) for pk, q, amount, when in reports),
    )
    first = {
        (line, quarter): pk
        for pk, line, quarter in ExecutionEntry.objects.values_list(
            "pk", "line_id", "quarter"
        )
    }
    data.copy_rows(
        ExecutionEntry,
        [
            "line_id",
            "quarter",
            "amount",
            "note",
            "corrects_id",
            "recorded_by_id",
            "recorded_at",
        ],
        (
            (
                line,
                quarter,
                Decimal(rng.choice([-1, 1]) * rng.randrange(1000, 50_000, 1000)),
                "Қазынашылықпен салыстыру",
                first[line, quarter],
                staff.pk,
                when + datetime.timedelta(days=20),
            )
            for line, quarter, amount, when in reports
            if rng.random() < 0.05 and amount > 50_000
        ),
    )


def build_funnel(rng, data, lines, staff, year=2027) -> None:
    """Reviews, decisions, funding and implementation of the submitted proposals (of the
    cycles of the fiscal `year`)."""
    from proposals.models import (
        AkimDecision,
        ImplementationReport,
        Proposal,
        ProposalStatus,
        Review,
    )

    started, deadline = datetime.date(year - 1, 5, 4), datetime.date(year - 1, 5, 25)
    reviews, decisions, reports = [], [], []
    statuses: dict[str, list[int]] = {}
    funding: dict[int, int] = {}
    submitted = Proposal.objects.filter(status=ProposalStatus.SUBMITTED).values_list(
        "pk", "cycle_id"
    )
    for pk, cycle_id in submitted.iterator(chunk_size=5000):
        if rng.random() >= 0.85:
            continue
        draw = rng.random()
        if draw < 0.05:
            # Still open past its deadline.
            reviews.append((pk, started, deadline, "", None, None, "", ""))
            statuses.setdefault(ProposalStatus.UNDER_REVIEW, []).append(pk)
            continue
        late = draw < 0.15
        completed = at(year - 1, 5, 28 if late else 20)
        recommended = rng.random() < 0.6
        assessment = "recommended" if recommended else "not_recommended"
        reviews.append(
            (pk, started, deadline, assessment, True, completed, "Бағалау", "Мүмкін")
        )
        if not recommended:
            statuses.setdefault(ProposalStatus.NOT_RECOMMENDED, []).append(pk)
            continue
        approved = rng.random() < 0.8
        decisions.append(
            (pk, "approved" if approved else "rejected", "Шешім", at(year - 1, 6, 5))
        )
        if not approved:
            statuses.setdefault(ProposalStatus.REJECTED, []).append(pk)
            continue
        if rng.random() < 0.5:
            statuses.setdefault(ProposalStatus.APPROVED, []).append(pk)
            continue
        funding[pk] = rng.choice(lines[cycle_id])
        stage = rng.choice(
            [
                ProposalStatus.FUNDED,
                ProposalStatus.IN_PROGRESS,
                ProposalStatus.IMPLEMENTED,
            ]
        )
        statuses.setdefault(stage, []).append(pk)
        if stage == ProposalStatus.IMPLEMENTED:
            reports.append((pk, "Жұмыс аяқталды", Decimal(1_000_000), at(year, 9, 1)))
    data.copy_rows(
        Review,
        [
            "proposal_id",
            "started_on",
            "deadline",
            "assessment",
            "is_within_competence",
            "completed_at",
            "reasons",
            "feasibility",
        ],
        reviews,
    )
    # The reviewer: the akimat's staff member, as a review completed by them.
    Review.objects.exclude(completed_at=None).update(reviewer=staff, completed_by=staff)
    data.copy_rows(
        AkimDecision,
        ["proposal_id", "decision", "reason", "decided_at", "decided_by_id"],
        ((*row, staff.pk) for row in decisions),
    )
    data.copy_rows(
        ImplementationReport,
        ["proposal_id", "text", "amount_spent", "reported_at", "reported_by_id"],
        ((*row, staff.pk) for row in reports),
    )
    for status, pks in statuses.items():
        for start in range(0, len(pks), 5000):
            Proposal.objects.filter(pk__in=pks[start : start + 5000]).update(
                status=status
            )
    by_line: dict[int, list[int]] = {}
    for pk, line in funding.items():
        by_line.setdefault(line, []).append(pk)
    for line, pks in by_line.items():
        Proposal.objects.filter(pk__in=pks).update(
            included_line=line, funding_line=line
        )


# Measuring.


def downloaded(client, url: str) -> int:
    """Download `url` to the last byte; return its size."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def traced(client, url: str) -> tuple[int, int, bool]:
    """The size of the download, the peak of the memory Python allocated meanwhile
    (traced apart from the timed runs: tracing slows Python down), and whether it was
    streamed."""
    tracemalloc.start()
    try:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return size, peak, response.streaming


def scenarios(data, cycles, args, table) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from budgets import opendata

    client = Client()
    big = cycles[0]
    unit, year = big.unit, big.fiscal_year
    district, region = unit.parent, unit.parent.parent
    get_ok = data.get_ok
    with translation.override("ru"):
        pages = [
            ("dashboard of the biggest rural district", unit),
            ("dashboard of a district (50 units)", district),
            ("dashboard of the region (100 units)", region),
        ]
        for label, place in pages:
            url = reverse("portal:dashboard", args=[place.kato_code, year])
            data.measure(table, label, get_ok(client, url), args.repeat)
        url = reverse("portal:dashboard", args=[region.kato_code, year])
        data.measure(
            table,
            "the region's comparison sorted by execution %",
            get_ok(client, f"{url}?sort=-execution"),
            args.repeat,
        )
        cycle_args = [unit.kato_code, year]
        data.measure(
            table,
            "execution page of the biggest cycle",
            get_ok(client, reverse("budgets:execution", args=cycle_args)),
            args.repeat,
        )
        downloads = [
            (
                f"{dataset.slug}.{ext}",
                reverse(f"budgets:dataset_{ext}", args=[*cycle_args, dataset.slug]),
            )
            for dataset in opendata.datasets()
            for ext in ("csv", "json")
        ]
        downloads.append(
            (
                "fiscal datapackage.json",
                reverse("budgets:fiscal_descriptor", args=cycle_args),
            )
        )
        downloads += [
            (
                f"fiscal {name}.csv",
                reverse("budgets:fiscal_resource", args=[*cycle_args, name]),
            )
            for name in ("revenue", "expenditure")
        ]
        sizes = []
        for label, url in downloads:
            data.measure(
                table,
                f"download {label}",
                lambda _i, url=url: downloaded(client, url),
                args.repeat,
            )
            sizes.append((label, *traced(client, url)))
    print(f"\n  {'download':<26} {'bytes':>12} {'peak Python memory':>20}  streamed")
    for label, size, peak, streaming in sizes:
        print(f"  {label:<26} {size:>12,} {peak / 1024:>16,.0f} KiB  {streaming}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per page")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, to look into it"
    )
    args = parser.parse_args()

    data = load_proposals_bench()
    return data.on_fresh_database(
        "bench/transparency.py measures PostgreSQL",
        "bench_transparency",
        keep=args.keep,
        run=lambda: run(data, args),
    )


def run(data, args) -> None:
    import time_machine
    from django.utils import translation

    rng = random.Random(2027)
    sizes = data.cycle_sizes(rng)
    started = time.perf_counter()
    steps = []

    def step(label, build, *build_args):
        began = time.perf_counter()
        result = build(*build_args)
        steps.append((label, time.perf_counter() - began))
        print(f"  {label}: {steps[-1][1]:.1f} s", flush=True)
        return result

    with time_machine.travel(data.NOW, tick=True), translation.override("en"):
        units, villages, staff = step("territory", data.build_territory)
        cycles = step("cycles", data.build_cycles, units, staff)
        residents = step("residents", data.build_residents, units, villages, sizes)
        with data.without_foreign_key_checks():
            step(
                "proposals",
                data.build_proposals,
                rng,
                cycles,
                sizes,
                residents,
                villages,
            )
            step("supports", data.build_supports, rng, cycles, residents)
            step("audit trail", data.build_audit_trail)
    with time_machine.travel(MEASURED_AT, tick=True), translation.override("en"):
        with data.without_foreign_key_checks():
            lines = step("budgets and votes", build_budgets, rng, data, cycles, staff)
            step("execution", build_execution, rng, data, staff)
            step("reviews and decisions", build_funnel, rng, data, lines, staff)
        step("vacuum analyze", data.vacuum_analyze)
        data.sizes_report(started, steps)
        report_sizes()
        table = data.Table()
        print(f"\n  {'':<58} {'median':>8} {'p95':>8} {'queries':>5}")
        scenarios(data, cycles, args, table)
        table.print()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def report_sizes() -> None:
    from budgets.models import BudgetLine, ExecutionEntry
    from maslikhat.models import Ballot
    from proposals.models import AkimDecision, Proposal, Review

    for model in (BudgetLine, ExecutionEntry, Ballot, Review, AkimDecision):
        print(f"  {model._meta.db_table:<22} {model.objects.count():>10,} rows")
    funded = Proposal.objects.exclude(funding_line=None).count()
    print(f"  funded proposals       {funded:>10,}")


if __name__ == "__main__":
    sys.exit(main())
