from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")

    def ready(self):
        from progress.activities import activity_kind_register, activity_resolver_register

        from . import signals  # noqa: F401  (connects the page-cache invalidation)
        from .activities import QUESTION_KIND, lesson_activity_resolve

        activity_resolver_register(lesson_activity_resolve)
        activity_kind_register(QUESTION_KIND)

        # Its part of the data download and of the erasure (accounts.privacy).
        from accounts.privacy import privacy_provider_register

        from .privacy import ContentProvider

        privacy_provider_register(ContentProvider())
