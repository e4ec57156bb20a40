"""The display preferences page, open to everyone and linked from the header of every page.

Signed-in people post the form and the server keeps their choices (accounts/display.py). For guests
learn/static/learn/js/preferences.js keeps them in the browser instead and never posts; without
JavaScript a guest's post only explains that signing in keeps the choices.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .display import (
    DisplayPreferencesForm,
    display_form_initial,
    display_preferences_clean,
    display_preferences_save,
)


def _next_url(request) -> str:
    """Where "Back" goes: the page the learner came from, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@never_cache
@require_http_methods(["GET", "POST"])
def display_preferences(request):
    user = request.user
    signed_in = user.is_authenticated
    stored = display_preferences_clean(user.display_preferences if signed_in else {})
    next_url = _next_url(request)
    if request.method == "POST":
        reset = request.POST.get("action") == "reset"
        form = DisplayPreferencesForm(request.POST)
        if reset or form.is_valid():
            if signed_in:
                display_preferences_save(user=user, preferences={} if reset else form.preferences())
                messages.success(request, _("Your choices are saved. They apply on every page when you are signed in."))
            else:
                messages.warning(
                    request,
                    _("Your browser did not save these choices. Sign in to keep them, or switch on JavaScript."),
                )
            url = reverse("accounts:display")
            return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    else:
        form = DisplayPreferencesForm(initial=display_form_initial(stored))
    return render(
        request,
        "accounts/display.html",
        {"form": form, "next_url": next_url, "signed_in": signed_in},
    )
