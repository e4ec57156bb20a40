"""A real Celery worker process consumes the project's task from Redis and returns its result."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url():
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI must start it (see .ci/run).")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; start redis-server to run this test.")
    return REDIS_URL


@pytest.fixture
def worker(redis_url, tmp_path):
    """Start `celery worker` as its own process on a queue of its own, so nothing else takes our task."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "learn.settings",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "learn",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield queue
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.mark.worker
def test_worker_runs_a_task_sent_through_redis(redis_url, worker, tmp_path):
    client = Celery(broker=redis_url, backend=redis_url)
    token = uuid.uuid4().hex
    result = client.send_task("learn.ping", kwargs={"token": token}, queue=worker)
    try:
        answer = result.get(timeout=60)
    except Exception:
        print((tmp_path / "worker.log").read_text())
        raise
    assert answer["token"] == token
    assert answer["hostname"]
    assert result.status == "SUCCESS"
