"""Sign a person out after a quiet while, because learners use shared computers at surf points.

The time of the last request is kept in the session, to the minute: it is written again only once it is a
minute old (a tenth of the idle time when that is shorter), so a plain page view does not save the session.
A request that comes after more than `SESSION_IDLE_SECONDS` since that time signs the person out (so at
most a minute early; the warning in the browser counts down to the same moment): a page is answered with a redirect to the
sign-in page and a message; anything else (an API call, a form post, the keep-alive call, the admin)
goes on as an anonymous request, so it gets that endpoint's own "please sign in" answer. The browser
side (accounts/static/accounts/js/idle.js) warns a minute before and offers "Stay signed in".
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import MiddlewareNotUsed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from learn.client_address import has_proxy_header

logger = logging.getLogger(__name__)

LAST_ACTIVITY_KEY = "accounts_last_activity"
# The last-activity time is written again only when it is this old: at most once a minute, and finer for
# short idle times (a tenth of them), so a plain page view mostly saves no session.
MAX_ACTIVITY_RESOLUTION = 60


def activity_resolution(idle: int) -> int:
    return max(1, min(MAX_ACTIVITY_RESOLUTION, idle // 10))


# Paths where a redirect to the learner sign-in page would be wrong: the admin has its own sign-in,
# and API calls want a status code, not an HTML page.
PASS_THROUGH_PREFIXES = ("/admin/", "/documents/", "/api/")


def idle_message(seconds: int) -> str:
    count = max(1, round(seconds / 60))
    return ngettext(
        "You were signed out because nothing happened for %(count)s minute.",
        "You were signed out because nothing happened for %(count)s minutes.",
        count,
    ) % {"count": count}


def idle_clock_start(sender, request, user, **kwargs):
    """Signing in starts the idle clock, in the session that signing in saves anyway.

    Otherwise the first page after signing in would write the session again (with sessions in the database,
    one UPDATE more on the most common request of a surf point).
    """
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _check(request):
        now = int(time.time())
        idle = settings.SESSION_IDLE_SECONDS
        try:
            last = int(request.session.get(LAST_ACTIVITY_KEY, now))
        except (TypeError, ValueError):
            last = now
        resolution = activity_resolution(idle)
        # The real last request came at most `resolution` after the stored time, so the sign-out may come
        # that much early; the page tells the browser's warning the server's own deadline (idle_warning).
        if idle > 0 and now - last > idle:
            logout(request)
            messages.info(request, idle_message(idle))
            if request.method in ("GET", "HEAD") and not request.path.startswith(PASS_THROUGH_PREFIXES):
                return redirect(reverse("accounts:login"))
            return None
        if now - last >= resolution or LAST_ACTIVITY_KEY not in request.session:
            request.session[LAST_ACTIVITY_KEY] = now
        return None


class ProxyHeaderCheckMiddleware:
    """Warn (once per process) when TRUSTED_PROXY_COUNT is set but a request came without a proxy header.

    Then gunicorn is reachable without the proxy, and such a client chooses the address its wrong sign-in
    tries are counted against by sending its own X-Forwarded-For. Not a refusal: a health probe from the
    machine itself is fine, and the operator decides. Without a proxy count this middleware is left out.
    """

    warned = False

    def __init__(self, get_response):
        if settings.TRUSTED_PROXY_COUNT <= 0:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not ProxyHeaderCheckMiddleware.warned and not has_proxy_header(request=request):
            ProxyHeaderCheckMiddleware.warned = True
            logger.warning(
                "TRUSTED_PROXY_COUNT is %s, but a request to %s from %s came without an X-Forwarded-For header. "
                "If gunicorn can be reached without the proxy, a client chooses its own address for the sign-in "
                "limits: let only the proxy reach gunicorn, or set TRUSTED_PROXY_COUNT=0.",
                settings.TRUSTED_PROXY_COUNT,
                request.path,
                request.META.get("REMOTE_ADDR", "?"),
            )
        return self.get_response(request)
