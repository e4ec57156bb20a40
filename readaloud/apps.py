from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadAloudConfig(AppConfig):
    name = "readaloud"
    verbose_name = _("Read aloud")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (publishing a lesson or saving a scenario makes its clips)
