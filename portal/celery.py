"""The Celery application and its beat schedule, declared here in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs of every app, in one place. Later issues add theirs here.
app.conf.beat_schedule = {}
