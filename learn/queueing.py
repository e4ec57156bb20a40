"""Hand a task to the Celery broker after the request's transaction, without ever failing the request.

The data a task works on is committed first; the broker only carries ids. When the broker (Redis) is away
the request has already done its part, so a failed hand-off is logged and, where the person waits for a
result, `on_failure` marks that work as failed so the page says "try again" at once instead of answering 500
or waiting an hour for the clean-up to notice. Tasks that a beat job repeats anyway (enrolments, certificates,
completion checks) need no `on_failure`: the next scheduled run does the work.
"""

import logging
from collections.abc import Callable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(task):
    """The task itself, given the task or the name it is registered under.

    A service names its task ("coaching.card_sheet_render") instead of importing the tasks module, which
    imports the service: so no services <-> tasks import cycle. The app's `ready()` imports its tasks module,
    which registers the names; the same task object answers, so tests that patch it still see the call.
    """
    return current_app.tasks[task] if isinstance(task, str) else task


def send_now(task, *args, on_failure: Callable[[], None] | None = None, queue: str | None = None, **kwargs) -> bool:
    """Send the task (the task or its registered name); answer whether the broker took it."""
    task = task_named(task)
    try:
        task.apply_async(args=args, kwargs=kwargs, queue=queue)
    except Exception as error:  # noqa: BLE001 — any broker failure (connection refused, timeout): degrade
        logger.warning("Task %s not queued: the broker is unreachable (%s)", task.name, error.__class__.__name__)
        if on_failure is not None:
            on_failure()
        return False
    return True


def send_after_commit(task, *args, on_failure: Callable[[], None] | None = None, queue: str | None = None, **kwargs):
    """Send the task (the task or its registered name) once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(task, *args, on_failure=on_failure, queue=queue, **kwargs))
