"""Time the proposals list page, a proposal's page and the support action on PostgreSQL,
at 100,000 proposals and 1,000,000 supports.

    .venv/bin/python bench/proposals.py [--repeat N] [--explain] [--keep] [--no-jit]

PostgreSQL only: what is measured (the full-text search, the planner's choices at this
size) is PostgreSQL's. Without DATABASE_URL it uses
postgres://postgres@127.0.0.1:5432/qatysu; with a DATABASE_URL of another engine (SQLite)
it exits with status 2 and says why. As bench/import_kato.py does, Django's
test-database machinery creates a fresh database of its own (`bench_proposals_<pid>`,
beside the one in the URL) and drops it afterwards.

The data, built with COPY (and SQL for the audit trail) in a minute or two: one region,
two districts, 100 rural districts with a village each, one 2027 budget cycle per rural
district opened by budgets.services.cycle_open; 100,000 proposals (one cycle of 10,000,
two of 3,000, the other 97 of about 870), written in Russian and Kazakh; 8% private
drafts, 4% withdrawn, the rest submitted; authors and supporters are verified residents
of the rural district (about 20,000, five proposals at most each); 1,000,000 supports
spread unevenly (a Pareto law: most proposals get a few, some get hundreds, none more
than the district's residents); an audit event for every submission and support, as the
services write them. Then VACUUM ANALYZE, as autovacuum would have done by then.

The clock stands (time-machine, ticking) on 20 March 2026, inside the proposals phase
(1 March - 30 April 2026) of every cycle, so that supports are taken.

Measured, with time.perf_counter over --repeat runs after two warm-up runs, median and
95th percentile in milliseconds, and the queries of one run (CaptureQueriesContext): the
list page through the test client (a typical cycle and the biggest, newest and most
supported first, page 1 and page 40, a search, a status filter, signed in or not); the
page of the most supported proposal; support_add for fresh (proposal, resident) pairs;
and the support through HTTP POST by a signed-in resident. --explain prints PostgreSQL's
EXPLAIN ANALYZE of the slower queries of the biggest cycle's lists; --keep keeps the
database (and says its name) to look into it; --no-jit measures with PostgreSQL's JIT
compilation off, which costs 100-150 ms on the few queries estimated above
jit_above_cost (the search sorted by support in the biggest cycle).
"""

import argparse
import contextlib
import datetime
import hashlib
import logging
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qatysu"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "postgis://")

ALMATY = datetime.timezone(datetime.timedelta(hours=5))
NOW = datetime.datetime(2026, 3, 20, 12, tzinfo=ALMATY)
PROPOSALS_START = datetime.datetime(2026, 3, 1, 8, tzinfo=ALMATY)
FISCAL_YEAR = 2027

UNITS = 100
SIZES = {0: 10_000, 1: 3_000, 2: 3_000}
PROPOSALS = 100_000
SUPPORTS = 1_000_000
PER_PERSON = 5
MIN_RESIDENTS = 150
DEEP_PAGE = 40
SUPPORT_RUNS = 200

