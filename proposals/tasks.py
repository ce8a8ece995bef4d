"""Background jobs of proposals: starting reviews, reminding reviewers, escalating."""

from celery import shared_task

from proposals import services


@shared_task
def reviews_start() -> int:
    """Put submitted proposals under review once their cycle's proposals have closed."""
    return services.reviews_start()


@shared_task
def reviews_remind() -> int:
    """Remind reviewers three working days before the deadline; once per review."""
    return services.reviews_remind_due()


@shared_task
def reviews_escalate() -> int:
    """Tell the akim of every review past its deadline; once per review."""
    return services.reviews_escalate_due()


@shared_task
def funding_catch_up() -> int:
    """Fund the included proposals of adopted drafts whose signal was missed."""
    return services.funding_catch_up()
