from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupSessionsConfig(AppConfig):
    """Workshops, digidokter hours, webinars and staff training moments: learning together, next to self-study."""

    name = "group_sessions"
    verbose_name = _("Group sessions")