STREETS = [
    "Абая",
    "Жамбыла",
    "Сейфуллина",
    "Мира",
    "Школьная",
    "Бейбітшілік",
    "Достық",
    "Тәуелсіздік",
    "Мәншүк Мәметова",
    "Садовая",
]
TITLES = [
    "Ремонт дороги на улице {street}",
    "Освещение улицы {street}",
    "Детская площадка у дома культуры",
    "Спортивная площадка у школы",
    "Ремонт водопровода по улице {street}",
    "Благоустройство парка",
    "Остановка автобуса на улице {street}",
    "Тротуар вдоль улицы {street}",
    "Ремонт моста через речку",
    "Озеленение сквера у акимата",
    "Видеонаблюдение у школы",
    "Контейнерная площадка для мусора",
    "Ремонт сельского клуба",
    "Уличные тренажёры в парке",
    "{street} көшесіндегі жолды жөндеу",
    "Балалар ойын алаңын салу",
    "{street} көшесіне жарық орнату",
    "Саябақты абаттандыру",
    "Мектеп жанына аялдама салу",
    "Су құбырын жөндеу",
    "Мектеп жанындағы спорт алаңы",
    "Орталық көшеге ағаш отырғызу",
]
RARE_TITLE = "Фонтан в центре села"
SENTENCES = [
    "Жители давно просят решить этот вопрос.",
    "Зимой здесь темно, и детям опасно ходить в школу.",
    "После дождя дорога размыта, машины не могут проехать.",
    "Площадка нужна детям и их родителям, сейчас играть негде.",
    "Предлагаем сделать это весной, пока не начался сезон.",
    "Смета составлена по ценам прошлого года.",
    "Жители готовы помочь на субботнике.",
    "Старые трубы текут, вода часто пропадает.",
    "Бұл мәселе көптен бері шешілмей келеді.",
    "Қыста көше қараңғы, балаларға қауіпті.",
    "Жөндеу жұмыстарын көктемде бастауды ұсынамыз.",
    "Тұрғындар сенбілікке шығуға дайын.",
    "Ауыл жастары спортпен айналысатын орын сұрайды.",
    "Автобус күткен адамдар жаңбырда тұрады.",
]
FIRST_NAMES = [
    "Aigerim",
    "Nurlan",
    "Dana",
    "Yerlan",
    "Aliya",
    "Marat",
    "Saule",
    "Bolat",
]
LAST_NAMES = ["Abenov", "Seitkali", "Omarova", "Zhaksybek", "Tulegen", "Karimova"]

WORD = "площадка"  # a common word: in 40% of the proposals (titles, descriptions)
KAZAKH_WORD = "жөндеу"  # a Kazakh word: matched by prefix in the simple dictionary
RARE_WORD = "фонтан"  # in about one title in a thousand


def phase_dates() -> dict:
    from budgets.models import CyclePhase

    d = datetime.date
    year = FISCAL_YEAR - 1
    return {
        CyclePhase.PROPOSALS_OPEN: (d(year, 3, 1), d(year, 4, 30)),
        CyclePhase.REVIEW: (d(year, 5, 1), d(year, 5, 31)),
        CyclePhase.DRAFTING: (d(year, 6, 1), d(year, 9, 30)),
        CyclePhase.PUBLIC_DISCUSSION: (d(year, 10, 1), d(year, 10, 31)),
        CyclePhase.COORDINATION: (d(year, 11, 1), d(year, 11, 30)),
        CyclePhase.MASLIKHAT_VOTE: (d(year, 12, 1), d(year, 12, 25)),
        CyclePhase.EXECUTION: (d(FISCAL_YEAR, 1, 1), d(FISCAL_YEAR, 12, 31)),
    }


