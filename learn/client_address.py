"""Who sent a request: the client's address as the reverse proxies report it, and whether a proxy was there.

Used by sign-in throttling (accounts/throttle.py), /healthz and /metrics' address checks; it lives in `learn`
because those base services need it and must not import `accounts`.
"""

from django.conf import settings

# Headers a reverse proxy sets; a request with none of them reached gunicorn directly.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def has_proxy_header(*, request) -> bool:
    return any(request.META.get(header) for header in PROXY_HEADERS)


def client_ip(*, request) -> str:
    """The client's own address as sent, before any bucketing (also used by /metrics' address check).

    Behind `TRUSTED_PROXY_COUNT` reverse proxies (each appending to X-Forwarded-For), the client is the
    entry that many places from the end; anything before it was written by the client and is ignored.
    Without a proxy the setting must stay 0, or a client would choose its own address through that header
    (accounts.middleware.ProxyHeaderCheckMiddleware warns about it).
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
