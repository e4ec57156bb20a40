"""The Celery app. Without REDIS_URL tasks run in-process (see settings.CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")

app = Celery("learn", include=["learn.tasks", "training.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Request ids in task headers and task logs, task outcomes for /metrics.
from learn import celery_observe  # noqa: E402, F401 — connects the Celery signals
