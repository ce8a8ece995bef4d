"""The Qatysu project: settings, URLs, Celery, the territorial registry and the shell."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
