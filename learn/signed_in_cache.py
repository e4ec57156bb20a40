"""Pages for signed-in learners from the cache, with each learner's personal parts filled in.

The anonymous page cache (learn/middleware.py) steps aside for anyone with a session. Signed-in
learners read the same lessons, so their pages are rendered once with markers where the personal
parts go (learn/personal.py) and kept under a key of the path, the language, the publish generation
and the learner's lesson version (normal or easy text). Every later view fills in the markers for its
own learner: name, menu, CSRF token, display preferences, messages, "tried this simulator before".

Only views that say so are stored (`shared_for_signed_in`), since a view must know that its page has
no other personal part and that nobody is kept out of it (view restrictions). Pages of one learner's
own learning (My learning, a module's done marks) use scope LEARNER: kept per learner and retired
by their next statement (learn/page_cache.py). Requests with a query string are never served from
here: they may change the session (`?version=easy`) or show answers (`?q1=...`).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import has_vary_header
from django.utils.translation import get_language

from . import personal
from .page_cache import learner_versions, page_cache_generation

SHARED = "shared"
LEARNER = "learner"
SCOPE_ATTR = "signed_in_cache_scope"
# The session value that changes a lesson page for everyone who chose it (lessons.models.LessonVersion).
VARIANT_SESSION_KEY = "lesson_version"
SKIP_PREFIXES = ("/admin/", "/documents/", "/api/", "/healthz", "/static/", "/media/")
UNSTORED_HEADERS = {"set-cookie", "content-length"}


def shared_for_signed_in(response, scope: str = SHARED):
    """Mark a response as storable for signed-in learners (see the module docstring); returns it."""
    setattr(response, SCOPE_ATTR, scope)
    return response


def _candidate(request) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING") or not settings.PAGE_CACHE_SECONDS:
        return False
    if request.path.startswith(SKIP_PREFIXES) or "/account/" in request.path:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _keys(request) -> dict | None:
    """The cache keys of this request, or None when the cache cannot be trusted now (Redis away)."""
    generation = page_cache_generation()
    if generation is None:
        return None
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    language = get_language() or settings.LANGUAGE_CODE
    variant = request.session.get(VARIANT_SESSION_KEY) or ""
    learner, learning = learner_versions(request.user.pk)
    base = f"{generation}:{language}:{variant}:{path}"
    return {
        SHARED: f"signed-page:{base}",
        LEARNER: f"learner-page:{request.user.pk}:{learner}:{learning}:{base}",
    }


def _entry(response) -> dict:
    headers = [(k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS]
    return {"content": response.content.decode(response.charset), "headers": headers}


def _from_entry(request, entry: dict) -> HttpResponse:
    response = HttpResponse(personal.fill(request, entry["content"]))
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _fill_response(request, response):
    """Markers of a page rendered for sharing are filled before it leaves, stored or not."""
    if response.streaming or b"%%oefp:" not in response.content:
        return response
    response.content = personal.fill(request, response.content.decode(response.charset))
    return response


class SignedInPageCacheMiddleware:
    """Sits inside the session, auth, CSRF and messages middleware: it needs the learner, and its
    filled-in CSRF token and messages must reach their middleware's response handling."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _candidate(request):
            return self.get_response(request)
        keys = _keys(request)
        if keys is None:
            return self.get_response(request)
        found = cache.get_many(list(keys.values()))
        for scope in (SHARED, LEARNER):
            entry = found.get(keys[scope])
            if entry is not None:
                return _from_entry(request, entry)
        session_before = dict(request.session.items())
        setattr(request, personal.SHARED_RENDER_ATTR, True)
        try:
            response = self.get_response(request)
        finally:
            setattr(request, personal.SHARED_RENDER_ATTR, False)
        scope = getattr(response, SCOPE_ATTR, None)
        if scope in keys and self._storable(request, response, session_before):
            cache.set(keys[scope], _entry(response), settings.PAGE_CACHE_SECONDS)
        return _fill_response(request, response)

    @staticmethod
    def _storable(request, response, session_before: dict) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if has_vary_header(response, "*"):
            return False
        # A view that changed the session has an effect a cached copy would skip.
        return dict(request.session.items()) == session_before
