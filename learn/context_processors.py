"""What the base template needs on every page: the language switcher and the main navigation (the person's
role links come from accounts.context_processors)."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi


def site_chrome(request):
    from .personal import marker, shared_render

    language = get_language() or settings.LANGUAGE_CODE
    shared = {}
    if shared_render(request):
        # A page for the shared cache must not hold this person's token: each view fills in its own.
        shared["csrf_token"] = marker("csrf")
    return {
        **shared,
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
