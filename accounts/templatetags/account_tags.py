import time

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("accounts/includes/idle_warning.html", takes_context=True)
def idle_warning(context):
    """The hidden "Are you still there?" dialog that accounts/js/idle.js opens; settings go in data- attributes.

    It opens one minute before the idle sign-out (or halfway, when the idle time is shorter than two
    minutes), which leaves well over the 20 seconds WCAG 2.2.1 asks for to answer it.
    """
    idle = int(settings.SESSION_IDLE_SECONDS)
    if idle <= 0:
        return {"enabled": False}
    warn = min(60, max(1, idle // 2))
    request = context.get("request")
    return {
        "enabled": True,
        "idle_seconds": _idle_seconds_left(request, idle),
        "warn_seconds": warn,
        "warn_minutes": max(1, round(warn / 60)),
        "keepalive_url": reverse("accounts:keep_alive"),
        "logout_url": reverse("accounts:logout"),
        "login_url": reverse("accounts:login"),
        "next": request.get_full_path() if request is not None else "",
    }


def _idle_seconds_left(request, idle: int) -> int:
    """The server's own deadline, counted from this page: the stored last-activity time is kept to the
    minute (accounts.middleware), so it may be up to that much older than this request."""
    from accounts.middleware import LAST_ACTIVITY_KEY

    session = getattr(request, "session", None)
    try:
        last = int(session.get(LAST_ACTIVITY_KEY)) if session is not None else None
    except (TypeError, ValueError):
        last = None
    if last is None:
        return idle
    return max(1, idle - max(0, int(time.time()) - last))


@register.filter
def lock_time(until) -> str:
    """When a sign-in pause ends: "14:35" today, with the date on another day (accounts.throttle)."""
    from accounts.throttle import lock_time_text

    return lock_time_text(until) if until else ""
