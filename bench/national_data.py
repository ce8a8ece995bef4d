"""The national-scale data set of bench/national.py, built once into a database of its own.

Every unit of the real classifier (shared/data/kato, imported by `import_kato`) that holds
its own budget has two cycles, each opened by budgets.services.cycle_open:

- fiscal 2026, adopted and in execution: the maslikhat's adopted draft (60 lines), its
  roll call, three quarters of execution, and 20 proposals per cycle through review, the
  akim's decision, funding and implementation (bench/transparency.py's builders);
- fiscal 2027, in its proposals phase (1 September - 31 October 2026 on the national
  calendar): 200,000 proposals (one cycle of 10,000, two of 3,000, the rest about 78 each),
  2,000,000 supports and 1,000,000 comments spread by a Pareto law, from about 360,000
  verified residents (bench/proposals.py's builders), and a residents' vote in the
  biggest unit (16-22 November 2026, 12 projects, approval of 1 to 3, equal shares).

Rows are written with COPY where there are many, then VACUUM ANALYZE. The database keeps a
marker with BUILD; another BUILD (or --rebuild) builds it anew.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import random
import tempfile
import time
from pathlib import Path

from siblings import sibling

REPO = Path(__file__).resolve().parents[1]
SHARED_KATO = REPO.parent / "shared/data/kato/kato-2022-10-17-ru.csv"
ALMATY = datetime.timezone(datetime.timedelta(hours=5))

BUILD = "national-3"
MARKER = "bench_national_marker"

# The clock of the page runs: inside every 2027 cycle's proposals phase, the 2026 budget
# three quarters into its execution.
PAGES_AT = datetime.datetime(2026, 10, 20, 12, tzinfo=ALMATY)
# The clock of the ballot run: the residents' vote open.
VOTE_AT = datetime.datetime(2026, 11, 18, 12, tzinfo=ALMATY)

PROPOSALS = 200_000
BIG = (10_000, 3_000, 3_000)
BIG_RESIDENTS = 8_000  # the biggest unit: enough voters for the ballot run
FUNNEL_PER_CYCLE = 20
VOTE_PROJECTS = 12


proposals_bench = sibling("proposals")
transparency_bench = sibling("transparency")
kato_bench = sibling("import_kato")
copy_rows = proposals_bench.copy_rows
engagement = sibling("national_engagement")


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=ALMATY)


def dates_2026() -> dict:
    """The calendar of the 2026 cycles: bench/proposals.py's, a year earlier."""
    return {
        phase: (starts.replace(year=starts.year - 1), ends.replace(year=ends.year - 1))
        for phase, (starts, ends) in proposals_bench.phase_dates().items()
    }


def dates_2027() -> dict:
    """The national calendar of the 2027 cycles, with a gap after the review for the
    residents' vote of the units that hold one."""
    from budgets.models import CyclePhase

    d = datetime.date
    return {
        CyclePhase.PROPOSALS_OPEN: (d(2026, 9, 1), d(2026, 10, 31)),
        CyclePhase.REVIEW: (d(2026, 11, 1), d(2026, 11, 14)),
        CyclePhase.DRAFTING: (d(2026, 11, 23), d(2026, 12, 4)),
        CyclePhase.PUBLIC_DISCUSSION: (d(2026, 12, 5), d(2026, 12, 11)),
        CyclePhase.COORDINATION: (d(2026, 12, 12), d(2026, 12, 15)),
        CyclePhase.MASLIKHAT_VOTE: (d(2026, 12, 16), d(2026, 12, 25)),
        CyclePhase.EXECUTION: (d(2027, 1, 1), d(2027, 12, 31)),
    }


def is_built() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return False
        cursor.execute(f"SELECT build FROM {MARKER}")  # noqa: S608 (our own table)
        row = cursor.fetchone()
    return bool(row) and row[0] == BUILD


