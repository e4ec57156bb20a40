"""Sign a person out after a quiet while, because learners use shared computers at surf points.

The time of the last request is kept in the session. A request that comes after more than
`SESSION_IDLE_SECONDS` without one signs the person out: a page is answered with a redirect to the
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

from .throttle import has_proxy_header

logger = logging.getLogger(__name__)

LAST_ACTIVITY_KEY = "accounts_last_activity"
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
        if idle > 0 and now - last > idle:
            logout(request)
            messages.info(request, idle_message(idle))
            if request.method in ("GET", "HEAD") and not request.path.startswith(PASS_THROUGH_PREFIXES):
                return redirect(reverse("accounts:login"))
            return None
        # At most one write per second: the session is saved only when the value changes.
        if request.session.get(LAST_ACTIVITY_KEY) != now:
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
