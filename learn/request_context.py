"""What every log line of one request or one Celery task shares: its request id, and for a request its
method and path, for a task its name and id.

A context variable, not a thread-local: gunicorn's gthread workers run one request per thread and
Celery's solo/prefork pools one task at a time per process, and a contextvar is right for both (and
for ASGI, should the site ever move there). `bind` returns a token; `unbind` puts back what was there,
so a task run eagerly inside a request leaves the request's context as it found it.
"""

import contextvars
import re
import uuid
from dataclasses import dataclass, field

from django.utils.functional import empty

# nginx's $request_id is 32 hex digits; a UUID has 36 characters. Anything else a client or proxy sends
# (spaces, quotes, newlines that would forge log lines, 10 kB of text) is replaced by a new id.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{7,63}")
HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# The Celery message header the id travels in (learn/celery_observe.py).
TASK_HEADER = "oefenplein_request_id"


@dataclass
class Context:
    request_id: str
    method: str = ""
    path: str = ""
    # The path as requested, when it differs from `path` (a URL secret hidden there): other loggers that
    # print the raw path (Django's "Not Found: ...") get it replaced too (learn/logs.py).
    raw_path: str = ""
    task_name: str = ""
    task_id: str = ""
    # The request itself, so the user id can be read once authentication has run (never forced).
    request: object = field(default=None, repr=False)


_current: contextvars.ContextVar[Context | None] = contextvars.ContextVar("oefenplein_context", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def safe_id(value: str | None) -> str | None:
    """The id if it has a safe shape, else None."""
    if value and _SAFE_ID.fullmatch(value):
        return value
    return None


def current() -> Context | None:
    return _current.get()


def current_id() -> str | None:
    context = _current.get()
    return context.request_id if context else None


def bind(context: Context) -> contextvars.Token:
    return _current.set(context)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)


def clear() -> None:
    _current.set(None)


def user_id(request) -> int | None:
    """The signed-in user's id, only if authentication already looked the user up (no extra query)."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject until someone reads request.user
    if wrapped is None or wrapped is empty:
        return None
    if not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk
