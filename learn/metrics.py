"""Prometheus metrics (prometheus-client): what /metrics shows and where each number comes from.

* Request latency and statement ingest are counted in the web process that served them. gunicorn runs
  several worker processes, so with PROMETHEUS_MULTIPROC_DIR set (production, deploy/gunicorn.conf.py)
  prometheus-client keeps them in files of that folder and /metrics adds up all workers of the host.
  Without it (runserver, tests) they live in the process itself.
* Celery task outcomes are counted by the workers in the broker's Redis (a hash, HINCRBY), and read at
  scrape time, so they do not depend on which host a worker runs on: with two application hosts and a
  scheduler host, every host's /metrics shows the same cluster-wide totals (query them with
  `max without(instance)`, not sum). The broker's Redis is the one kept on disk, so the totals survive
  its restart; if they were lost, Prometheus treats a counter that drops as a reset.
* The Celery queue length (LLEN) and the tasks taken but not yet acknowledged (the `unacked` hash of
  kombu's Redis transport) are read from the broker at scrape time too.
Each Redis read has a short timeout: during a Redis outage /metrics answers at once, with
`oefenplein_broker_up 0` instead of the broker figures.

Labels are few and fixed: a view's name (never a raw path), the method, the status class.
"""

import logging
import os
import threading

from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY

logger = logging.getLogger(__name__)
# The *_created series double the output and no dashboard of ours reads them.
disable_created_metrics()

REQUEST_SECONDS = Histogram(
    "oefenplein_request_seconds",
    "Time to answer a request, by view name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
STATEMENTS = Counter(
    "oefenplein_statements",
    "Learning statements sent to /api/progress/statements: stored, duplicate (a retry) or refused, and why.",
    ["outcome", "reason"],
)
STORED, DUPLICATE, REFUSED = "stored", "duplicate", "refused"

TASKS_KEY = "oefenplein:metrics:celery-tasks"
# kombu's Redis transport keeps a message taken by a worker but not yet acknowledged in this hash.
UNACKED_KEY = "unacked"
# kombu stores a queue's messages with priority 3, 6 and 9 under these key suffixes (priority 0: the name).
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

# Without a Redis broker (tasks run in-process) task outcomes are counted here.
_local_tasks: dict[tuple[str, str], int] = {}
_local_lock = threading.Lock()
_redis_clients: dict = {}
_redis_lock = threading.Lock()


def statements_count(*, outcome: str, reason: str = "", amount: int = 1) -> None:
    if amount > 0:
        STATEMENTS.labels(outcome=outcome, reason=reason).inc(amount)


def request_observe(*, view: str, method: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "other"
    REQUEST_SECONDS.labels(view=view, method=method, status=f"{status // 100}xx").observe(seconds)


def broker_redis():
    """A Redis client for the broker with short timeouts, or None when the broker is not Redis."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    timeout = settings.METRICS_REDIS_TIMEOUT
    with _redis_lock:
        client = _redis_clients.get((url, timeout))
        if client is None:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
            _redis_clients[(url, timeout)] = client
        return client


def task_count(*, task_name: str, outcome: str) -> None:
    """Count a task's outcome (succeeded, failed, retried). Never breaks the task if Redis is away."""
    client = broker_redis()
    if client is None:
        with _local_lock:
            _local_tasks[(task_name, outcome)] = _local_tasks.get((task_name, outcome), 0) + 1
        return
    try:
        client.hincrby(TASKS_KEY, f"{task_name}|{outcome}", 1)
    except Exception as error:  # noqa: BLE001 — a lost count must never fail the task itself
        logger.warning("Task outcome not counted: %s", error.__class__.__name__)


def metrics_queues() -> list[str]:
    """The broker queues whose length is shown: the default queue and every queue named in the routes."""
    queues = [settings.CELERY_TASK_DEFAULT_QUEUE]
    routes = getattr(settings, "CELERY_TASK_ROUTES", None) or {}
    for route in routes.values() if isinstance(routes, dict) else []:
        queue = route.get("queue") if isinstance(route, dict) else None
        if queue and queue not in queues:
            queues.append(queue)
    return queues


def worker_presence() -> list[str] | None:
    """The live Celery workers (learn/worker_health.py heartbeats); None when Redis cannot tell.

    An error there (Redis away) gives None, so the gauge is left out rather than the scrape failing.
    """
    from learn.worker_health import live_workers

    try:
        return list(live_workers())
    except Exception as error:  # noqa: BLE001 — the heartbeat store away: leave the gauge out
        logger.warning("Worker heartbeats not read: %s", error.__class__.__name__)
        return None


class BrokerCollector:
    """Reads the broker's figures at scrape time (see the module docstring)."""

    def describe(self):
        return []

    def collect(self):
        client = broker_redis()
        tasks = CounterMetricFamily(
            "oefenplein_celery_tasks", "Celery tasks finished, by task name and outcome.", labels=["task", "outcome"]
        )
        if client is None:
            with _local_lock:
                counts = dict(_local_tasks)
            for (task_name, outcome), value in sorted(counts.items()):
                tasks.add_metric([task_name, outcome], value)
            yield tasks
            return
        up = GaugeMetricFamily("oefenplein_broker_up", "1 if the broker's Redis answered this scrape.")
        queues = GaugeMetricFamily(
            "oefenplein_celery_queue_length", "Tasks waiting in the broker queue.", labels=["queue"]
        )
        unacked = GaugeMetricFamily(
            "oefenplein_celery_unacked", "Tasks a worker took but has not finished (redelivered if it died)."
        )
        names = metrics_queues()
        try:
            with client.pipeline(transaction=False) as pipe:
                pipe.hgetall(TASKS_KEY)
                pipe.hlen(UNACKED_KEY)
                for name in names:
                    for suffix in _PRIORITY_SUFFIXES:
                        pipe.llen(name + suffix)
                results = pipe.execute()
        except Exception as error:  # noqa: BLE001 — Redis away or slow: say so, answer the rest
            logger.warning("Broker figures not read: %s", error.__class__.__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        counts, unacked_count, lengths = results[0], results[1], results[2:]
        for field, value in sorted(counts.items()):
            task_name, _bar, outcome = field.decode().rpartition("|")
            tasks.add_metric([task_name, outcome], int(value))
        for index, name in enumerate(names):
            step = len(_PRIORITY_SUFFIXES)
            queues.add_metric([name], sum(lengths[index * step : (index + 1) * step]))
        unacked.add_metric([], unacked_count)
        yield from (up, tasks, queues, unacked)
        live = worker_presence()
        if live is not None:
            workers = GaugeMetricFamily(
                "oefenplein_celery_workers_live", "Celery workers whose heartbeat is fresh (alert on 0)."
            )
            workers.add_metric([], len(live))
            yield workers


class _ProcessCollector:
    """This process's own metrics (REGISTRY) when there is no multiprocess folder."""

    def describe(self):
        return []

    def collect(self):
        yield from REGISTRY.collect()


def metrics_text() -> bytes:
    """The exposition text of one scrape."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessCollector())
    registry.register(BrokerCollector())
    return generate_latest(registry)
