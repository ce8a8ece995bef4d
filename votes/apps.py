from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = _("Residents' vote")

    def ready(self) -> None:
        from votes import dashboard, extensions, notifications, opendata  # noqa: F401
