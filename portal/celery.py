"""The Celery application and its beat schedule, declared here in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs of every app, in one place.
app.conf.beat_schedule = {
    # Phases change at midnight in Kazakhstan's time; every five minutes keeps the public
    # record within minutes of the clock (what is allowed never waits for it).
    "budgets-cycles-advance": {
        "task": "budgets.tasks.cycles_advance",
        "schedule": 300.0,
    },
}
