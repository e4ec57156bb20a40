"""Departments, teams and programmes in the Wagtail admin (one "Staff training" menu).

Saving a programme enrols the staff of its departments at once (after the commit, in a task), instead
of waiting for the daily reminder run.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learn.queueing import send_after_commit

from .models import Department, Programme, Team
from .tasks import enrolments_sync


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "list-ol"
    menu_label = _("Programmes")
    list_display = ["title", "created_at"]
    search_fields = ["title"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name"]
    search_fields = ["name"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "user"
    menu_label = _("Teams")
    list_display = ["name", "department"]
    list_filter = ["department"]
    search_fields = ["name"]


class TrainingViewSetGroup(SnippetViewSetGroup):
    items = (ProgrammeViewSet, DepartmentViewSet, TeamViewSet)
    menu_icon = "clipboard-list"
    menu_label = _("Staff training")
    menu_order = 220


register_snippet(TrainingViewSetGroup)


def _enrol_after_save(request, instance):
    if isinstance(instance, Programme):
        # Broker away: the daily reminder run enrols new staff first (training.reminders_run).
        send_after_commit(enrolments_sync)


hooks.register("after_create_snippet", _enrol_after_save)
hooks.register("after_edit_snippet", _enrol_after_save)
