"""/healthz: is each service this site depends on reachable? Load balancers and operators read it.

Everyone gets only `{"status": "ok"}` or 503 `{"status": "down"}`: which database, cache and broker run,
and which one failed how, is a map for an attacker. The detail is for a request with the bearer token of
`HEALTHZ_TOKEN`, or from the machine itself (loopback, and no proxy header: behind a local proxy every
request comes from loopback).
"""

import ipaddress
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.throttle import has_proxy_header


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as error:  # noqa: BLE001 — any failure means "down"; say which kind
        return {"ok": False, "error": error.__class__.__name__}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache read-back failed")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from learn.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "redis"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


def _may_see_detail(request) -> bool:
    token = settings.HEALTHZ_TOKEN
    if token:
        scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and constant_time_compare(given.strip(), token):
            return True
    if has_proxy_header(request=request):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {name: _check(probe) for name, probe in CHECKS.items()}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "down"}
    if _may_see_detail(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
