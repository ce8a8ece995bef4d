"""A real Celery worker on Redis runs a task, and its effect is seen in PostgreSQL."""

import time

import pytest

from portal.models import Notification
from portal.services import notification_send
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


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
