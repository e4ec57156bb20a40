"""The production web server as configured (deploy/gunicorn.conf.py): two gunicorn workers, JSON logs.

/metrics must add up the requests of all gunicorn workers (prometheus-client's multiprocess mode), not
show only those of the worker that happens to answer the scrape; and every line gunicorn and the site
write is one JSON object, the request lines with the id nginx sent.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.celery_worker import worker_database_url

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 40


def free_port() -> int:
    for port in range(8500, 8600):  # this project's helpers' range on shared machines
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("No free port between 8500 and 8599.")


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 — loopback only
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def gunicorn(db, tmp_path):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): gunicorn is another process and reads the test database.")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "learn.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "LOG_FORMAT": "json",
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
    }
    log_path = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "learn.wsgi:application"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60  # a generous start-up wait, not a timed check
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"gunicorn did not start:\n{log_path.read_text()}")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}", log_path
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_metrics_add_up_all_gunicorn_workers_and_every_line_is_json(gunicorn):
    base, log_path = gunicorn
    opener = urllib.request.build_opener(NoRedirect)
    for number in range(REQUESTS):
        # A new connection each time, so the kernel spreads them over both workers (SO_REUSEPORT).
        request = urllib.request.Request(f"{base}/no-such-page", headers={"X-Request-ID": f"observe-test-{number:04d}"})
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(request, timeout=30)
        assert answer.value.code == 302  # the language redirect of an unknown address

    status, headers, body = get(f"{base}/metrics")
    assert status == 200
    counts = {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == "oefenplein_request_seconds_count"
    }
    assert counts[(("method", "GET"), ("status", "3xx"), ("view", "unresolved"))] == REQUESTS

    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]  # all JSON
    request_ids = {line["request_id"] for line in lines if line["logger"] == "oefenplein.requests"}
    assert {f"observe-test-{number:04d}" for number in range(REQUESTS)} <= request_ids
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    assert headers["X-Request-ID"] not in {f"observe-test-{number:04d}" for number in range(REQUESTS)}
