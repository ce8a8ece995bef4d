"""The integration tests' real Celery worker: a process on Redis that writes to PostgreSQL."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_worker():
    """A Celery worker process on Redis, on a queue of its own, writing to the test's
    PostgreSQL database; tasks sent from the test go to it instead of running eagerly."""
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        message = "needs DATABASE_URL on PostgreSQL and REDIS_URL"
        if os.environ.get("QATYSU_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    db = connection.settings_dict
    queue = f"qatysu-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        ),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    eager, default_queue = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        yield worker
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = eager, default_queue
        worker.terminate()
        worker.wait(timeout=20)