def build() -> None:
    """Everything above, into the (migrated, empty) database Django is connected to."""
    import time_machine
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    rng = random.Random(2363)
    steps = []

    def step(label, act):
        started = time.perf_counter()
        result = act()
        steps.append((label, time.perf_counter() - started))
        print(f"  {label:<44} {steps[-1][1]:7.1f} s", flush=True)
        return result

    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp:
        rows = kato_bench.official_rows(SHARED_KATO)
        path, _ = kato_bench.write_official(rows, Path(tmp))
        with translation.override("en"):
            step(
                "the classifier (import_kato)",
                lambda: call_command("import_kato", path),
            )
    units, staff = step("budget units and the akimat's staff", budget_units)
    with proposals_bench.without_foreign_key_checks():
        with time_machine.travel(at(2025, 1, 10)):
            old = step(
                "2026 cycles (cycle_open)", lambda: open_cycles(units, staff, 2026)
            )
        with time_machine.travel(at(2026, 1, 10)):
            new = step(
                "2027 cycles (cycle_open)", lambda: open_cycles(units, staff, 2027)
            )
        sizes = cycle_sizes(rng, len(new))
        # The biggest cycles first, in units of the districts' order.
        residents = step(
            "verified residents", lambda: build_residents(rng, units, sizes)
        )
        lines = step(
            "2026: adopted drafts and roll calls",
            lambda: transparency_bench.build_budgets(
                rng, proposals_bench, old, staff, 2026
            ),
        )
        step(
            "2026: execution",
            lambda: transparency_bench.build_execution(
                rng, proposals_bench, staff, 2026
            ),
        )
        step("2026: proposals", lambda: build_old_proposals(rng, old, residents))
        step(
            "2026: review, decisions, funding",
            lambda: transparency_bench.build_funnel(
                rng, proposals_bench, lines, staff, 2026
            ),
        )
        step("2027: proposals", lambda: build_new_proposals(rng, new, sizes, residents))
        step(
            "2027: supports",
            lambda: engagement.build_supports(rng, new, residents, until=PAGES_AT),
        )
        step("support counts kept on the proposals", engagement.keep_support_counts)
        step(
            "2027: comments",
            lambda: engagement.build_comments(rng, new, residents, until=PAGES_AT),
        )
        step("audit trail", proposals_bench.build_audit_trail)
    step("2027: the residents' vote", lambda: build_vote(new[0], staff))
    step("the clock caught up to the pages' day", announce_phases)
    step("VACUUM ANALYZE", proposals_bench.vacuum_analyze)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (build text, built_at timestamptz)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, now())", [BUILD])  # noqa: S608
    print(f"  {'built in':<44} {sum(s for _, s in steps):7.1f} s", flush=True)


def budget_units():
    from accounts.models import Role, RoleMembership, User
    from portal.models import AdministrativeUnit

    units = list(
        AdministrativeUnit.objects.holding_own_budget(2026)
        .select_related("parent")
        .order_by("kato_code")
    )
    staff = User.objects.create_user(email="staff@bench.qatysu.kz", language="kk")
    RoleMembership.objects.bulk_create(
        RoleMembership(
            user=staff,
            role=Role.AKIMAT_STAFF,
            unit=unit,
            starts_on=datetime.date(2020, 1, 1),
        )
        for unit in units
    )
    return units, staff


def open_cycles(units, staff, year: int) -> list:
    from budgets.models import BudgetCycle
    from budgets.services import cycle_open

    dates = dates_2026() if year == 2026 else dates_2027()
    for unit in units:
        cycle_open(unit=unit, fiscal_year=year, actor=staff, dates=dates)
    return list(
        BudgetCycle.objects.filter(fiscal_year=year)
        .select_related("unit")
        .order_by("unit__kato_code")
    )


