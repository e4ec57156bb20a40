import pytest
from django.db import OperationalError

from learn import health


def test_healthz_reports_every_service_to_the_machine_itself(client, db):
    response = client.get("/healthz")  # the test client comes from 127.0.0.1, without a proxy header
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
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


def test_healthz_is_503_when_the_cache_is_unreachable(client, db):
    from django.test import override_settings

    unreachable = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    # Restored inside the test, before the autouse fixtures clear the (real) cache again.
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_healthz_is_503_when_the_broker_is_unreachable(client, db, settings):
    from learn.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_only_answers_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


def test_the_public_only_hears_ok(client, db):
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_public_only_hears_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the database fixture rolls back
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 503 and response.json() == {"status": "down"}


def test_a_proxied_request_from_loopback_is_public(client, db):
    """Behind a proxy on the same machine every request comes from 127.0.0.1: the proxy header tells."""
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        assert client.get("/healthz", **{header: "203.0.113.7"}).json() == {"status": "ok"}, header
    assert "checks" in client.get("/healthz", REMOTE_ADDR="::1").json()


def test_the_detail_is_for_the_token(client, db, settings):
    settings.HEALTHZ_TOKEN = "s3cret-token-for-the-monitor"
    detail = client.get("/healthz", HTTP_AUTHORIZATION="Bearer s3cret-token-for-the-monitor", **PUBLIC).json()
    assert set(detail["checks"]) == {"database", "cache", "broker"}
    for wrong in ("Bearer wrong", "Bearer ", "Basic s3cret-token-for-the-monitor", "s3cret-token-for-the-monitor"):
        assert client.get("/healthz", HTTP_AUTHORIZATION=wrong, **PUBLIC).json() == {"status": "ok"}, wrong


def test_without_a_configured_token_no_token_opens_the_detail(client, db, settings):
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