def cycle_sizes(rng: random.Random) -> list[int]:
    """One cycle of 10,000 proposals, two of 3,000, the rest of about 870 each."""
    rest = UNITS - len(SIZES)
    left = PROPOSALS - sum(SIZES.values())
    sizes = [left // rest + (1 if i < left % rest else 0) for i in range(rest)]
    for i in range(0, rest - 1, 2):
        shift = rng.randint(-250, 250)
        sizes[i] += shift
        sizes[i + 1] -= shift
    return [*SIZES.values(), *sizes]


def copy_rows(model, columns: list[str], rows) -> int:
    from django.db import connection

    table = model._meta.db_table
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def build_territory():
    from accounts.models import Role, RoleMembership, User
    from portal.models import AdministrativeUnit, Level

    region = AdministrativeUnit.objects.create(
        kato_code="110000000",
        level=Level.REGION,
        name_kk="Ақмола облысы",
        name_ru="Акмолинская область",
    )
    districts = [
        AdministrativeUnit.objects.create(
            kato_code=code,
            level=Level.DISTRICT,
            name_kk=f"{name} ауданы",
            name_ru=f"{name} район",
            parent=region,
        )
        for code, name in (("115600000", "Зеренді"), ("117600000", "Бурабай"))
    ]
    units, villages = [], {}
    for district in districts:
        for ef in range(31, 31 + UNITS // len(districts)):
            number = len(units) + 1
            unit = AdministrativeUnit.objects.create(
                kato_code=f"{district.kato_code[:4]}{ef:02d}000",
                level=Level.RURAL_DISTRICT,
                name_kk=f"Ауылдық округ {number}",
                name_ru=f"Сельский округ {number}",
                parent=district,
                population=1500 + 20 * number,
                population_year=2021,
            )
            villages[unit.pk] = AdministrativeUnit.objects.create(
                kato_code=f"{district.kato_code[:4]}{ef:02d}100",
                level=Level.VILLAGE,
                name_kk=f"Ауыл {number}",
                name_ru=f"Село {number}",
                parent=unit,
                population=900 + 10 * number,
                population_year=2021,
            )
            units.append(unit)
    staff = User.objects.create_user(email="staff@bench.qatysu.kz", language="en")
    RoleMembership.objects.bulk_create(
        RoleMembership(
            user=staff,
            role=Role.AKIMAT_STAFF,
            unit=unit,
            starts_on=datetime.date(2020, 1, 1),
        )
        for unit in units
    )
    return units, villages, staff


def build_cycles(units, staff) -> list:
    from budgets.services import cycle_open

    dates = phase_dates()
    return [
        cycle_open(unit=unit, fiscal_year=FISCAL_YEAR, actor=staff, dates=dates)
        for unit in units
    ]


def build_residents(units, villages, sizes) -> dict[int, list[int]]:
    """Verified residents of each rural district, enough for five proposals each."""
    from django.utils import timezone

    from accounts.models import Residency, ResidencyStatus, User

    counts = [max(MIN_RESIDENTS, -(-size // PER_PERSON)) for size in sizes]
    joined = NOW - datetime.timedelta(days=120)
    rows = (
        (
            "!bench",
            False,
            FIRST_NAMES[n % len(FIRST_NAMES)],
            LAST_NAMES[n % len(LAST_NAMES)],
            False,
            True,
            joined,
            f"resident{n}@bench.qatysu.kz",
            hashlib.sha256(f"bench-iin-{n}".encode()).hexdigest(),
            f"{n % 10000:04d}",
            "en",
            "",
        )
        for n in range(sum(counts))
    )
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
        ],
        rows,
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
    decided = timezone.localtime(joined) + datetime.timedelta(days=2)
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
                villages[unit_id].pk,
                unit_id,
                ResidencyStatus.VERIFIED,
                joined,
                decided,
                "",
            )
            for unit_id, user_ids in residents.items()
            for user_id in user_ids
        ),
    )
    return residents


def proposal_text(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.001:
        title = RARE_TITLE
    else:
        title = rng.choice(TITLES).format(street=rng.choice(STREETS))
    description = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 8)))
    return title, description


