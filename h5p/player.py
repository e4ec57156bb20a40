"""The H5P player's own origin.

H5P content runs the JavaScript of its libraries by design. So the player page and every file it
loads are served from another origin (settings.H5P_PLAYER_ORIGIN: another host name or port of the
same application, or a separate domain in production), which the browser never sends this site's
cookies to. `PlayerOriginMiddleware` splits the two:

* on the player host only the player's URLs (h5p/urls.py) and /healthz answer; they are dispatched
  right here, before the session, authentication, CSRF and locale middleware, with the request's
  cookies dropped, so the player never reads a session nor sets a cookie;
* on the site's host the player's URLs do not exist (learn/urls.py does not include them).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseNotFound
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve

PLAYER_URLCONF = "h5p.urls"


def origin_host(origin: str) -> str:
    """host:port of an origin, with the scheme's default port filled in, lower case."""
    parts = urlsplit(origin)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def request_host(request) -> str:
    host = request.get_host().lower()
    if host.endswith("]") or ":" not in host:  # no port given: the scheme's default
        host = f"{host}:{443 if request.is_secure() else 80}"
    return host


def is_player_request(request) -> bool:
    return request_host(request) == origin_host(settings.H5P_PLAYER_ORIGIN)


def not_found() -> HttpResponseNotFound:
    return HttpResponseNotFound(b"Not found", content_type="text/plain; charset=utf-8")


class PlayerOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Player requests stop here, before the site's own GZipMiddleware; compress them here instead
        # (h5p-standalone's scripts and styles are about 216 kB raw, about 65 kB gzipped).
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        if not is_player_request(request):
            return self.get_response(request)
        # Browsers never send the site's cookies here; whatever arrives is not looked at.
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        try:
            match = resolve(request.path_info, urlconf=PLAYER_URLCONF)
        except Resolver404:
            return not_found()
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except Http404:
            return not_found()
        return self.gzip.process_response(request, response)
