"""The clock's jobs on the national day, run by bench/national.py on a copy of the national
data set (DATABASE_URL) with Celery's messages sent to a Redis database of the bench's
(REDIS_URL), as a worker's beat would run them:

1. 1 November 2026, 00:10: every 2027 cycle has left its proposals phase (cycles_advance,
   whose signal starts the reviews of all submitted proposals; then reviews_start, the
   catch-up, which finds nothing left);
2. the reminder day: every review's deadline three working days away (reviews_remind);
3. the day after the deadline, 95% of the reviews completed: the other 5% overdue
   (reviews_escalate);
4. 1 January 2027, 00:10: every 2027 cycle, its later phases passed, enters execution and
   every 2026 cycle ends (cycles_advance).

Each job's seconds, SQL statements and Celery messages are printed; a statement still
running after TIMEOUT seconds is stopped, and the job said to have been stopped.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALMATY = datetime.timezone(datetime.timedelta(hours=5))
TIMEOUT = 180  # seconds: a statement still running then is stopped, and said so


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    sys.path.insert(0, str(REPO))
    import logging

    import django

    django.setup()
    import redis
    import time_machine
    from django.conf import settings
    from django.db import OperationalError, connection

    from budgets.tasks import cycles_advance
    from portal import workdays
    from proposals.models import Review
    from proposals.tasks import reviews_escalate, reviews_remind, reviews_start

    logging.getLogger("celery").setLevel(logging.WARNING)
    settings.DEBUG = False
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [f"{TIMEOUT}s"])
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])

    def messages() -> int:
        return sum(
            broker.llen(key) for key in broker.keys("*") if broker.type(key) == b"list"
        )

    # With BENCH_STATEMENTS=N, each job's N slowest statements are printed under it.
    statements = int(os.environ.get("BENCH_STATEMENTS", "0"))
    print(f"{'job':<58} {'seconds':>8} {'queries':>8} {'messages':>9}  result")

    def run(label: str, moment: datetime.datetime, job) -> None:
        before = messages()
        count = 0

        slowest = []

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                slowest.append((time.perf_counter() - started, " ".join(sql.split())))

        with (
            time_machine.travel(moment, tick=True),
            connection.execute_wrapper(counted),
        ):
            started = time.perf_counter()
            try:
                result = job()
            except OperationalError as error:
                # A statement over the bench's limit: the job never finishes.
                result = f"stopped: {str(error).splitlines()[0]}"
            elapsed = time.perf_counter() - started
        print(
            f"{label:<58} {elapsed:8.2f} {count:8d} {messages() - before:9d}  {result}",
            flush=True,
        )
        if statements:
            for seconds, sql in sorted(slowest, reverse=True)[:statements]:
                print(f"    {seconds:6.2f} s  {sql[:110]}")

    def at(year, month, day, hour=0, minute=10):
        return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)

    run("cycles_advance: every proposals phase closes", at(2026, 11, 1), cycles_advance)
    run("reviews_start: the catch-up after it", at(2026, 11, 1, 0, 20), reviews_start)

    deadline = (
        Review.objects.filter(completed_at=None, proposal__cycle__fiscal_year=2027)
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )
    day = datetime.date(2026, 11, 2)
    while workdays.add_working_days(day, 3) < deadline:
        day += datetime.timedelta(days=1)
    run(
        f"reviews_remind: every review due {deadline} (on {day})",
        at(day.year, day.month, day.day, 9),
        reviews_remind,
    )

    after = deadline + datetime.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Review._meta.db_table} SET completed_at = %s, "  # noqa: S608
            "assessment = 'recommended', is_within_competence = true "
            "WHERE completed_at IS NULL AND id %% 20 <> 0",
            [at(deadline.year, deadline.month, deadline.day, 12)],
        )
    run(
        "reviews_escalate: 5% of the reviews overdue",
        at(after.year, after.month, after.day, 9),
        reviews_escalate,
    )
    run("cycles_advance: every cycle enters execution", at(2027, 1, 1), cycles_advance)
    return 0


if __name__ == "__main__":
    sys.exit(main())
