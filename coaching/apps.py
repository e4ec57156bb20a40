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
