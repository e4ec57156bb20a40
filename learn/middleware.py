"""Request/response policies that hold for every page of the site."""

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_cache_key, has_vary_header, learn_cache_key, patch_cache_control
from django.utils.translation import gettext as _

from .errors import bad_request_response
from .page_cache import page_cache_generation

# Learner pages load nothing from anywhere else. The Wagtail admin needs inline styles and scripts,
# so it gets a looser policy that still forbids third-party origins.
SITE_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ]
)
ADMIN_PREFIXES = ("/admin/", "/documents/")


def site_csp() -> str:
    """The learner pages' policy; lessons may frame the H5P player, which lives on its own origin."""
    return f"{SITE_CSP}; frame-src {settings.H5P_PLAYER_ORIGIN}"


def admin_csp() -> str:
    """The admin's policy; page previews frame themselves and the H5P player."""
    return f"{ADMIN_CSP}; frame-src 'self' {settings.H5P_PLAYER_ORIGIN}"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(ADMIN_PREFIXES)
            response["Content-Security-Policy"] = admin_csp() if admin else site_csp()
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response


class MalformedQueryMiddleware:
    """Answer 400 to query strings that do not decode to text.

    Django replaces undecodable bytes with U+FFFD and keeps NUL bytes; both only come from broken
    links or probing, and must never reach a database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and self._malformed(request):
            return bad_request_response(request, _("This address contains characters we cannot read."))
        return self.get_response(request)

    @staticmethod
    def _malformed(request) -> bool:
        for key, values in request.GET.lists():
            for text in [key, *values]:
                if "\x00" in text or "\ufffd" in text:
                    return True
        return False


def _cacheable(request) -> bool:
    """Only anonymous reads of public pages: no session, no admin, no health probe."""
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path
    return not path.startswith((*ADMIN_PREFIXES, "/healthz", "/static/", "/media/")) and "/account/" not in path


class AnonymousPageCacheMiddleware:
    """Serve anonymous page views from the cache; store what an anonymous visitor was shown.

    It sits outside the session, locale and gzip middleware so that the response's Vary header is
    complete when the key is learned. Browsers get `no-cache`: once a learner signs in, their own
    browser must not show them the anonymous copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable(request):
            return self.get_response(request)
        generation = page_cache_generation()
        if generation is None:  # the cache is unreachable: serve the page without it
            return self.get_response(request)
        prefix = f"page{generation}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if self._storable(request, response):
            patch_cache_control(response, no_cache=True)
            key = learn_cache_key(request, response, settings.PAGE_CACHE_SECONDS, prefix, cache=cache)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        if has_vary_header(response, "*"):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return not any(word in cache_control for word in ("private", "no-store"))


class PrivateWhenSignedInMiddleware:
    """Every answer to a signed-in person is `Cache-Control: private, no-store`.

    Such pages greet the person by name or show their data. On a shared computer the next person must not
    get them from the browser's cache (the back button, a reopened tab), and no proxy or the anonymous page
    cache (AnonymousPageCacheMiddleware refuses `private` and `no-store`) may keep them. One rule here
    rather than a decorator per view, so a new page cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # patch_cache_control drops `public`; `no-store` outweighs any max-age a view set.
            patch_cache_control(response, private=True, no_store=True)
        return response