def cycle_sizes(rng, count: int) -> list[int]:
    """The 2027 cycles' numbers of proposals, in the cycles' order: three big ones first,
    the rest about equal, with some spread."""
    rest = count - len(BIG)
    left = PROPOSALS - sum(BIG)
    sizes = [left // rest + (1 if i < left % rest else 0) for i in range(rest)]
    for i in range(0, rest - 1, 2):
        shift = rng.randint(-40, 40)
        sizes[i] += shift
        sizes[i + 1] -= shift
    return [*BIG, *sizes]


def build_residents(rng, units, sizes) -> dict[int, list[int]]:
    """Verified residents of each unit, living in its first village (or the unit itself),
    with a date of birth (a voter's age is checked)."""
    from accounts.models import Residency, ResidencyStatus, User
    from portal.models import AdministrativeUnit

    counts = [
        max(proposals_bench.MIN_RESIDENTS, -(-size // proposals_bench.PER_PERSON))
        for size in sizes
    ]
    counts[0] = BIG_RESIDENTS
    places = {}
    for pk, parent_id in (
        AdministrativeUnit.objects.filter(parent__in=units)
        .order_by("kato_code")
        .values_list("pk", "parent_id")
    ):
        places.setdefault(parent_id, pk)
    joined = PAGES_AT - datetime.timedelta(days=400)
    copy_rows(
        User,
        [
            "password",
            "is_superuser",
            "first_name",
            "last_name",
            "is_staff",
            "is_active",
            "date_joined",
            "email",
            "iin_digest",
            "iin_last4",
            "language",
            "display_name",
            "birth_date",
        ],
        (
            (
                "!bench",
                False,
                proposals_bench.FIRST_NAMES[n % 8],
                proposals_bench.LAST_NAMES[n % 6],
                False,
                True,
                joined,
                f"resident{n}@bench.qatysu.kz",
                hashlib.sha256(f"bench-iin-{n}".encode()).hexdigest(),
                f"{n % 10000:04d}",
                ("kk", "ru", "en")[n % 3],
                "",
                datetime.date(1950 + n % 55, 1 + n % 12, 1 + n % 28),
            )
            for n in range(sum(counts))
        ),
    )
    ids = list(
        User.objects.filter(email__startswith="resident")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    residents, start = {}, 0
    for unit, count in zip(units, counts, strict=True):
        residents[unit.pk] = ids[start : start + count]
        start += count
    copy_rows(
        Residency,
        [
            "user_id",
            "place_id",
            "budget_unit_id",
            "status",
            "created_at",
            "decided_at",
            "refusal_reason",
        ],
        (
            (
                user_id,
                places.get(unit_id, unit_id),
                unit_id,
                ResidencyStatus.VERIFIED,
                joined,
                joined + datetime.timedelta(days=2),
                "",
            )
            for unit_id, user_ids in residents.items()
            for user_id in user_ids
        ),
    )
    return residents


@functools.cache
def _functions() -> list[int]:
    from budgets.models import BudgetClassification, ClassificationKind

    return list(
        BudgetClassification.objects.filter(
            kind=ClassificationKind.EXPENDITURE, is_active=True
        ).values_list("pk", flat=True)
    )


def _proposal_rows(rng, cycle, size, people, *, start, end):
    from portal import search
    from proposals.models import ProposalStatus

    span = (end - start).total_seconds()
    for j in range(size):
        author = people[j % len(people)]
        title, description = proposals_bench.proposal_text(rng)
        draw = rng.random()
        if draw < 0.08:
            status, submitted = ProposalStatus.DRAFT, None
        else:
            status = (
                ProposalStatus.WITHDRAWN if draw < 0.12 else ProposalStatus.SUBMITTED
            )
            submitted = start + datetime.timedelta(seconds=rng.random() * span)
        created = (submitted or end) - datetime.timedelta(
            seconds=rng.random() * 3 * 86400
        )
        yield (
            cycle.pk,
            cycle.unit_id,
            cycle.unit_id,
            rng.choice(proposals_bench.STREETS) if rng.random() < 0.5 else "",
            rng.choice(_functions()),
            title,
            description,
            rng.randrange(200_000, 30_000_000, 1000) if rng.random() < 0.8 else None,
            status,
            author,
            f"{proposals_bench.FIRST_NAMES[author % 8]} "
            f"{proposals_bench.LAST_NAMES[author % 6][0]}.",
            created,
            submitted,
            search.index_text(title, description),
            False,
            "",
            "",
            "",
            0,
        )


def _copy_proposals(rows) -> None:
    """COPY the rows, whose generator may not query: the connection is busy with the
    COPY until it ends."""
    from django.db import connection

    from accounts.models import User
    from proposals.models import Proposal

    copy_rows(
        Proposal,
        [
            "cycle_id",
            "unit_id",
            "place_id",
            "address",
            "function_id",
            "title",
            "description",
            "cost_estimate",
            "status",
            "author_id",
            "author_name",
            "created_at",
            "submitted_at",
            "search_text",
            "is_hidden",
            "hidden_reason",
            "author_iin_digest",
            "vote_outcome",
            "support_count",
        ],
        rows,
    )
    # The author's digest, set in SQL.
    proposals, users = Proposal._meta.db_table, User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {proposals} p SET author_iin_digest = u.iin_digest "  # noqa: S608
            f"FROM {users} u WHERE u.id = p.author_id AND p.author_iin_digest = ''"
        )


def build_old_proposals(rng, cycles, residents) -> None:
    _functions()  # read before the COPY
    _copy_proposals(
        row
        for cycle in cycles
        for row in _proposal_rows(
            rng,
            cycle,
            FUNNEL_PER_CYCLE,
            residents[cycle.unit_id],
            start=at(2025, 3, 1),
            end=at(2025, 4, 29),
        )
    )


def build_new_proposals(rng, cycles, sizes, residents) -> None:
    _copy_proposals(
        row
        for cycle, size in zip(cycles, sizes, strict=True)
        for row in _proposal_rows(
            rng,
            cycle,
            size,
            residents[cycle.unit_id],
            start=at(2026, 9, 1),
            end=PAGES_AT - datetime.timedelta(hours=2),
        )
    )


def announce_phases() -> None:
    """Every cycle's phase as the clock's job has announced it by the pages' day: the
    2026 cycles in execution, the 2027 ones taking proposals."""
    import time_machine

    from budgets import services

    with time_machine.travel(PAGES_AT - datetime.timedelta(hours=1)):
        services.cycles_announce()


def build_vote(cycle, staff) -> None:
    """The biggest unit's residents' vote on 16-22 November 2026, prepared during the
    proposals phase (later, the cycle's phase would move on and its proposals go under
    review) and frozen at its opening, as the services do it."""
    import time_machine

    from votes import services

    with time_machine.travel(at(2026, 10, 15)):
        vote = services.vote_prepare(
            cycle=cycle,
            rules=services.VoteRules(
                amount=50_000_000,
                ballot_kind="approval",
                rule="equalshares/add1",
                min_choices=1,
                max_choices=3,
            ),
            starts_on=datetime.date(2026, 11, 16),
            ends_on=datetime.date(2026, 11, 22),
            actor=staff,
        )
        for number in range(VOTE_PROJECTS):
            services.project_add(
                vote=vote,
                title=f"Жоба {number + 1}",
                description="Әкімдіктің жоспары.",
                cost=2_000_000 + 1_500_000 * number,
                reason="Әкімдіктің жоспары.",
                place=None,
                actor=staff,
            )
    with time_machine.travel(at(2026, 11, 16, 9)):
        services.vote_freeze(vote)
