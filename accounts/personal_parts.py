"""The person's own parts of a shared cached page (learn/personal.py): their header, menu, messages, idle
warning and display classes. Registered from AccountsConfig.ready(), so `learn` never imports `accounts`."""

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from learn.personal import personal_part_register, personal_user

from .navigation import role_links_list
from .templatetags.display_tags import display_class_attribute


def _context(request) -> dict:
    user = personal_user(request)
    return {
        "request": request,
        "user": user,
        # Lazy: asking for the token sets the CSRF cookie, which only pages that use it should do.
        "csrf_token": SimpleLazyObject(lambda: get_token(request)),
        "messages": get_messages(request),
        "role_links": SimpleLazyObject(lambda: role_links_list(user=user)),
    }


def _template(name: str) -> Callable:
    return lambda request, _arg: render_to_string(f"accounts/personal/{name}.html", _context(request))


def _html_class(request, _arg) -> str:
    return display_class_attribute(personal_user(request))


def personal_parts_register() -> None:
    personal_part_register("html_class", _html_class)
    for name in ("nav", "account", "messages", "idle"):  # idle: counts down from the time in the session
        personal_part_register(name, _template(name))
