"""Background jobs of the maslikhat's vote: closing sessions past their time, reminding
the deputies who have not voted."""

from celery import shared_task

from maslikhat import services


@shared_task
def voting_sessions_close_due() -> int:
    """Close every session past its closing time; idempotent."""
    return services.sessions_close_due()


@shared_task
def voting_sessions_remind() -> int:
    """Remind deputies who have not voted, a day before their session closes."""
    return services.sessions_remind_due()
