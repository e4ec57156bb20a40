"""A real Celery worker process consumes the project's task from Redis and returns its result."""

import uuid

import pytest
from celery import Celery

from tests.celery_worker import celery_worker, redis_url_or_skip


@pytest.fixture
def redis_url():
    return redis_url_or_skip()


@pytest.fixture
def worker(redis_url, tmp_path):
    with celery_worker(
        redis_url=redis_url, log_path=tmp_path / "worker.log", env={"OEFENPLEIN_VAR_DIR": str(tmp_path)}
    ) as queue:
        yield queue


@pytest.mark.worker
def test_worker_runs_a_task_sent_through_redis(redis_url, worker, tmp_path):
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
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
