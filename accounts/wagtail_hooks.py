"""Privacy in the Wagtail admin: a "Privacy" menu item, "Erase this person" on the user list, and Wagtail's own
user delete sent through the same erasure (files, hand-over of learners) as every other way of deleting."""

from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from . import admin_urls
from .admin_views import can_erase


@hooks.register("register_admin_urls")
def privacy_admin_urls():
    return [path("privacy/", include((admin_urls, "accounts_admin"), namespace="accounts_admin"))]


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return can_erase(request.user)


@hooks.register("register_admin_menu_item")
def privacy_menu_item():
    return PrivacyMenuItem(_("Privacy"), reverse("accounts_admin:privacy"), icon_name="lock", order=900)


@hooks.register("register_user_listing_buttons")
def erase_button(user, request_user):
    if can_erase(request_user) and user.pk != request_user.pk:
        yield ListingButton(_("Erase this person"), reverse("accounts_admin:erase", args=[user.pk]), priority=90)


@hooks.register("before_delete_user")
def delete_through_erasure(request, user):
    """Wagtail's delete would leave certificate PDFs, card sheets and learners without a coach behind."""
    return redirect("accounts_admin:erase", pk=user.pk)