def build_proposals(rng, cycles, sizes, residents, villages) -> None:
    from accounts.models import User
    from budgets.models import BudgetClassification, ClassificationKind
    from portal import search
    from proposals.models import Proposal, ProposalStatus

    functions = list(
        BudgetClassification.objects.filter(
            kind=ClassificationKind.EXPENDITURE, is_active=True
        ).values_list("pk", flat=True)
    )
    assert functions, "the migrations seed the expenditure classification"
    span = (NOW - datetime.timedelta(hours=2) - PROPOSALS_START).total_seconds()
    digests = dict(
        User.objects.filter(email__startswith="resident").values_list(
            "pk", "iin_digest"
        )
    )

    def rows():
        for cycle, size in zip(cycles, sizes, strict=True):
            unit_id = cycle.unit_id
            people = residents[unit_id]
            for j in range(size):
                author = people[j % len(people)]
                title, description = proposal_text(rng)
                draw = rng.random()
                if draw < 0.08:
                    status, submitted = ProposalStatus.DRAFT, None
                else:
                    status = (
                        ProposalStatus.WITHDRAWN
                        if draw < 0.12
                        else ProposalStatus.SUBMITTED
                    )
                    submitted = PROPOSALS_START + datetime.timedelta(
                        seconds=rng.random() * span
                    )
                created = (submitted or NOW) - datetime.timedelta(
                    seconds=rng.random() * 3 * 86400
                )
                place = villages[unit_id].pk if rng.random() < 0.7 else unit_id
                cost = rng.randrange(200_000, 30_000_000, 1000)
                yield (
                    cycle.pk,
                    unit_id,
                    place,
                    rng.choice(STREETS) if rng.random() < 0.5 else "",
                    rng.choice(functions),
                    title,
                    description,
                    cost if rng.random() < 0.8 else None,
                    status,
                    author,
                    digests[author],
                    f"{FIRST_NAMES[author % len(FIRST_NAMES)]} "
                    f"{LAST_NAMES[author % len(LAST_NAMES)][0]}.",
                    created,
                    submitted,
                    search.index_text(title, description),
                    False,
                    "",
                )

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
            "author_iin_digest",
            "author_name",
            "created_at",
            "submitted_at",
            "search_text",
            "is_hidden",
            "hidden_reason",
        ],
        rows(),
    )


def build_supports(rng, cycles, residents) -> None:
    """1,000,000 supports of public proposals, unevenly: a Pareto law, capped by the
    number of residents of the district, each (proposal, resident) once."""
    from proposals.models import Proposal, Support

    public = defaultdict(list)
    for pk, cycle_id, submitted in (
        Proposal.objects.public()
        .order_by("pk")
        .values_list("pk", "cycle", "submitted_at")
    ):
        public[cycle_id].append((pk, submitted))
    total_public = sum(len(rows) for rows in public.values())
    targets, given = [], 0
    for index, cycle in enumerate(cycles):
        if index == len(cycles) - 1:
            targets.append(SUPPORTS - given)
        else:
            targets.append(round(SUPPORTS * len(public[cycle.pk]) / total_public))
            given += targets[-1]

    def counts(size: int, cap: int, total: int) -> list[int]:
        weights = [rng.paretovariate(1.3) for _ in range(size)]
        scale = total / sum(weights)
        made = [min(cap, int(weight * scale)) for weight in weights]
        open_ = [i for i, count in enumerate(made) if count < cap]
        for _ in range(total - sum(made)):
            i = rng.choice(open_)
            made[i] += 1
            if made[i] == cap:
                open_.remove(i)
        return made

    def rows():
        for cycle, target in zip(cycles, targets, strict=True):
            people = residents[cycle.unit_id]
            proposals = public[cycle.pk]
            for (pk, submitted), count in zip(
                proposals, counts(len(proposals), len(people), target), strict=True
            ):
                window = (NOW - submitted).total_seconds()
                for user_id in rng.sample(people, count):
                    yield (
                        pk,
                        user_id,
                        submitted + datetime.timedelta(seconds=rng.random() * window),
                    )

    copy_rows(Support, ["proposal_id", "user_id", "created_at"], rows())


