"""The load of bench/national.py: the portal served by gunicorn at a fixed clock, each
page loaded by Debian's wrk, the server's times and queries read from its access log, and
the table printed."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import re
import signal
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: a CSRF secret
# The server's keys, which the sessions the bench writes for it are signed with.
SECRET_KEY = "bench-national-" + "x" * 50
IIN_HASH_KEY = "bench-national-iin-key-0123456789"
LOG_FORMAT = "%(m)s %(U)s%(q)s %(s)s %(D)s %({x-queries}o)s"


# The server.


def server_environment(url: str, now: datetime.datetime, redis: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=SECRET_KEY,
        IIN_HASH_KEY=IIN_HASH_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=url,
        REDIS_URL=redis,
        CELERY_TASK_ALWAYS_EAGER="false",
        # One client address makes every request of the load: the API's per-client
        # limit would otherwise refuse most of them.
        QATYSU_API_ANON_RATE="100000000/minute",
        QATYSU_API_USER_RATE="100000000/minute",
        BENCH_NOW=now.isoformat(),
        DJANGO_SETTINGS_MODULE="benchserver.settings",
        PYTHONPATH=f"{BENCH}{os.pathsep}{REPO}",
    )
    return env


@contextlib.contextmanager
def served(url: str, now, redis: str, workers: int, log: Path):
    log.write_text("")
    process = subprocess.Popen(
        [
            str(REPO / ".venv/bin/gunicorn"),
            "benchserver.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            str(log),
            "--access-logformat",
            LOG_FORMAT,
            "--error-logfile",
            str(log.with_suffix(".errors")),
            "--log-level",
            "warning",
            "--chdir",
            str(REPO),
        ],
        env=server_environment(url, now, redis),
    )
    try:
        for _ in range(120):
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{BASE}/bench/ready/", timeout=2),  # noqa: S310
            ):
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"gunicorn did not start: {log.with_suffix('.errors')}")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


# The load.


class Scenario:
    def __init__(
        self,
        name: str,
        path: str = "",
        *,
        cookie="",
        script="",
        ok=(200,),
        written=None,
    ):
        self.name, self.path, self.cookie, self.script, self.ok = (
            name,
            path,
            cookie,
            script,
            ok,
        )
        # For an action: how many rows it has written so far.
        self.written = written


def wrk(scenario: Scenario, seconds: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
    ]
    if scenario.cookie:
        command += ["-H", f"Cookie: {scenario.cookie}"]
    if scenario.script:
        command += ["-s", scenario.script]
    command.append(BASE + (scenario.path or "/"))
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", output)
    unit = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[transfer.group(2)]
    return {"rate": rate, "bytes_per_second": float(transfer.group(1)) * unit}


def server_figures(log: Path, offset: int, ok) -> tuple[dict, int]:
    with log.open() as file:
        file.seek(offset)
        lines = file.read().splitlines()
        end = file.tell()
    times, queries, bad = [], [], {}
    for line in lines:
        parts = line.split()
        if len(parts) < 4:
            continue
        status, micros = int(parts[2]), int(parts[3])
        times.append(micros / 1000)
        if len(parts) > 4 and parts[4].isdigit():
            queries.append(int(parts[4]))
        if status not in ok:
            bad[status] = bad.get(status, 0) + 1
    times.sort()
    return {
        "responses": len(times),
        "p50": statistics.median(times) if times else 0,
        "p95": times[int(0.95 * (len(times) - 1))] if times else 0,
        "queries": statistics.median(queries) if queries else 0,
        "refused": bad,
    }, end


def measure(scenarios, args, log: Path, results: dict) -> None:
    for scenario in scenarios:
        with log.open() as file:
            offset = file.seek(0, os.SEEK_END)
        before = scenario.written() if scenario.written else 0
        figures = wrk(scenario, args.seconds, args.connections)
        time.sleep(0.5)  # the last lines of the access log
        server, _ = server_figures(log, offset, scenario.ok)
        results[scenario.name] = {**figures, **server}
        print_row(scenario.name, results[scenario.name], results)
        if scenario.written:
            written = scenario.written() - before
            results[scenario.name]["written"] = written
            print(
                f"{'':<4}{written} written for {server['responses']} responses;"
                f" {exact_counts()}",
                flush=True,
            )


def exact_counts() -> str:
    """Whether every count the portal keeps is its recount (manage.py check_aggregates)."""
    from django.core.management import CommandError, call_command

    try:
        call_command("check_aggregates", stdout=io.StringIO())
    except CommandError as error:
        if "Unknown command" in str(error):
            return "the portal keeps no counts"
        return f"kept counts differ: {error}"
    return "every kept count is its recount"


def print_header() -> None:
    print(
        f"\n{'page':<52} {'req/s':>8} {'vs bare':>8} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'queries':>7}  refused",
        flush=True,
    )


def print_row(name: str, row: dict, results: dict) -> None:
    bare = results.get("bare view (10 KB template)", {}).get("rate")
    ratio = f"{100 * row['rate'] / bare:.1f}%" if bare else "-"
    extra = ""
    if row.get("bytes_per_second", 0) > 1024**2:
        extra = f" ({row['bytes_per_second'] / 1024**2:.1f} MB/s)"
    refused = ", ".join(f"{n}×{status}" for status, n in row["refused"].items()) or "-"
    print(
        f"{name:<52} {row['rate']:8.1f} {ratio:>8} {row['p50']:8.1f} {row['p95']:8.1f}"
        f" {row['queries']:7.0f}  {refused}{extra}",
        flush=True,
    )


def lua_requests(path: Path, requests: list[tuple[str, str, str]]) -> str:
    """A wrk script that sends each (path, cookie, body) POST once, spread over the
    threads, then the last again (refused: counted apart)."""
    entries = ",\n".join(
        f"{{{json.dumps(p)}, {json.dumps(c)}, {json.dumps(b)}}}" for p, c, b in requests
    )
    path.write_text(
        "local requests = {\n" + entries + "\n}\n"
        "local counter = 1\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  thread:set('id', threads)\n"
        "  threads = threads + 1\n"
        "end\n"
        "function init(args)\n"
        "  counter = 1 + id\n"
        "end\n"
        "function request()\n"
        "  local entry = requests[counter]\n"
        "  if entry == nil then entry = requests[#requests] end\n"
        "  counter = counter + 2\n"
        "  return wrk.format('POST', entry[1], {\n"
        "    ['Cookie'] = entry[2],\n"
        f"    ['X-CSRFToken'] = '{CSRF}',\n"
        "    ['Content-Type'] = 'application/x-www-form-urlencoded',\n"
        "  }, entry[3])\n"
        "end\n"
    )
    return str(path)


def cookie(session: str) -> str:
    return f"sessionid={session}; csrftoken={CSRF}"
