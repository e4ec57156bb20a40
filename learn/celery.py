"""The Celery app. Without REDIS_URL tasks run in-process (see settings.CELERY_TASK_ALWAYS_EAGER)."""

import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")

logger = logging.getLogger(__name__)

app = Celery("learn", include=["learn.tasks", "training.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Request ids in task headers and task logs, task outcomes for /metrics.
from learn import celery_observe  # noqa: E402, F401 — connects the Celery signals


class Heartbeat(bootsteps.StartStopStep):
    """Every worker writes a heartbeat to Redis, so /healthz sees a missing worker (learn/worker_health.py)."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.entry = None

    def start(self, worker):
        from django.conf import settings

        self.beat(worker)
        self.entry = worker.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, self.beat, (worker,), priority=10)

    def stop(self, worker):
        from learn.worker_health import heartbeat_gone

        if self.entry is not None:
            self.entry.cancel()
        try:
            heartbeat_gone(hostname=worker.hostname)
        except Exception as error:  # noqa: BLE001 — a stopping worker without Redis has nothing to clean
            logger.warning("worker heartbeat: could not remove %s (%s)", worker.hostname, error)

    @staticmethod
    def beat(worker):
        from learn.worker_health import heartbeat

        try:
            heartbeat(hostname=worker.hostname)
        except Exception as error:  # noqa: BLE001 — Redis away: the next beat tries again, the worker goes on
            logger.warning("worker heartbeat: Redis unreachable (%s)", error)


app.steps["worker"].add(Heartbeat)