def build_audit_trail() -> None:
    """The events the services write: one per submission, withdrawal and support."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from portal.models import AuditEvent
    from proposals.models import Proposal, Support

    kind = ContentType.objects.get_for_model(Proposal).pk
    events = AuditEvent._meta.db_table
    proposals = Proposal._meta.db_table
    supports = Support._meta.db_table
    columns = "actor_id, verb, target_type_id, target_id, unit_id, details, created_at"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} ({columns}) "  # noqa: S608 (our own table names)
            f"SELECT author_id, 'proposal.submitted', %s, id::text, unit_id, '{{}}'::jsonb, "
            f"submitted_at FROM {proposals} WHERE submitted_at IS NOT NULL "
            f"UNION ALL "
            f"SELECT author_id, 'proposal.withdrawn', %s, id::text, unit_id, '{{}}'::jsonb, "
            f"submitted_at FROM {proposals} WHERE status = 'withdrawn' "
            f"ORDER BY 7",
            [kind, kind],
        )
        cursor.execute(
            f"INSERT INTO {events} ({columns}) "  # noqa: S608 (our own table names)
            f"SELECT s.user_id, 'proposal.supported', %s, s.proposal_id::text, "
            f"p.unit_id, '{{}}'::jsonb, s.created_at FROM {supports} s "
            f"JOIN {proposals} p ON p.id = s.proposal_id ORDER BY s.created_at",
            [kind],
        )


@contextlib.contextmanager
def without_foreign_key_checks():
    """Load without the foreign keys' triggers (a superuser may): the rows are made
    consistent by construction, and checking 2,000,000 references doubles the time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        is_superuser = cursor.fetchone()[0]
        if is_superuser:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if is_superuser:
            with connection.cursor() as cursor:
                cursor.execute("RESET session_replication_role")


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# Measuring.


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, label: str, times: list[float], queries: int) -> None:
        ms = sorted(t * 1000 for t in times)
        p95 = statistics.quantiles(ms, n=20, method="inclusive")[18]
        self.rows.append((label, len(ms), statistics.median(ms), p95, ms[-1], queries))
        print(
            f"  {label:<58} {statistics.median(ms):8.1f} {p95:8.1f} {queries:5d}",
            flush=True,
        )

    def print(self) -> None:
        print()
        print(
            f"{'':<60} {'runs':>5} {'median':>8} {'p95':>8} {'max':>8} {'queries':>8}"
        )
        for label, runs, median, p95, worst, queries in self.rows:
            print(
                f"{label:<60} {runs:5d} {median:8.1f} {p95:8.1f} {worst:8.1f} "
                f"{queries:8d}"
            )
        print("(milliseconds; queries of one run)")


def measure(table: Table, label: str, run, repeats: int, warmup: int = 2) -> None:
    """`run(i)` does the i-th call; calls 0..warmup are not timed, `warmup` is counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(warmup):
        run(i)
    with CaptureQueriesContext(connection) as captured:
        run(warmup)
    # Now: the next request's start clears the log that `captured` reads.
    queries = len(captured.captured_queries)
    times = []
    for i in range(warmup + 1, warmup + 1 + repeats):
        started = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - started)
    table.add(label, times, queries)


def get_ok(client, url: str, expected: str = ""):
    def run(_i: int) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if expected:
            assert expected in response.content.decode(), (url, expected)

    return run


def list_scenarios(typical, big, args, table: Table, resident_client) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from proposals.models import Proposal

    anonymous = Client()
    with translation.override("en"):
        urls = {
            name: reverse(
                "proposals:cycle_list", args=[cycle.unit.kato_code, FISCAL_YEAR]
            )
            for name, cycle in (("typical", typical), ("big", big))
        }
    sizes = {
        name: Proposal.objects.public().filter(cycle=cycle).count()
        for name, cycle in (("typical", typical), ("big", big))
    }
    scenarios = [
        ("typical", "", "newest, page 1"),
        ("typical", "?sort=supported", "most supported, page 1"),
        ("typical", f"?q={WORD}", f"search '{WORD}'"),
        ("big", "", "newest, page 1"),
        ("big", f"?page={DEEP_PAGE}", f"newest, page {DEEP_PAGE}"),
        ("big", "?sort=supported", "most supported, page 1"),
        ("big", f"?sort=supported&page={DEEP_PAGE}", f"most supported, p. {DEEP_PAGE}"),
        ("big", f"?q={WORD}", f"search '{WORD}'"),
        ("big", f"?q={WORD}&sort=supported", f"search '{WORD}', most supported"),
        ("big", f"?q={KAZAKH_WORD}", f"search '{KAZAKH_WORD}'"),
        ("big", f"?q={RARE_WORD}", f"search '{RARE_WORD}' (rare)"),
        ("big", "?status=withdrawn", "status withdrawn"),
        ("big", "?status=submitted&sort=supported", "status submitted, most supported"),
    ]
    for name, query, label in scenarios:
        measure(
            table,
            f"list {name} ({sizes[name]:,}): {label}",
            get_ok(anonymous, urls[name] + query),
            args.repeat,
        )
    measure(
        table,
        f"list big ({sizes['big']:,}): newest, page 1, signed in",
        get_ok(resident_client, urls["big"]),
        args.repeat,
    )
    if args.explain:
        for name, query, label in scenarios:
            if name == "big":
                explain(anonymous, urls[name] + query, label)


def explain(client, url: str, label: str) -> None:
    """EXPLAIN ANALYZE of the queries of a page that take more than 5 ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for query in captured.captured_queries:
        if float(query["time"]) < 0.005 or not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n--- {label} ({query['time']} s)\n{query['sql']}\n{plan}")


