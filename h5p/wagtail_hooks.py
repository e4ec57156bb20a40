"""H5P in the Wagtail admin: the upload and status screens, a menu item, and the snippet registration.

H5PContent is a snippet so `SnippetChooserBlock("h5p.H5PContent")` can choose it; its generic "add"
screen forwards to the upload screen (only the import service may create exercises) and its edit form
changes the title only. The chooser lists ready exercises only. Deleting an exercise also deletes its unpacked files; shared libraries stay.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .admin_views import can_view
from .models import H5PContent, ImportStatus
from .services import content_files_delete


class ReadyOnly:
    """The chooser offers only exercises that passed their check: a lesson cannot embed a rejected one."""

    def get_object_list(self):
        return super().get_object_list().filter(status=ImportStatus.READY)


class H5PChooseView(ReadyOnly, ChooseView):
    pass


class H5PChooseResultsView(ReadyOnly, ChooseResultsView):
    pass


class H5PChooserViewSet(SnippetChooserViewSet):
    choose_view_class = H5PChooseView
    choose_results_view_class = H5PChooseResultsView


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "code"
    menu_label = _("H5P exercises")
    list_display = ["title", "status", "uploaded_at"]
    list_filter = ["status"]
    form_fields = ["title"]
    chooser_viewset_class = H5PChooserViewSet

    @property
    def add_view(self):
        return RedirectView.as_view(pattern_name="h5p_admin:upload")


register_snippet(H5PContentViewSet)


@hooks.register("register_admin_urls")
def h5p_admin_urls():
    return [path("h5p/", include((admin_urls, "h5p_admin"), namespace="h5p_admin"))]


class H5PMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


@hooks.register("register_admin_menu_item")
def h5p_menu_item():
    return H5PMenuItem(_("H5P exercises"), reverse("h5p_admin:index"), icon_name="code", order=350)


@hooks.register("after_delete_snippet")
def h5p_files_delete(request, instances):
    for instance in instances:
        if isinstance(instance, H5PContent):
            content_files_delete(content=instance)
