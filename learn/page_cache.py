"""Whole-page cache for anonymous visitors.

Learners at surf points mostly read the same lessons; serving those from the cache keeps a small
server fast. Every cache key carries a generation number; publishing bumps it, which retires all
cached pages in one step without scanning keys.

Redis may be away (killed, restarted, stalled). The cache is then stepped around, never in the way:
`page_cache_generation` answers None and the callers build the page from the database. The generation
is read from the `counters` cache, which reports errors (the `default` cache silently answers "miss"),
because a generation read as "missing" during a stall would otherwise be taken as 1 and could serve
pages retired long ago.

A publish while Redis is away cannot bump the generation. If Redis lost its data (a restart without
persistence) nothing stale is left. If it only stalled, the process that published remembers the bump,
keeps away from the page cache itself, and makes the bump as soon as Redis answers again; other hosts may
serve the former anonymous copy until then or for at most PAGE_CACHE_SECONDS (README "When Redis fails").
"""

import logging
import time

from django.core.cache import cache, caches

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache-generation"

# A bump that failed in this process, made again before the page cache is used here.
_pending_bump = False


def _counters():
    return caches["counters"]


def _bump() -> None:
    cache = _counters()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def page_cache_generation() -> int | None:
    """The current generation, or None when the cache cannot be trusted now (Redis unreachable)."""
    global _pending_bump
    cache = _counters()
    try:
        if _pending_bump:
            _bump()
            _pending_bump = False
            logger.warning("page cache: the generation bump of an earlier publish was made now")
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            generation = cache.get(GENERATION_KEY) or 1
    except Exception as error:  # noqa: BLE001 — any cache failure: build the page without the cache
        logger.warning("page cache skipped: the cache is unreachable (%s)", error.__class__.__name__)
        return None
    return int(generation)


def page_cache_invalidate() -> None:
    """Retire every cached page; a publish never fails because Redis is away (see the module's notes)."""
    global _pending_bump
    try:
        _bump()
    except Exception as error:  # noqa: BLE001 — remembered and made again once Redis answers
        _pending_bump = True
        logger.warning("page cache: publish could not retire cached pages yet (%s)", error.__class__.__name__)


# --- Signed-in pages (learn/signed_in_cache.py) ------------------------------------------------------
# Pages that show one learner's own learning (My learning, a module's done marks) are cached per learner.
# Such an entry is keyed by the learner's version, bumped when a statement of theirs is stored, and by the
# learning generation, bumped when anything coaching or training decides for learners changes. A missing
# counter (evicted, Redis restarted) starts at the clock in nanoseconds, never at a value used before.

LEARNING_GENERATION_KEY = "learning-generation"


def _learner_key(user_id) -> str:
    return f"learner-version:{user_id}"


def _counter_values(keys: list[str]) -> list[int]:
    found = cache.get_many(keys)
    for key in keys:
        if found.get(key) is None:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key) or time.time_ns()
    return [int(found[key]) for key in keys]


def _counter_bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)


def learner_versions(user_id) -> tuple[int, int]:
    """(this learner's version, the learning generation) in one cache round trip."""
    learner, generation = _counter_values([_learner_key(user_id), LEARNING_GENERATION_KEY])
    return learner, generation


def learner_version_bump(user_id) -> None:
    """Retire this learner's cached pages: call after their learning records changed (after commit)."""
    _counter_bump(_learner_key(user_id))


def learning_generation_bump() -> None:
    """Retire every learner's cached pages: an assignment, group or required training changed."""
    _counter_bump(LEARNING_GENERATION_KEY)
