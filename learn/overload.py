"""Overload: a quick, honest "busy, try again in N seconds" instead of minutes of waiting.

Past the knee of the load curve (see README "Production mode" and bench/RESULTS.md) requests queue up
in front of the workers: in nginx, in the listen backlog, in a gunicorn worker's own queue. Served late
they only make the queue longer: the person has long given up, or the browser queue has timed out and
sends the same statements again. So a request that has already waited longer than
OVERLOAD_MAX_WAIT_SECONDS is answered at once with 503 and Retry-After, which costs almost nothing, and
the workers spend their time on requests somebody still waits for. The browser's statement queue
(progress/static/progress/js/progress.js) keeps the statements and sends them again after Retry-After, once.

How long a request waited: nginx stamps `X-Request-Start: t=<seconds since the epoch, with ms>` when it
passes the request on (deploy/nginx); the gap to now is the time in the queues behind it. A client can
set the header itself, but it only gains a 503 for itself by lying about the past, and the worst a time
in the future does is to skip this check. Without the header only the in-flight limit applies.

The in-flight limit: at most OVERLOAD_MAX_IN_FLIGHT requests in the application per process at once.
gunicorn's gthread worker already holds this to its thread count; the limit guards servers that start a
thread per request (runserver, another worker class) from taking on more than they can finish.
"""

import logging
import threading
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _

HEADER = "HTTP_X_REQUEST_START"
EXEMPT_PATHS = ("/healthz",)  # the health check must tell the truth about the process, busy or not
LOG_EVERY_SECONDS = 10

logger = logging.getLogger(__name__)


def queued_seconds(value: str, now: float) -> float | None:
    """Seconds since the front server's stamp ("t=1733570000.123", or seconds, ms or µs since the epoch)."""
    text = value.strip().removeprefix("t=")
    try:
        stamp = float(text)
    except ValueError:
        return None
    if stamp > 1e14:  # microseconds
        stamp /= 1e6
    elif stamp > 1e11:  # milliseconds
        stamp /= 1e3
    return max(0.0, now - stamp)


def _message() -> str:
    return _("It is very busy right now. Please try again in a moment. Your work is not lost.")


def overloaded_response(request, retry_after: int) -> HttpResponse:
    """503 with Retry-After, in the language of the address (or the browser): JSON for the API, else a page.

    Rendered without a database query or a context processor: it must stay cheap when everything is busy.
    """
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"error": _message(), "retry_after": retry_after}, status=503)
        else:
            body = loader.get_template("503.html").render(
                {
                    "message": _message(),
                    "retry_after": retry_after,
                    "LANGUAGE_CODE": language,
                    "LANGUAGE_BIDI": translation.get_language_bidi(),
                    "again_url": request.get_full_path() if request.method in ("GET", "HEAD") else "",
                }
            )
            response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # Django logs every 5xx as an error with its traceback context; under overload that is thousands of
    # lines that cost CPU when it is scarcest. The middleware logs a count instead (see _refused).
    response._has_been_logged = True
    return response


class LoadSheddingMiddleware:
    """Refuse, at once, requests that already waited too long or that this process cannot take on now."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.lock = threading.Lock()
        self.in_flight = 0
        self.refused = 0
        self.logged_at = 0.0

    def __call__(self, request):
        if request.path_info in EXEMPT_PATHS or request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        max_wait = settings.OVERLOAD_MAX_WAIT_SECONDS
        if max_wait > 0 and HEADER in request.META:
            waited = queued_seconds(request.META[HEADER], time.time())
            if waited is not None and waited > max_wait:
                return self._refused(request, f"waited {waited:.1f} s")
        limit = settings.OVERLOAD_MAX_IN_FLIGHT
        with self.lock:
            if limit and self.in_flight >= limit:
                busy = True
            else:
                busy = False
                self.in_flight += 1
        if busy:
            return self._refused(request, f"{limit} requests in flight")
        try:
            return self.get_response(request)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _refused(self, request, reason: str) -> HttpResponse:
        """The 503, and at most one log line per LOG_EVERY_SECONDS with how many were refused since."""
        now = time.monotonic()
        with self.lock:
            self.refused += 1
            due = now - self.logged_at >= LOG_EVERY_SECONDS
            if due:
                count, self.refused, self.logged_at = self.refused, 0, now
        if due:
            logger.warning(
                "overload: refused %d request(s) with 503 (last: %s %s, %s)",
                count,
                request.method,
                request.path_info,
                reason,
            )
        return overloaded_response(request, settings.OVERLOAD_RETRY_AFTER_SECONDS)