def support_scenarios(big, residents, args, table: Table) -> None:
    from django.test import Client

    from accounts.models import User
    from proposals import services
    from proposals.models import Proposal, ProposalStatus, Support

    rng = random.Random(7)
    runs = args.support_runs + 3
    candidates = list(
        Proposal.objects.filter(cycle=big, status=ProposalStatus.SUBMITTED)
        .order_by("?")
        .values_list("pk", flat=True)[: 3 * runs]
    )
    supporters = defaultdict(set)
    for proposal_id, user_id in Support.objects.filter(
        proposal_id__in=candidates
    ).values_list("proposal_id", "user_id"):
        supporters[proposal_id].add(user_id)
    people = residents[big.unit_id]
    pairs = []
    for pk in candidates[:runs]:
        free = [user for user in people if user not in supporters[pk]]
        pairs.append(
            (Proposal.objects.get(pk=pk), User.objects.get(pk=rng.choice(free)))
        )
    before = Support.objects.count()
    measure(
        table,
        f"support_add (service), big cycle, {args.support_runs} fresh pairs",
        lambda i: services.support_add(proposal=pairs[i][0], user=pairs[i][1]),
        args.support_runs,
    )
    assert Support.objects.count() == before + runs

    # One signed-in resident supports proposals they had not supported, through HTTP.
    resident = User.objects.get(pk=people[0])
    mine = set(
        Support.objects.filter(user=resident).values_list("proposal_id", flat=True)
    )
    targets = [pk for pk in candidates[runs:] if pk not in mine][:runs]
    assert len(targets) == runs, "not enough unsupported proposals for the HTTP run"
    client = Client()
    client.force_login(resident)

    def post(i: int) -> None:
        response = client.post(f"/en/proposals/{targets[i]}/support/")
        assert response.status_code == 302, response.status_code

    before = Support.objects.filter(user=resident).count()
    measure(
        table,
        f"POST /en/proposals/<pk>/support/, signed in, {args.support_runs} runs",
        post,
        args.support_runs,
    )
    after = Support.objects.filter(user=resident).count()
    assert after == before + runs, f"{after - before} of {runs} supports were taken"


def detail_scenarios(residents, args, table: Table):
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from proposals.models import Proposal

    top = (
        Proposal.objects.public()
        .annotate(count=Count("supports"))
        .order_by("-count")
        .values_list("pk", "count", "unit_id")
        .first()
    )
    pk, count, unit_id = top
    url = f"/en/proposals/{pk}/"
    measure(
        table,
        f"detail of the most supported ({count:,} supports), anonymous",
        get_ok(Client(), url),
        args.repeat,
    )
    client = Client()
    client.force_login(User.objects.get(pk=residents[unit_id][-1]))
    measure(
        table,
        "detail of the most supported, signed-in resident",
        get_ok(client, url),
        args.repeat,
    )


