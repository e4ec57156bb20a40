"""A worker killed with `kill -9` in the middle of a task: the task is not lost, it runs again on a worker
once the broker's visibility timeout has passed (a worker looks for such tasks every CELERY_RESTORE_SECONDS),
and /healthz notices the missing worker.

A real worker on Redis (tests/celery_worker.py); the visibility timeout and heartbeat are shortened for the
test through the same environment variables production uses.
"""

import os
import signal
import time
import uuid

import pytest
from celery import Celery

from learn.worker_health import live_workers
from tests.celery_worker import celery_worker_process, redis_url_or_skip


def wait_for(condition, *, seconds: float, what: str):
    """Poll until `condition()` is true; fail after `seconds` (a bound, not a measured speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"waited {seconds} s for {what}")


@pytest.mark.worker
def test_a_task_interrupted_by_kill_9_runs_again_and_healthz_sees_the_worker_go(client, db, settings, tmp_path):
    redis_url = redis_url_or_skip()
    if not settings.REDIS_URL:
        pytest.skip("Needs REDIS_URL in this process too: /healthz reads the workers' heartbeats from it.")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.WORKER_HEARTBEAT_TTL = 3
    env = {
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "CELERY_RESTORE_SECONDS": "1",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_HEARTBEAT_TTL": "3",
    }
    sender = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    token = uuid.uuid4().hex
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"

    with celery_worker_process(redis_url=redis_url, log_path=first_log, env=env) as (queue, first):
        wait_for(lambda: any(queue in name for name in live_workers()), seconds=60, what="the first worker")
        result = sender.send_task("learn.ping", kwargs={"token": token, "seconds": 4}, queue=queue)
        wait_for(lambda: result.id in first_log.read_text(), seconds=60, what="the first worker to take the task")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert "succeeded" not in first_log.read_text()  # it died in the middle

        # No heartbeat any more: /healthz reports the worker missing (200 "degraded", not 503).
        wait_for(lambda: not live_workers(), seconds=30, what="the heartbeat to go stale")
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json()["checks"]["worker"] == {"ok": False, "error": "missing"}

        with celery_worker_process(redis_url=redis_url, log_path=second_log, env=env, queue=queue):
            try:
                answer = result.get(timeout=90)
            except Exception:
                print(first_log.read_text(), second_log.read_text())
                raise
            assert answer["token"] == token
            assert result.id in second_log.read_text()  # the second worker ran it
            assert client.get("/healthz").json()["checks"]["worker"]["ok"] is True
