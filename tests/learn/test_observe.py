"""Logs and metrics of the web process: the request id, the JSON log line, /metrics and who may read it.

The log lines are read as they are written: the root logger's own handler (from settings.LOGGING) writes
into a buffer with the JSON formatter of production, so the test sees the line an operator would see.
"""

import io
import json
import logging
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from learn import metrics
from learn.logs import ContextFilter, JsonFormatter
from lessons.activities import lesson_activity_id

NGINX_ID = "0123456789abcdef0123456789abcdef"
STATEMENTS_URL = "/api/progress/statements"


@pytest.fixture
def log_lines():
    """The JSON lines written while the test runs, parsed."""
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, ContextFilter) for f in h.filters))
    buffer = io.StringIO()
    previous_stream, previous_formatter = handler.setStream(buffer), handler.formatter
    handler.setFormatter(JsonFormatter())
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        handler.setStream(previous_stream)
        handler.setFormatter(previous_formatter)


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("amina", password="een-goed-wachtwoord", display_name="Amina")


def request_lines(lines, request_id):
    return [line for line in lines if line["logger"] == "oefenplein.requests" and line["request_id"] == request_id]


def scrape(client, **extra) -> dict:
    """/metrics as {(name, labels as a sorted tuple): value}."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.status_code
    values = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def statement(object_id):
    return {
        "id": str(uuid.uuid4()),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": object_id, "objectType": "Activity"},
    }


def test_a_request_logs_one_line_with_the_id_from_nginx_and_answers_with_it(client, learner, lesson, log_lines):
    client.force_login(learner)
    response = client.get(lesson.url, HTTP_X_REQUEST_ID=NGINX_ID, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 200
    assert response["X-Request-ID"] == NGINX_ID
    [line] = request_lines(log_lines(), NGINX_ID)
    assert line["method"] == "GET"
    assert line["path"] == lesson.url
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] == learner.pk
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    # The user is a number only: no name, no user name, no client address.
    text = json.dumps(line)
    assert "Amina" not in text and "amina" not in text and "192.0.2.44" not in text


def test_an_unsafe_incoming_id_is_replaced_by_a_new_one(client, course, log_lines):
    forged = 'x" \n{"level": "CRITICAL", "message": "forged"}'
    response = client.get("/nl/", HTTP_X_REQUEST_ID=forged)

    new_id = response["X-Request-ID"]
    assert new_id != forged and len(new_id) == 32 and int(new_id, 16) >= 0
    lines = log_lines()
    assert len(request_lines(lines, new_id)) == 1
    assert not any(line["message"] == "forged" for line in lines)
    assert client.get("/nl/", HTTP_X_REQUEST_ID="short")["X-Request-ID"] != "short"


def test_django_s_own_error_line_after_the_response_carries_the_same_id(client, course, log_lines):
    response = client.get("/nl/this-page-does-not-exist/?q=private+words", HTTP_X_REQUEST_ID=NGINX_ID)

    assert response.status_code == 404
    lines = [line for line in log_lines() if line["request_id"] == NGINX_ID]
    assert {line["logger"] for line in lines} == {"oefenplein.requests", "django.request"}
    assert all(line["path"] == "/nl/this-page-does-not-exist/" for line in lines)
    assert "private" not in json.dumps(lines)  # the query string is never logged


def test_a_certificate_token_in_the_url_is_not_logged(client, course, log_lines):
    client.get("/nl/certificates/secret-signed-token-123/", HTTP_X_REQUEST_ID=NGINX_ID)

    [line] = request_lines(log_lines(), NGINX_ID)
    assert line["path"] == "/nl/certificates/<token>/"
    assert "secret-signed-token" not in json.dumps(log_lines())


def test_metrics_from_this_machine_show_requests_and_statements(client, learner, lesson):
    before = scrape(client)
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200
    batch = [statement(lesson_activity_id(lesson)), statement(lesson_activity_id(lesson))]
    assert client.post(STATEMENTS_URL, data=json.dumps(batch), content_type="application/json").status_code == 200
    retry = client.post(STATEMENTS_URL, data=json.dumps(batch[:1]), content_type="application/json")
    assert retry.json() == {"stored": 0, "duplicates": 1}
    bad = client.post(STATEMENTS_URL, data=json.dumps([{"id": "not-a-uuid"}]), content_type="application/json")
    assert bad.status_code == 400

    after = scrape(client)

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    # Latency by view name (a lesson is a Wagtail page), method and status class; never the raw path.
    assert grew("oefenplein_request_seconds_count", view="wagtail_serve", method="GET", status="2xx") == 1
    assert grew("oefenplein_request_seconds_count", view="progress_api:statements", method="POST", status="2xx") == 2
    assert grew("oefenplein_request_seconds_count", view="progress_api:statements", method="POST", status="4xx") == 1
    assert not any(lesson.url in str(labels) for _name, labels in after)
    assert grew("oefenplein_statements_total", outcome="stored", reason="") == 2
    assert grew("oefenplein_statements_total", outcome="duplicate", reason="") == 1
    assert grew("oefenplein_statements_total", outcome="refused", reason="invalid") == 1
    if metrics.broker_redis() is not None:  # with Redis as broker: the queue figures are read from it
        assert after[("oefenplein_broker_up", ())] == 1
        assert ("oefenplein_celery_queue_length", (("queue", "celery"),)) in after
        assert ("oefenplein_celery_unacked", ()) in after


def refused(client, method="get", **extra) -> bool:
    """Answered exactly like an address that does not exist: a 404 (after the usual language redirect)."""
    response = getattr(client, method)("/metrics", follow=True, **extra)
    unknown = getattr(client, method)("/no-such-page", follow=True, **extra)
    return response.status_code == 404 and response.redirect_chain == [
        (url.replace("no-such-page", "metrics"), code) for url, code in unknown.redirect_chain
    ]


def test_metrics_are_404_for_every_other_address(client, settings, course):
    assert refused(client, REMOTE_ADDR="203.0.113.5")
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200
    # Through a proxy nobody declared: the proxy's loopback address says nothing about the client.
    assert refused(client, HTTP_X_FORWARDED_FOR="203.0.113.5")

    # Behind nginx (TRUSTED_PROXY_COUNT=1), with the monitoring network allowed.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 200
    assert refused(client, HTTP_X_FORWARDED_FOR="203.0.113.5")
    # A client writing an allowed address in front of its own gains nothing: nginx appends the real one.
    assert refused(client, HTTP_X_FORWARDED_FOR="10.20.3.4, 203.0.113.5")
    assert refused(client)  # loopback is no longer in the list
    assert refused(client, method="post", REMOTE_ADDR="203.0.113.5")


def test_metrics_answer_without_the_broker_figures_when_its_redis_is_away(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    settings.METRICS_REDIS_TIMEOUT = 0.2

    values = scrape(client)

    assert values[("oefenplein_broker_up", ())] == 0
    assert not any(name == "oefenplein_celery_queue_length" for name, _labels in values)
