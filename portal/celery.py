"""The Celery application and its beat schedule, declared here in one place."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs of every app, in one place.
app.conf.beat_schedule = {
    # E-mails whose task was lost (a broker down at the commit) are queued again.
    "portal-notifications-deliver-pending": {
        "task": "portal.tasks.notifications_deliver_pending",
        "schedule": 600.0,
    },
    # Phases change at midnight in Kazakhstan's time; every five minutes keeps the public
    # record within minutes of the clock (what is allowed never waits for it).
    "budgets-cycles-advance": {
        "task": "budgets.tasks.cycles_advance",
        "schedule": 300.0,
    },
    # Ballots after the closing time are refused whatever the job's delay; the job only
    # records the close and its consequences.
    "maslikhat-voting-sessions-close": {
        "task": "maslikhat.tasks.voting_sessions_close_due",
        "schedule": 60.0,
    },
    "maslikhat-voting-sessions-remind": {
        "task": "maslikhat.tasks.voting_sessions_remind",
        "schedule": 900.0,
    },
    # The review of proposals starts as soon as a cycle leaves the proposals phase (the
    # signal does it at once; this catches up after a failure).
    "proposals-reviews-start": {
        "task": "proposals.tasks.reviews_start",
        "schedule": 300.0,
    },
    "proposals-funding-catch-up": {
        "task": "proposals.tasks.funding_catch_up",
        "schedule": 300.0,
    },
    "proposals-reviews-remind": {
        "task": "proposals.tasks.reviews_remind",
        "schedule": 3600.0,
    },
    "proposals-reviews-escalate": {
        "task": "proposals.tasks.reviews_escalate",
        "schedule": 3600.0,
    },
    # A residents' vote opens and closes at midnight; a ballot after the close is refused
    # whatever the job's delay: the job freezes the ballot and records the count.
    "votes-tick": {
        "task": "votes.tasks.votes_tick",
        "schedule": 60.0,
    },
    # SMS codes past use hold a phone number and serve nothing: deleted a day after.
    "accounts-text-codes-purge": {
        "task": "accounts.tasks.text_codes_purge",
        "schedule": 3600.0,
    },
}


@app.on_after_configure.connect
def schedule_from_settings(sender, **kwargs):
    """The jobs whose interval is a setting, added once Django's settings are read."""
    from django.conf import settings

    # The dashboards' figures are computed again after any act in their units; the
    # page states the interval.
    sender.conf.beat_schedule["portal-dashboards-refresh"] = {
        "task": "portal.tasks.dashboards_refresh",
        "schedule": 60.0 * settings.QATYSU_DASHBOARD_REFRESH_MINUTES,
    }
