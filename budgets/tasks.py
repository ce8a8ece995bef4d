"""Background jobs of budgets: announcing the phases the clock has moved."""

from celery import shared_task

from budgets import services


@shared_task
def cycles_advance() -> int:
    """Record every due change of phase and every new overdue; idempotent, safe in parallel."""
    return len(services.cycles_announce())


@shared_task
def voting_sessions_close_due() -> int:
    """Close every session past its closing time; idempotent."""
    return services.sessions_close_due()


@shared_task
def voting_sessions_remind() -> int:
    """Remind deputies who have not voted, a day before their session closes."""
    return services.sessions_remind_due()
