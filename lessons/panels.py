"""Editor panels of lesson pages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class LessonChecksPanel(Panel):
    """Readability and accessibility checks of the lesson as it was last saved (lessons/checks.py).

    It reads the page the editor opened, which is the latest revision, so every save (or preview
    reload of the edit view) shows fresh results. It changes nothing and never blocks saving.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Checks: readability and accessibility"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "lessons/admin/lesson_checks_panel.html"

        def get_context_data(self, parent_context=None):
            from .checks import lesson_report

            context = super().get_context_data(parent_context)
            page = self.instance
            context["report"] = lesson_report(page) if page is not None and page.pk else None
            return context
