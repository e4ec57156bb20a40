"""What the base template needs on every page: the language switcher and the main navigation."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi


def site_chrome(request):
    language = get_language() or settings.LANGUAGE_CODE
    return {
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
