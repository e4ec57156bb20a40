"""Log lines of web and worker: one JSON object per line in production, readable text otherwise.

Every line carries the same fields (null when not known): time, level, logger, message, request_id,
method, path, status, duration_ms, user_id, task_name, task_id, and the traceback of an error. Nothing
else: a field another library puts on a record (Django's `django.request` logger attaches the whole
request, with its query string and headers) is dropped, not printed. No names, learner codes, PINs or
client addresses: the privacy page promises none, so the user is its numeric id only.

The formatter is python-json-logger's (pinned in requirements.txt): it turns exceptions, datetimes and
odd objects into valid JSON; we only choose the fields. This module does not import Django settings, so
deploy/gunicorn.conf.py can use `gunicorn_logconfig` before Django starts.
"""

import logging

from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

from learn import request_context

FIELDS = (
    "time",
    "level",
    "logger",
    "message",
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "task_name",
    "task_id",
)
_ERROR_FIELDS = ("exc_info", "stack_info")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class ContextFilter(logging.Filter):
    """Copies the request or task context (learn/request_context.py) onto each record.

    A filter on the handler, so records of every logger (Django's, Celery's, ours) get the fields.
    Values already on the record (the request line's own status and duration) are kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        context = request_context.current()
        values = {
            "request_id": context.request_id if context else None,
            "method": (context.method or None) if context else None,
            "path": (context.path or None) if context else None,
            "user_id": request_context.user_id(context.request) if context else None,
            "task_name": (context.task_name or None) if context else None,
            "task_id": (context.task_id or None) if context else None,
            "status": None,
            "duration_ms": None,
        }
        for name, value in values.items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        if context and context.raw_path and context.raw_path in record.getMessage():
            record.msg, record.args = record.getMessage().replace(context.raw_path, context.path), None
        if record.request_id is None:
            record.request_id = "-"  # the text format shows a dash; JSON gets null (see JsonFormatter)
        return True


class JsonFormatter(_LibraryJsonFormatter):
    """python-json-logger with exactly FIELDS (plus a traceback), in that order, and nothing else."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            ["levelname", "name", "message", *FIELDS[4:]],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
        )

    def process_log_record(self, log_data: dict) -> dict:
        if log_data.get("request_id") == "-":
            log_data["request_id"] = None
        line = {name: log_data.get(name) for name in FIELDS}
        line.update({name: log_data[name] for name in _ERROR_FIELDS if log_data.get(name)})
        return line


def logging_config(*, log_format: str, level: str, request_level: str = "INFO", celery_level: str = "INFO") -> dict:
    """The LOGGING setting. `log_format` is "json" or "text"."""
    formatter = "json" if log_format == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "learn.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "learn.logs.JsonFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": formatter, "filters": ["context"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request (learn/observe.py): what nginx logs, plus the request id and user id.
            "oefenplein.requests": {"level": request_level},
            # Task received / succeeded / failed lines, with the task's name, id and request id.
            "celery": {"level": celery_level},
            # Which beat sends and which stands by (learn/beat.py): the operator's view of the one scheduler.
            "learn.beat": {"level": celery_level},
        },
    }


def gunicorn_logconfig(*, log_format: str) -> dict:
    """gunicorn's own messages (start, worker restarts, timeouts) in the same format.

    gunicorn's access log stays silent: the request line of learn/observe.py says the same and more
    (request id, user id, view), and gunicorn's would add the client address the privacy page does not allow.
    """
    config = logging_config(log_format=log_format, level="INFO")
    config["root"] = {"handlers": [], "level": "INFO"}
    config["loggers"] = {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    }
    return config
