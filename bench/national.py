"""The portal at national scale, served by gunicorn and loaded by wrk, side by side with a
bare Django view in the same run; and the clock's jobs on the day the whole country moves.

    .venv/bin/python bench/national.py [--rebuild] [--seconds S] [--connections N]
                                       [--workers N] [--only NAME,...] [--no-jobs]
                                       [--no-pages]

PostgreSQL only. The data set (bench/national_data.py: the real classifier, 2,363 units
with their own budget, a 2026 cycle each adopted and in execution and a 2027 cycle each in
its proposals phase, 200,000 proposals, 2,000,000 supports, 1,000,000 comments) is built
once into `<name>_national` beside the database of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/qatysu) and kept between runs; --rebuild builds it anew.

The pages: gunicorn (--workers sync workers, 4 by default) serves the portal with its
production settings and persistent connections as configured (DATABASE_CONN_MAX_AGE in the
environment, as production would set it), the clock at 20 October 2026 (ticking) in
every worker (bench/benchserver/). Debian's wrk loads each page for --seconds with
--connections connections (2 threads); first the references, a Django view rendering a
10 KB template and the same with one PostgreSQL query. Supports and ballots are POSTs by
signed-in residents, each a different (proposal, resident) pair or voter, made by a
generated Lua script; the ballots run on a second server at 18 November 2026, the vote
open. Printed per page: requests per second and its ratio to the bare view, the server's
p50 and p95 (gunicorn's access log, the time from the request read to the response
written), the median number of SQL statements per response (a middleware's header), and
the responses that were not 200 (or 302 for the actions). What the actions wrote is
deleted afterwards, so that the data set stays as built.

The clock's jobs run on a copy of the data set (CREATE DATABASE ... TEMPLATE), each at the
moment it has the most to do: the day every 2027 cycle leaves its proposals phase
(cycles_advance), the reminder day of every review (reviews_remind), the deadline passed
for 5% of the reviews (reviews_escalate), and the day every cycle enters execution
(cycles_advance). Printed: seconds and SQL statements of each, the Celery messages it sent
(to a Redis database of the bench's own, emptied after).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from national_load import (
    IIN_HASH_KEY,
    SECRET_KEY,
    Scenario,
    cookie,
    lua_requests,
    measure,
    print_header,
    served,
    server_environment,
)

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qatysu"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://", "postgis://")


def national_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "qatysu"
    return urlunsplit(parts._replace(path=f"/{name}_national"))


def admin_connection(url: str):
    """A connection to the server's maintenance database, to create and drop ours."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def database_exists(url: str, name: str) -> bool:
    with admin_connection(url) as connection:
        return (
            connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            is not None
        )


