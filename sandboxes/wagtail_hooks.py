"""Scenarios in the Wagtail admin: a snippet with a checked edit form, preview in each mode, and the
list of remaining problems (missing translations) after every save."""

from django.contrib import messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import ScenarioAdminForm
from .models import Scenario
from .selectors import scenario_check


class ScenarioViewSet(SnippetViewSet):
    model = Scenario
    icon = "mobile-alt"
    menu_label = gettext_lazy("Simulators")
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        TitleColumn("title", label=gettext_lazy("Title"), url_name="wagtailsnippets_sandboxes_scenario:edit"),
        Column("slug", label=gettext_lazy("Name in web addresses")),
        Column("locale", label=gettext_lazy("Language")),
        DateColumn("updated_at", label=gettext_lazy("Updated")),
    ]
    list_filter = ["locale"]
    search_fields = ["title", "summary"]
    edit_handler = ObjectList(Scenario.panels, base_form_class=ScenarioAdminForm)


register_snippet(ScenarioViewSet)


def _problems_report(request, instance) -> None:
    if not isinstance(instance, Scenario):
        return
    check = scenario_check(instance)
    if check.translation:
        items = format_html_join("", "<li>{}</li>", ((str(problem),) for problem in check.translation[:30]))
        more = len(check.translation) - 30
        tail = format_html("<li>{}</li>", _("… and %(n)s more.") % {"n": more}) if more > 0 else ""
        messages.warning(request, format_html("{}<ul>{}{}</ul>", _("Saved. Still to do:"), items, tail))


@hooks.register("after_create_snippet")
def scenario_created(request, instance):
    _problems_report(request, instance)


@hooks.register("after_edit_snippet")
def scenario_edited(request, instance):
    _problems_report(request, instance)
