"""A real Celery worker on Redis runs a task, and its effect is seen in PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from portal.celery import app
from portal.models import Notification
from portal.services import notification_send
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_worker():
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


def test_the_worker_delivers_a_notification_and_marks_it_in_postgresql(
    real_worker, territory
):
    user = UserFactory(language="kk")

    [notification] = notification_send(
        recipients=[user],
        kind="residency_refused",
        unit=territory["rural_district"],
        context={"reason": "Тіркелімде жоқ"},
    )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at is not None:
            break
        assert real_worker.poll() is None, "the worker died"
        time.sleep(0.25)
    assert notification.emailed_at is not None
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 1
