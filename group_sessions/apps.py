from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupSessionsConfig(AppConfig):
    """Workshops, digidokter hours, webinars and staff training moments: learning together, next to self-study."""

    name = "group_sessions"
    verbose_name = _("Group sessions")

    def ready(self):
        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from . import receivers  # noqa: F401  (the sign-in messages)
        from .privacy import GroupSessionsProvider

        privacy_provider_register(GroupSessionsProvider())
