"""/healthz: is each service this site depends on reachable? Load balancers and operators read it.

Only the database is needed to serve pages: without it the answer is 503 `{"status": "down"}` and the
load balancer takes this host out. The cache, the broker and the workers are shared by all hosts, and the
site keeps working without them (README "When Redis fails": the cache steps aside, sessions and sign-in
counters fall back to the database, statements are stored); a 503 for them would make the balancer take
every host out at once for an outage that did not stop the site. So they answer 200
`{"status": "degraded"}`, which monitoring alerts on.

Everyone gets only the status word: which database, cache and broker run, and which one failed how, is a
map for an attacker. The detail is for a request with the bearer token of `HEALTHZ_TOKEN`, or from the
machine itself (loopback, and no proxy header: behind a local proxy every request comes from loopback).
The worker check says "in-process" for the embedded default, the number of live workers, or
`"error": "missing"` when no worker wrote a heartbeat within `WORKER_HEARTBEAT_TTL` (learn/worker_health.py).
"""

import ipaddress
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .client_address import has_proxy_header


class Missing(Exception):
    """A check that reached its service and found what it needs absent (no live worker)."""


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        detail = probe()
    except Missing:
        return {"ok": False, "error": "missing"}
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
    # The `counters` cache reports errors; the default one turns them into misses on purpose.
    cache = caches["counters"]
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache read-back failed")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    import redis

    from learn.celery import app

    # One PING with a short timeout rather than kombu's connection retries: a load balancer's check must
    # answer quickly while Redis is away (several seconds of retries would look like a dead host).
    timeout = settings.CACHE_SOCKET_TIMEOUT
    redis.Redis.from_url(app.conf.broker_url, socket_connect_timeout=timeout, socket_timeout=timeout).ping()
    return "redis"


def _worker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from learn.worker_health import live_workers

    workers = live_workers()
    if not workers:
        raise Missing
    return f"{len(workers)} live"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "worker": _worker}
# Only these stop the site; the others make it "degraded" (200), see the module's notes.
CRITICAL = {"database"}


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
    failed = {name for name, check in checks.items() if not check["ok"]}
    status = "down" if failed & CRITICAL else "degraded" if failed else "ok"
    body = {"status": status}
    if _may_see_detail(request):
        body["checks"] = checks
    return JsonResponse(body, status=503 if status == "down" else 200)
