"""A "Group sessions" link in the Wagtail admin menu for editors: they organise on the same pages as coaches.

The link has no language prefix: Django's LocaleMiddleware sends it on to the editor's language, so the
menu (built once) never keeps the language of whoever opened the admin first.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import permissions


class OrganiseMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.may_organise(request.user)


@hooks.register("register_admin_menu_item")
def organise_menu_item():
    return OrganiseMenuItem(_("Group sessions"), "/sessions/organise/", icon_name="date", order=900)
