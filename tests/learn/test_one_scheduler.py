"""Two `celery beat` processes started by mistake still send each scheduled run once (learn/beat.py).

Real processes on Redis: two beats with a schedule of one ping a second (tests/beat_settings.py) and one
worker that runs the pings. Only the beat holding the lock sends; the other stands by, and takes over when
the leader is killed.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.celery_worker import ROOT, celery_worker_process, redis_url_or_skip, stop_process_group

SENT = "Scheduler: Sending due task test-ping"
STANDBY = "is on standby: test-ping"


def wait_for(condition, *, seconds: float, what: str):
    """Poll until `condition()` is true; fail after `seconds` (a bound, not a measured speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"waited {seconds} s for {what}")


@contextlib.contextmanager
def beat(*, env: dict, folder, name: str):
    """A `celery beat` process with its own schedule file, in its own process group; yield (process, log)."""
    log_path = folder / f"{name}.log"
    command = [sys.executable, "-m", "celery", "-A", "learn", "beat", "--loglevel=INFO"]
    command += ["--schedule", str(folder / f"{name}-schedule"), "--pidfile="]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process, log_path
        finally:
            stop_process_group(process)


def count(log_path, text: str) -> int:
    return log_path.read_text().count(text)


@pytest.mark.worker
def test_two_beats_send_each_run_once_and_the_second_takes_over(tmp_path):
    redis_url = redis_url_or_skip()
    queue, token = f"beat-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "tests.beat_settings",
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
        "BEAT_TEST_QUEUE": queue,
        "BEAT_TEST_TOKEN": token,
        "BEAT_LOCK_SECONDS": "3",
    }
    worker_env = {key: env[key] for key in ("DJANGO_SETTINGS_MODULE", "OEFENPLEIN_VAR_DIR")}
    worker_log = tmp_path / "worker.log"
    ran = re.compile(r"Task learn\.ping\[[^\]]+\] succeeded")

    with (
        celery_worker_process(redis_url=redis_url, log_path=worker_log, env=worker_env, queue=queue),
        beat(env=env, folder=tmp_path, name="a") as (beat_a, log_a),
        beat(env=env, folder=tmp_path, name="b") as (beat_b, log_b),
    ):
        # Both beats run and wake every second; wait for a few runs and for both to have had their say.
        wait_for(lambda: len(ran.findall(worker_log.read_text())) >= 6, seconds=120, what="six runs")
        wait_for(lambda: count(log_a, STANDBY) + count(log_b, STANDBY) >= 3, seconds=60, what="the standby")
        sent_a, sent_b = count(log_a, SENT), count(log_b, SENT)
        assert (sent_a == 0) != (sent_b == 0), (sent_a, sent_b)  # exactly one of them sends
        leader, standby, standby_log = (beat_a, beat_b, log_b) if sent_a else (beat_b, beat_a, log_a)
        # Every run that was sent ran once, none twice: the worker ran as many pings as the leader sent.
        sent = sent_a + sent_b
        wait_for(lambda: len(ran.findall(worker_log.read_text())) >= sent, seconds=60, what="the sent pings")
        assert len(ran.findall(worker_log.read_text())) <= count(log_a, SENT) + count(log_b, SENT)

        # The leader dies without a word; the standby takes over once the lock lapses (BEAT_LOCK_SECONDS).
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait(timeout=10)
        wait_for(lambda: count(standby_log, SENT) >= 2, seconds=60, what="the standby to take over")
        assert standby.poll() is None
