"""Whole-page cache for anonymous visitors.

Learners at surf points mostly read the same lessons; serving those from the cache keeps a small
server fast. Every cache key carries a generation number; publishing bumps it, which retires all
cached pages in one step without scanning keys.
"""

import time

from django.core.cache import cache

GENERATION_KEY = "page-cache-generation"


def page_cache_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 1
    return int(generation)


def page_cache_invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


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
