"""Is a Celery worker alive? Each worker writes a heartbeat to Redis; /healthz (and metrics) read them.

A worker killed with `kill -9` cannot say goodbye, and Celery's own events need a listener, so each worker
process writes its name and the time into one sorted set every `WORKER_HEARTBEAT_SECONDS` (a bootstep in
learn/celery.py); a worker counts as live while its last heartbeat is younger than `WORKER_HEARTBEAT_TTL`.
The timer runs in the worker's main process, next to the tasks, so a worker stuck on a task still beats;
one whose process is gone stops at once.
"""

import time

from django.conf import settings

HEARTBEATS_KEY = "oefenplein:worker-heartbeats"


def _redis():
    from django_redis import get_redis_connection

    return get_redis_connection("counters")


def heartbeat(*, hostname: str, now: float | None = None) -> None:
    """Record that this worker lives; forget workers silent for more than a day (the set stays small)."""
    now = time.time() if now is None else now
    connection = _redis()
    pipe = connection.pipeline()
    pipe.zadd(HEARTBEATS_KEY, {hostname: now})
    pipe.zremrangebyscore(HEARTBEATS_KEY, "-inf", now - 24 * 60 * 60)
    pipe.expire(HEARTBEATS_KEY, 24 * 60 * 60)
    pipe.execute()


def heartbeat_gone(*, hostname: str) -> None:
    """A worker that stops cleanly leaves the set at once."""
    _redis().zrem(HEARTBEATS_KEY, hostname)


def live_workers(*, now: float | None = None) -> list[str]:
    """The names of the workers whose heartbeat is fresh. Raises redis errors: no Redis, no answer."""
    now = time.time() if now is None else now
    names = _redis().zrangebyscore(HEARTBEATS_KEY, now - settings.WORKER_HEARTBEAT_TTL, "+inf")
    return sorted(name.decode() if isinstance(name, bytes) else name for name in names)
