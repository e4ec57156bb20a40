"""One scheduler, even when two `celery beat` processes run (two hosts both started one, or a restart left
an old one behind): only the holder of a lock in Redis sends due tasks.

Every beat keeps its own schedule file and wakes at the same moments; the one holding the lock sends, the
other ("standby") marks the entry as done without sending it. So a daily run (reminders at 8:00, the
privacy clean-ups at night) is sent once, and when the leader dies the standby takes over at its next
tick after the lock lapses (`BEAT_LOCK_SECONDS`), without first sending everything it "missed".

The lock is redis-py's `Lock` (SET NX PX with a token, renewed with a script that checks the token), so a
beat that stalled past the lock's life and wakes up finds it no longer owns it and does not send.

Why not celery-redbeat: it moves the whole schedule into Redis, whose data this project does not keep on
disk for the cache; after a Redis restart the schedule state would be gone. The lock is the only part
needed, and it is these few lines.
"""

import logging
import os
import socket
import uuid

from celery.beat import PersistentScheduler
from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOCK_NAME = "oefenplein:beat-leader"


def _redis():
    from django_redis import get_redis_connection

    return get_redis_connection("counters")


class LeaderScheduler(PersistentScheduler):
    """PersistentScheduler that sends only while it holds the beat lock."""

    def __init__(self, *args, **kwargs):
        self._lock = None
        self.beat_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        super().__init__(*args, **kwargs)

    def _leading(self) -> bool:
        """Hold the lock: renew it when it is ours, take it when it is free. Without Redis, nobody leads
        (there is no broker to send to either)."""
        if not settings.REDIS_URL:
            return True  # the embedded default has no Redis and a single process
        try:
            if self._lock is None:
                self._lock = _redis().lock(LOCK_NAME, timeout=settings.BEAT_LOCK_SECONDS, thread_local=False)
            if self._lock.owned():
                self._lock.reacquire()
                return True
            return bool(self._lock.acquire(blocking=False, token=self.beat_id))
        except RedisError as error:
            logger.warning("beat %s: cannot reach Redis for the beat lock (%s)", self.beat_id, error)
            return False

    def tick(self, *args, **kwargs):
        # Renewing on every tick (at least every CELERY_BEAT_MAX_LOOP_INTERVAL) keeps a live leader's lock.
        self._leading()
        return super().tick(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        # Asked again at the moment of sending: a leader that stalled past its lock's life must not send.
        if self._leading():
            logger.info("beat %s leads: sending %s", self.beat_id, entry.name)
            return super().apply_entry(entry, producer=producer)
        logger.info("beat %s is on standby: %s is sent by the beat holding the lock", self.beat_id, entry.name)
        return None

    def close(self):
        # Hand over at once on a clean stop, instead of after BEAT_LOCK_SECONDS.
        if self._lock is not None:
            try:
                if self._lock.owned():
                    self._lock.release()
            except RedisError:
                pass
        super().close()
