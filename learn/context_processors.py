"""What the base template needs on every page: the language switcher, the main navigation and the role links."""

from django.conf import settings
from django.db import DatabaseError
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_bidi


def _role_links(request) -> list:
    from accounts.navigation import role_links_list

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    try:
        return role_links_list(user=user)
    except DatabaseError:  # error pages must render when the database is down
        return []


def site_chrome(request):
    from .personal import marker, shared_render

    language = get_language() or settings.LANGUAGE_CODE
    shared = {}
    if shared_render(request):
        # A page for the shared cache must not hold this person's token: each view fills in its own.
        shared["csrf_token"] = marker("csrf")
    return {
        **shared,
        # The header's links to the pages of the person's roles; read (one query) only when a page shows them.
        "role_links": SimpleLazyObject(lambda: _role_links(request)),
        "LANGUAGE_SELF_NAMES": settings.LANGUAGE_SELF_NAMES,
        "current_language": language,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        # Pages replace these with links to their own translations (see lessons/templatetags).
        "fallback_language_links": [
            {
                "code": code,
                "name": settings.LANGUAGE_SELF_NAMES[code],
                "url": translate_url(request.get_full_path(), code),
            }
            for code, _name in settings.LANGUAGES
        ],
    }
