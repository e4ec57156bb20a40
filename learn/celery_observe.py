"""Celery's part of the logs and metrics: the request id travels with a task, and outcomes are counted.

* `before_task_publish` (in the web process): the id of the request that sends a task goes into the
  task message's headers.
* `task_prerun` / `task_postrun` (in the worker): while the task runs, its log lines carry that request
  id, the task's name and its id. A task sent outside any request (beat, a management command) gets a
  new id, so its lines still belong together.
* `task_success` / `task_failure` / `task_retry`: counted for /metrics (learn/metrics.py).
* `setup_logging`: the worker keeps the LOGGING setting (JSON in production) instead of Celery's own
  format; Celery's success line leaves out the task's return value (it may hold personal data).
"""

import logging.config

from celery import signals
from celery.app import trace

from learn import metrics, request_context

trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"

# The context a running task replaced, by task id, so postrun can put it back (eager tasks run inside
# a request and must leave its context as it was).
_tokens: dict[str, object] = {}


@signals.setup_logging.connect
def _logging_setup(loglevel=None, **kwargs):
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@signals.before_task_publish.connect
def _request_id_send(headers=None, **kwargs):
    request_id = request_context.current_id()
    if request_id and headers is not None:
        headers[request_context.TASK_HEADER] = request_id


@signals.task_prerun.connect
def _task_context_bind(task_id=None, task=None, **kwargs):
    sent = request_context.safe_id(getattr(task.request, request_context.TASK_HEADER, None))
    outer = request_context.current()
    # Run eagerly inside a request: the request's id is already the right one.
    request_id = sent or (outer.request_id if outer else None) or request_context.new_id()
    context = request_context.Context(request_id=request_id, task_name=task.name, task_id=task_id or "")
    _tokens[task_id] = request_context.bind(context)


@signals.task_postrun.connect
def _task_context_unbind(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_context.unbind(token)


@signals.task_success.connect
def _task_succeeded(sender=None, **kwargs):
    metrics.task_count(task_name=sender.name, outcome="succeeded")


@signals.task_failure.connect
def _task_failed(sender=None, **kwargs):
    metrics.task_count(task_name=sender.name, outcome="failed")


@signals.task_retry.connect
def _task_retried(sender=None, **kwargs):
    metrics.task_count(task_name=sender.name, outcome="retried")
