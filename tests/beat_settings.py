"""Settings for the two-beat test (tests/learn/test_one_scheduler.py): the project's, with a fast schedule.

One entry, a ping every second to the test's own queue, so a test can count how often it was sent.
"""

import os

from learn.settings import *  # noqa: F403 — the project's settings, with only the schedule replaced

CELERY_BEAT_SCHEDULE = {
    "test-ping": {
        "task": "learn.ping",
        "schedule": 1.0,
        "kwargs": {"token": os.environ.get("BEAT_TEST_TOKEN", "beat")},
        "options": {"queue": os.environ.get("BEAT_TEST_QUEUE", "celery")},
    }
}
