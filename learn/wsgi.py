import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")

application = get_wsgi_application()


def _settle() -> None:
    """Load what every request needs now, then take it out of the garbage collector's view.

    Django, Wagtail and the URL configuration make about a million long-lived objects. A full
    collection walks them all (about 120 ms here) in the middle of some request; frozen, they are
    skipped, so no request pays for them (bench/README.md, "Findings and changes").
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — import every view module before freezing
    gc.collect()
    gc.freeze()


_settle()