def sizes_report(started: float, steps: list[tuple[str, float]]) -> None:
    from django.db import connection

    from accounts.models import Residency, User
    from budgets.models import BudgetCycle
    from portal.models import AuditEvent
    from proposals.models import Proposal, Support

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings = []
        for name in ("shared_buffers", "work_mem", "effective_cache_size"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name} {cursor.fetchone()[0]}")
    print(f"\nPostgreSQL {version}: {', '.join(settings)}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"built in {time.perf_counter() - started:.1f} s: ", end="")
    print(", ".join(f"{label} {seconds:.1f} s" for label, seconds in steps))
    with connection.cursor() as cursor:
        for model in (BudgetCycle, User, Residency, Proposal, Support, AuditEvent):
            table = model._meta.db_table
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            size = cursor.fetchone()[0]
            print(f"  {table:<22} {model.objects.count():>10,} rows {size:>10}")
        print(f"  public proposals       {Proposal.objects.public().count():>10,}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per page")
    parser.add_argument(
        "--support-runs", type=int, default=SUPPORT_RUNS, help="timed supports"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of the lists"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, to look into it"
    )
    parser.add_argument(
        "--no-jit",
        action="store_true",
        help="measure with PostgreSQL's JIT compilation off (SET jit = off)",
    )
    args = parser.parse_args()

    return on_fresh_database(
        "bench/proposals.py measures PostgreSQL (its full-text search and planner)",
        "bench_proposals",
        keep=args.keep,
        run=lambda: run(args),
        at=NOW,
    )


def on_fresh_database(why: str, prefix: str, *, keep: bool, run, at=None) -> int:
    """Set Django up on PostgreSQL (DATABASE_URL, or DEFAULT_URL without it), create a
    fresh database of the bench's own (`<prefix>_<pid>`, so that pytest's reused test
    database is left alone), call `run()` in it, at the moment `at` (ticking) if given,
    and drop it unless `keep`. Exit status 2 with another engine."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(POSTGRES_SCHEMES):
        print(
            f"{why}; DATABASE_URL is {url.split(':', 1)[0]}. Run it with a PostgreSQL"
            f" URL, or without DATABASE_URL for {DEFAULT_URL}.",
            file=sys.stderr,
        )
        return 2
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(REPO))

    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.db import connection

    # Eager Celery tasks (the notices of the opened cycles) need not log each run.
    logging.getLogger("celery").setLevel(logging.WARNING)
    # DEBUG off as in production, the test client's host allowed, e-mail kept in memory;
    # not setup_test_environment(), whose instrumented template rendering costs time.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{prefix}_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"{connection.vendor} {connection.settings_dict['NAME']}", flush=True)
        if at is None:
            run()
        else:
            with time_machine.travel(at, tick=True):
                run()
    finally:
        connection.close()
        if keep:
            print(f"kept the database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def run(args) -> None:
    from django.test import Client
    from django.utils import translation

    from accounts.models import User

    rng = random.Random(2026)
    sizes = cycle_sizes(rng)
    started = time.perf_counter()
    steps = []

    def step(label, build, *build_args):
        began = time.perf_counter()
        result = build(*build_args)
        steps.append((label, time.perf_counter() - began))
        print(f"  {label}: {steps[-1][1]:.1f} s", flush=True)
        return result

    with translation.override("en"):
        units, villages, staff = step("territory", build_territory)
        cycles = step("cycles", build_cycles, units, staff)
        residents = step("residents", build_residents, units, villages, sizes)
        with without_foreign_key_checks():
            step("proposals", build_proposals, rng, cycles, sizes, residents, villages)
            step("supports", build_supports, rng, cycles, residents)
            step("audit trail", build_audit_trail)
        step("vacuum analyze", vacuum_analyze)
    sizes_report(started, steps)
    if args.no_jit:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        print("measured with jit = off")

    big = cycles[0]
    typical_index = sorted(range(len(sizes)), key=sizes.__getitem__)[len(sizes) // 2]
    typical = cycles[typical_index]
    resident_client = Client()
    resident_client.force_login(User.objects.get(pk=residents[big.unit_id][1]))

    table = Table()
    print(f"\n  {'':<58} {'median':>8} {'p95':>8} {'queries':>5}")
    list_scenarios(typical, big, args, table, resident_client)
    detail_scenarios(residents, args, table)
    support_scenarios(big, residents, args, table)
    table.print()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
