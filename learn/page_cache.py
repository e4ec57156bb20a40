"""Whole-page cache for anonymous visitors.

Learners at surf points mostly read the same lessons; serving those from the cache keeps a small
server fast. Every cache key carries a generation number; publishing bumps it, which retires all
cached pages in one step without scanning keys.
"""

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
