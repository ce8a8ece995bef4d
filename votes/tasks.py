"""Background jobs of the residents' vote."""

from celery import shared_task

from votes import services


@shared_task
def votes_tick() -> dict[str, int]:
    """Freeze the votes that have opened and count the ones that have closed; once each."""
    return services.votes_tick()