def recreate_database(url: str, name: str, template: str | None = None) -> None:
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str, name: str) -> None:
    with admin_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ["DJANGO_SECRET_KEY"] = SECRET_KEY
    os.environ["IIN_HASH_KEY"] = IIN_HASH_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(REPO))
    import logging

    import django

    django.setup()
    from django.conf import settings

    logging.getLogger("celery").setLevel(logging.WARNING)
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def sessions_for(users) -> dict[int, str]:
    """A signed-in session for each user, as the sign-in would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    expires = timezone.now() + datetime.timedelta(days=30)
    rows, keys = [], {}
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=key, session_data=store.encode(data), expire_date=expires
            )
        )
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def scenarios(args, work: Path) -> tuple[list[Scenario], list[Scenario], dict]:
    """The pages measured at the pages' clock, the ballot at the vote's, and what the
    actions will have written (to delete it afterwards)."""
    import random

    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import User
    from budgets.models import BudgetCycle, DraftBudget
    from portal.models import AuditEvent
    from proposals.models import Proposal, Support
    from votes.models import Ballot, Vote

    rng = random.Random(7)
    big = (
        BudgetCycle.objects.filter(fiscal_year=2027)
        .select_related("unit__parent__parent")
        .order_by("unit__kato_code")
        .first()
    )
    unit, district, region = big.unit, big.unit.parent, big.unit.parent.parent
    old = BudgetCycle.objects.get(unit=unit, fiscal_year=2026)
    draft = DraftBudget.objects.filter(cycle=old).order_by("-version").first()
    code = unit.kato_code
    most_supported = (
        Support.objects.filter(proposal__cycle=big)
        .values("proposal")
        .annotate(n=Count("*"))
        .order_by("-n")
        .first()
    )
    proposal_url = reverse("proposals:detail", args=[most_supported["proposal"]])
    cycle_list = reverse("proposals:cycle_list", args=[code, 2027])

    resident_ids = list(
        User.objects.filter(residencies__budget_unit=unit)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    supporters = User.objects.filter(pk__in=resident_ids[:400])
    keys = sessions_for(supporters)
    # What a resident may support: the submitted proposals, not hidden.
    public = list(
        Proposal.objects.filter(
            cycle=big, status="submitted", is_hidden=False
        ).values_list("pk", flat=True)
    )
    taken = set(
        Support.objects.filter(user__in=list(keys)).values_list(
            "user_id", "proposal_id"
        )
    )
    pairs = []
    users = list(keys)
    while len(pairs) < 60_000:
        user, proposal = rng.choice(users), rng.choice(public)
        if (user, proposal) not in taken:
            taken.add((user, proposal))
            pairs.append(
                (reverse("proposals:support", args=[proposal]), cookie(keys[user]), "")
            )
    support_script = lua_requests(work / "support.lua", pairs)

    vote = Vote.objects.get(cycle=big)
    projects = list(vote.projects.order_by("pk").values_list("pk", flat=True))
    voters = User.objects.filter(pk__in=resident_ids[400:])
    voter_keys = sessions_for(voters)
    ballot_url = reverse("votes:ballot", args=[code, 2027])
    ballots = []
    for user in voter_keys:
        marked = rng.sample(projects, rng.randint(1, 3))
        body = "&".join(f"projects={pk}" for pk in marked) + "&confirm=1"
        ballots.append((ballot_url, cookie(voter_keys[user]), body))
    ballot_script = lua_requests(work / "ballot.lua", ballots)
    signed_in = cookie(next(iter(keys.values())))

    pages = [
        Scenario("bare view (10 KB template)", "/bench/bare/"),
        Scenario("bare view + 1 PostgreSQL query", "/bench/bare-query/"),
        Scenario("proposals of the biggest cycle: newest", cycle_list),
        Scenario(
            "proposals of the biggest cycle: most supported",
            cycle_list + "?sort=supported",
        ),
        Scenario(
            "proposals of the biggest cycle: search",
            cycle_list + "?q=%D0%BF%D0%BB%D0%BE%D1%89%D0%B0%D0%B4%D0%BA%D0%B0",
        ),
        Scenario("proposals: newest, page 40", cycle_list + "?page=40"),
        Scenario("proposals, signed in", cycle_list, cookie=signed_in),
        Scenario("the most supported proposal", proposal_url),
        Scenario(
            "the most supported proposal, signed in", proposal_url, cookie=signed_in
        ),
        Scenario("unit page", reverse("portal:unit_detail", args=[code])),
        Scenario(
            "draft page (2026, adopted)",
            reverse("budgets:draft_detail", args=[code, 2026, draft.version]),
        ),
        Scenario(
            "execution page (2026)", reverse("budgets:execution", args=[code, 2026])
        ),
        Scenario("dashboard: unit", reverse("portal:dashboard", args=[code, 2026])),
        Scenario(
            "dashboard: district",
            reverse("portal:dashboard", args=[district.kato_code, 2026]),
        ),
        Scenario(
            "dashboard: region",
            reverse("portal:dashboard", args=[region.kato_code, 2026]),
        ),
        Scenario(
            "API: proposals of the biggest unit", f"/api/v1/proposals/?unit={code}"
        ),
        Scenario("API: units", "/api/v1/units/"),
        Scenario(
            "proposals.csv of the biggest cycle",
            reverse("budgets:dataset_csv", args=[code, 2027, "proposals"]),
        ),
        Scenario(
            "support (POST)",
            "/",
            script=support_script,
            ok=(302,),
            written=lambda: Support.objects.filter(user__in=list(keys)).count(),
        ),
    ]
    votes = [
        Scenario(
            "ballot (POST, confirmed)",
            "/",
            script=ballot_script,
            ok=(302,),
            written=lambda: Ballot.objects.filter(vote=vote).count(),
        )
    ]
    snapshot = {
        "support": Support.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "audit": AuditEvent.objects.order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
        "vote": vote.pk,
    }
    return pages, votes, snapshot


def restore(snapshot: dict) -> None:
    """Delete what the actions wrote, so that the next run measures the same data."""
    from django.contrib.sessions.models import Session
    from django.core.management import CommandError, call_command

    from portal.models import AuditEvent, Notification
    from proposals.models import Support
    from votes.models import Ballot

    Support.objects.filter(pk__gt=snapshot["support"]).delete()
    # The counts the supports changed, set back to the supports left.
    with contextlib.suppress(CommandError):  # (a portal without kept counts)
        call_command("check_aggregates", "--repair", stdout=io.StringIO())
    Ballot.objects.filter(vote_id=snapshot["vote"]).delete()
    AuditEvent.objects.filter(pk__gt=snapshot["audit"]).delete()
    Notification.objects.all().delete()
    Session.objects.all().delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--only", default="", help="names containing these, comma-separated"
    )
    parser.add_argument("--no-jobs", action="store_true", help="skip the clock's jobs")
    parser.add_argument("--no-pages", action="store_true", help="skip the pages")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(POSTGRES_SCHEMES):
        print(
            f"PostgreSQL only; DATABASE_URL is {url.split(':', 1)[0]}.", file=sys.stderr
        )
        return 2
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    national = national_url(url)
    name = db_name(national)

    sys.path.insert(0, str(BENCH))
    import national_data

    fresh = args.rebuild or not database_exists(url, name)
    if fresh:
        recreate_database(url, name)
    django_setup(national)
    from django.core.management import call_command
    from django.db import connection

    if not fresh and not national_data.is_built():
        connection.close()
        recreate_database(url, name)
        fresh = True
    # A kept data set takes the migrations written since it was built.
    call_command("migrate", verbosity=0)
    if fresh:
        print(f"Building the national data set into {name}:", flush=True)
        national_data.build()
    report_sizes()

    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    work = REPO / "bench" / ".work"
    work.mkdir(exist_ok=True)
    if not args.no_pages:
        run_pages(args, national, redis, work)
    if not args.no_jobs:
        connection.close()
        run_jobs(url, name, redis)
    return 0


def report_sizes() -> None:
    from budgets.models import BudgetCycle
    from portal.models import AdministrativeUnit
    from proposals.models import Proposal, ProposalComment, Support

    print(
        f"Data: {AdministrativeUnit.objects.count():,} units, "
        f"{BudgetCycle.objects.count():,} cycles, {Proposal.objects.count():,} proposals, "
        f"{Support.objects.count():,} supports, "
        f"{ProposalComment.objects.count():,} comments",
        flush=True,
    )


def run_pages(args, national: str, redis: str, work: Path) -> None:
    import national_data
    from django.db import connection

    env = server_environment(national, national_data.PAGES_AT, redis)
    subprocess.run(
        [
            str(REPO / ".venv/bin/python"),
            "manage.py",
            "collectstatic",
            "--noinput",
            "-v0",
        ],
        cwd=REPO,
        env=env,
        check=True,
    )
    pages, votes, snapshot = scenarios(args, work)
    only = [part for part in args.only.split(",") if part]
    if only:
        keep = lambda s: s.name.startswith("bare") or any(o in s.name for o in only)  # noqa: E731
        pages, votes = [s for s in pages if keep(s)], [s for s in votes if keep(s)]
    connection.close()
    log = work / "access.log"
    results: dict = {}
    print(
        f"\ngunicorn: {args.workers} workers; wrk: {args.connections} connections,"
        f" {args.seconds} s a page; DATABASE_CONN_MAX_AGE="
        f"{os.environ.get('DATABASE_CONN_MAX_AGE', '(the default)')}",
        flush=True,
    )
    print_header()
    try:
        with served(national, national_data.PAGES_AT, redis, args.workers, log):
            measure(pages, args, log, results)
        if votes:
            with served(national, national_data.VOTE_AT, redis, args.workers, log):
                measure(votes, args, log, results)
    finally:
        restore(snapshot)
        flush_redis(redis)
    (work / "pages.json").write_text(json.dumps(results, indent=1))


def flush_redis(redis: str) -> None:
    import redis as redis_library

    redis_library.Redis.from_url(redis).flushdb()


# The clock's jobs.


def run_jobs(url: str, name: str, redis: str) -> None:
    print("\nThe clock's jobs on a copy of the data set:", flush=True)
    copy = f"{name}_jobs"
    from django.db import connection

    connection.close()
    recreate_database(url, copy, template=name)
    try:
        subprocess.run(
            [str(REPO / ".venv/bin/python"), str(BENCH / "national_jobs.py")],
            env={
                **os.environ,
                "DATABASE_URL": national_url(url) + "_jobs",
                "REDIS_URL": redis,
            },
            check=True,
        )
    finally:
        drop_database(url, copy)
        flush_redis(redis)


if __name__ == "__main__":
    sys.exit(main())
