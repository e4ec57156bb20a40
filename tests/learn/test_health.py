import time

import pytest
from django.db import OperationalError

from learn import health
from learn.worker_health import heartbeat, heartbeat_gone, live_workers
from tests.celery_worker import redis_url_or_skip

SERVICES = {"database", "cache", "broker", "worker"}
PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture
def a_live_worker(settings):
    """What a running worker writes (learn/celery.py Heartbeat); the embedded default runs tasks in-process."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        heartbeat(hostname="test-worker@here")
    yield
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        heartbeat_gone(hostname="test-worker@here")


def test_healthz_reports_every_service_to_the_machine_itself(client, db, a_live_worker):
    response = client.get("/healthz")  # the test client comes from 127.0.0.1, without a proxy header
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == SERVICES
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_a_cache_outage_is_degraded_not_down(client, db, a_live_worker):
    """Redis is shared by every host: a 503 would make the load balancer take all of them out, while the
    site still serves pages, sessions and sign-in from the database."""
    from django.test import override_settings

    unreachable = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    # Restored inside the test, before the autouse fixtures clear the (real) cache again.
    with override_settings(CACHES={"default": unreachable["default"], "counters": unreachable["default"]}):
        response = client.get("/healthz")
        public = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"]["ok"] is False
    assert public.status_code == 200 and public.json() == {"status": "degraded"}


def test_a_broker_outage_is_degraded_not_down(client, db, settings):
    from learn.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"]["ok"] is False


def test_a_missing_worker_is_reported(client, db, settings):
    redis_url_or_skip()
    if not settings.REDIS_URL:
        pytest.skip("Needs REDIS_URL in this process: the heartbeats are read from the site's Redis.")
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: tasks wait for a worker
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"] == {"ok": False, "error": "missing"}

    heartbeat(hostname="worker-one@host-a")
    heartbeat(hostname="worker-two@host-b", now=time.time() - settings.WORKER_HEARTBEAT_TTL - 1)  # went silent
    try:
        assert live_workers() == ["worker-one@host-a"]
        checks = client.get("/healthz").json()["checks"]
        assert checks["worker"]["ok"] is True and checks["worker"]["detail"] == "1 live"
    finally:
        heartbeat_gone(hostname="worker-one@host-a")
        heartbeat_gone(hostname="worker-two@host-b")


def test_the_embedded_default_runs_tasks_in_process(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get("/healthz").json()["checks"]["worker"]["detail"] == "in-process"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_answers_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_the_public_only_hears_ok(client, db, a_live_worker):
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_public_only_hears_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the database fixture rolls back
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 503 and response.json() == {"status": "down"}


def test_a_proxied_request_from_loopback_is_public(client, db, a_live_worker):
    """Behind a proxy on the same machine every request comes from 127.0.0.1: the proxy header tells."""
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        assert client.get("/healthz", **{header: "203.0.113.7"}).json() == {"status": "ok"}, header
    assert "checks" in client.get("/healthz", REMOTE_ADDR="::1").json()


def test_the_detail_is_for_the_token(client, db, settings, a_live_worker):
    settings.HEALTHZ_TOKEN = "s3cret-token-for-the-monitor"
    detail = client.get("/healthz", HTTP_AUTHORIZATION="Bearer s3cret-token-for-the-monitor", **PUBLIC).json()
    assert set(detail["checks"]) == SERVICES
    for wrong in ("Bearer wrong", "Bearer ", "Basic s3cret-token-for-the-monitor", "s3cret-token-for-the-monitor"):
        assert client.get("/healthz", HTTP_AUTHORIZATION=wrong, **PUBLIC).json() == {"status": "ok"}, wrong


def test_without_a_configured_token_no_token_opens_the_detail(client, db, settings, a_live_worker):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ", **PUBLIC).json() == {"status": "ok"}


def test_the_comparison_is_constant_time(client, db, settings, monkeypatch):
    settings.HEALTHZ_TOKEN = "s3cret"
    compared = []

    def spy(given, expected):
        compared.append((given, expected))
        return False

    monkeypatch.setattr(health, "constant_time_compare", spy)
    client.get("/healthz", HTTP_AUTHORIZATION="Bearer guess", **PUBLIC)
    assert compared == [("guess", "s3cret")]
