"""A real `celery worker` process for the tests that must prove work leaves through Redis.

Shared by every worker test: the Redis probe (skip locally, fail in CI), the test database the worker
process must use, and the process's life.
"""

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"


def redis_url_or_skip() -> str:
    try:
        available = bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        available = False
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; CI must start it (see .ci/run).")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; start redis-server to run this test.")
    return REDIS_URL


def postgres_or_skip() -> None:
    """A worker process has its own database connection: it cannot share an in-memory SQLite test database."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): a worker process cannot share an in-memory SQLite test database.")


def worker_database_url() -> str:
    """The DATABASE_URL of this test run's database, for the worker's environment (it reads committed rows)."""
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


@contextlib.contextmanager
def celery_worker_process(
    *, redis_url: str, log_path: Path, env: dict | None = None, prefix: str = "test", queue: str = ""
):
    """A worker on a queue of its own (so nothing else takes the test's task); yield (queue, process).

    The process leads its own process group, so the test may kill it (`kill -9` included) and the end of
    the block stops whatever is left.
    """
    from django.conf import settings

    queue = queue or f"{prefix}-{uuid.uuid4().hex[:8]}"
    # The test's SECRET_KEY too: a worker with its own OEFENPLEIN_VAR_DIR would make a key of its own, and
    # the PINs it stores (keyed with it, accounts/pin_hasher.py) would not check in the test process.
    environment = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "learn.settings",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "learn", "worker", "--pool=solo"]
    command += ["-Q", queue, "--loglevel=INFO", "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h"]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield queue, process
        finally:
            stop_process_group(process)


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 20 s; nothing to do for a process that is already gone."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        process.wait(timeout=5)
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@contextlib.contextmanager
def celery_worker(*, redis_url: str, log_path: Path, env: dict | None = None, prefix: str = "test"):
    """Run a worker on a queue of its own (so nothing else takes the test's task); yield the queue name."""
    with celery_worker_process(redis_url=redis_url, log_path=log_path, env=env, prefix=prefix) as (queue, _process):
        yield queue
