"""Acts at the same moment on PostgreSQL: the module fixture that requires it and keeps its
seeded rows, and the runner that releases calls together from their own connections."""

from __future__ import annotations

import contextlib
import os
import queue
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from portal.errors import DomainError


def postgresql_required(why: str):
    """A module fixture for tests that need PostgreSQL's row locks and unique indexes;
    SQLite has one writer at a time and says nothing about them. With
    QATYSU_REQUIRE_SERVICES=1 (CI) a missing PostgreSQL fails the tests instead.

    The rows the migrations seeded are kept (`seeded_rows_kept`).
    """

    @pytest.fixture(scope="module")
    def postgresql(django_db_blocker):
        if connection.vendor != "postgresql":
            message = f"{why}: set DATABASE_URL to PostgreSQL"
            if os.environ.get("QATYSU_REQUIRE_SERVICES") == "1":
                pytest.fail(message)
            pytest.skip(message)
        with seeded_rows_kept(django_db_blocker):
            yield

    return postgresql


@contextlib.contextmanager
def seeded_rows_kept(django_db_blocker):
    """Around transactional tests: a transactional test ends by emptying every table, the
    rows the migrations seeded too; they are put back, so that the tests after them (and
    the next run with --reuse-db) find them."""
    # The seeded rows as they are before these tests, taken here rather than from the
    # connection's serialized copy, which a worker that has run the browser tests (in
    # another context of the same thread) may not hold.
    with django_db_blocker.unblock():
        seeded = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        # Whatever the last test's flush left (it recreates content types when the
        # connection holds no serialized copy), the tables are emptied and refilled.
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )
        connection.creation.deserialize_db_from_string(seeded)


def at_once(calls, *, workers: int | None = None, while_running=None, timeout=60.0):
    """Run the calls in `workers` threads (one per call unless told), each with its own
    connection, released together by a barrier and taking the calls in order; return
    what they returned, the codes of their refusals, and anything else raised.
    `while_running` is called in this thread once the threads have started."""
    workers = min(workers or len(calls), len(calls))
    pending = queue.SimpleQueue()
    for call in calls:
        pending.put(call)
    start = threading.Barrier(workers)
    results, refusals, errors = [], [], []

    def work():
        try:
            start.wait(timeout=timeout)
            while True:
                try:
                    call = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    results.append(call())
                except DomainError as refusal:
                    refusals.append(refusal.code)
                except Exception as error:
                    errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _index in range(workers)]
    for thread in threads:
        thread.start()
    if while_running is not None:
        while_running()
    for thread in threads:
        thread.join(timeout=timeout)
    assert [thread.is_alive() for thread in threads] == [False] * workers
    return results, refusals, errors
