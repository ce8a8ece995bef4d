from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaslikhatConfig(AppConfig):
    name = "maslikhat"
    verbose_name = _("The maslikhat's votes")

    def ready(self) -> None:
        from maslikhat import dashboard, extensions, notifications, opendata  # noqa: F401
