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

        # Hook into the apps below without them knowing us: "My learning", training moments, the figures.
        from coaching.figures import figure_section_register
        from progress.agenda import agenda_provider_register
        from training.moments import moment_attendance_register

        from .attendance import staff_moments_attended
        from .figures import session_figures_section
        from .follow_up import next_session_for

        agenda_provider_register(next_session_for)
        moment_attendance_register(staff_moments_attended)
        figure_section_register(session_figures_section)
