from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress")

    def ready(self):
        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from .privacy import ProgressProvider

        privacy_provider_register(ProgressProvider())

        from .cache_signals import connect

        connect()
