from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        """ "My learning" (in progress) asks registered providers for assignments; progress never imports us."""
        from progress.assignments import assignment_provider_register

        from .selectors import assigned_items_for

        assignment_provider_register(assigned_items_for)

        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from .privacy import CoachingProvider

        privacy_provider_register(CoachingProvider())

        # Registers the Celery tasks, which the services send by name (learn.queueing.task_named).
        from . import tasks  # noqa: F401
