"""The accounts' periodic jobs (portal/celery.py schedules them): thin, the services do
the work."""

from celery import shared_task

from accounts import services


@shared_task
def text_codes_purge() -> int:
    """Delete the SMS codes past use: they hold a number and serve nothing more."""
    return services.text_codes_purge()
