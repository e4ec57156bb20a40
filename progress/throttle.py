"""How many batches and statements one learner may send to the learning-record endpoint per window.

A real learner's browser sends little: one small batch per answer or simulator action, and after a
time offline its queue in batches of at most MAX_BATCH (50). The limits (settings, README) leave
room for that and stop a script that floods the store in somebody's name.

Counters live in the Django cache (Redis in production, whose INCR is atomic) in fixed windows of
`PROGRESS_RATE_WINDOW_SECONDS`: the key holds the window's number, so a counter simply expires and
the next window starts at zero. The answer to a learner over a limit is how many seconds until the
window ends, which the endpoint sends as `Retry-After` (progress/static/progress/js/progress.js waits that
long before it tries again). A limit of 0 switches that limit off.

Without Redis (killed, restarted, stalled) the limit steps aside and statements are stored: the sender is a
signed-in learner, a lost learning record costs more than a few minutes without a flood guard, and the
database must not take a counter write per batch exactly when it carries the sessions too. The gap is
logged (README "When Redis fails").
"""

import contextlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

BATCHES = "batches"
STATEMENTS = "statements"
_LIMIT_SETTINGS = {BATCHES: "PROGRESS_RATE_BATCHES", STATEMENTS: "PROGRESS_RATE_STATEMENTS"}


def _window() -> int:
    return max(1, int(settings.PROGRESS_RATE_WINDOW_SECONDS))


def _limit(kind: str) -> int:
    limit = int(getattr(settings, _LIMIT_SETTINGS[kind]))
    if kind == STATEMENTS and limit > 0:
        from .services import MAX_BATCH

        # A full batch must always fit, or the queue could never send one.
        limit = max(limit, MAX_BATCH)
    return limit


def rate_count(*, user_id: int, kind: str, amount: int = 1, now: float | None = None) -> int | None:
    """Count `amount` for this learner; None when within the limit, else the seconds to wait."""
    limit = _limit(kind)
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = _window()
    number = int(now // window)
    key = f"progress:rate:{kind}:{user_id}:{number}"
    cache = caches["counters"]
    try:
        cache.add(key, 0, window + 5)
        try:
            count = cache.incr(key, amount)
        except ValueError:  # the key expired between add() and incr()
            cache.set(key, amount, window + 5)
            count = amount
        if count <= limit:
            return None
        # What is refused does not count: after the wait, the same batch fits in what is left.
        with contextlib.suppress(ValueError):  # the key expired meanwhile
            cache.decr(key, amount)
    except Exception as error:  # noqa: BLE001 — the cache is unreachable: store, do not refuse (see above)
        logger.warning("statement rate limit skipped: the cache is unreachable (%s)", error.__class__.__name__)
        return None
    return max(1, math.ceil((number + 1) * window - now))
