"""Background jobs of budgets: announcing the phases the clock has moved."""

from celery import shared_task

from budgets import services


@shared_task
def cycles_advance() -> int:
    """Record every due change of phase and every new overdue; idempotent, safe in parallel."""
    return len(services.cycles_announce())
