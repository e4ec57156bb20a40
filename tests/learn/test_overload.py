"""Overload: a request that already waited too long behind the workers gets a quick 503 with Retry-After.

nginx stamps X-Request-Start when it passes a request on (deploy/nginx); learn/overload.py compares it with
now. The browser's statement queue honouring 503 + Retry-After is checked in tests/browser/test_progress_queue.py.
"""

import json
import time
import uuid

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from learn.overload import LoadSheddingMiddleware
from progress.models import Statement


def stamp(seconds_ago: float) -> str:
    """X-Request-Start as nginx writes it: t=<seconds since the epoch, with milliseconds>."""
    return f"t={time.time() - seconds_ago:.3f}"


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("amina", password="een-goed-wachtwoord", display_name="Amina")


def statement(lesson) -> dict:
    from lessons.activities import lesson_activity_id

    return {
        "id": str(uuid.uuid4()),
        "timestamp": "2026-12-07T10:00:00Z",
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": lesson_activity_id(lesson)},
    }


def test_a_page_that_waited_too_long_gets_a_quick_translated_busy_page(client, lesson, settings):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    settings.OVERLOAD_RETRY_AFTER_SECONDS = 7
    response = client.get(lesson.url, HTTP_X_REQUEST_START=stamp(12))
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="nl" dir="ltr">' in html
    assert "Het is nu heel druk" in html
    assert f'href="{lesson.url}"' in html  # "Try again" reloads the same page


def test_the_busy_page_is_in_arabic_and_right_to_left_on_an_arabic_address(client, course, settings):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    response = client.get("/ar/", HTTP_X_REQUEST_START=stamp(30))
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "مزدحم" in html


def test_statements_that_waited_too_long_get_json_503_and_nothing_is_stored(client, learner, lesson, settings):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    client.force_login(learner)
    response = client.post(
        "/api/progress/statements",
        data=json.dumps([statement(lesson)]),
        content_type="application/json",
        HTTP_X_REQUEST_START=stamp(6),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.OVERLOAD_RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["retry_after"] == settings.OVERLOAD_RETRY_AFTER_SECONDS
    assert "Votre travail n'est pas perdu" in body["error"]
    assert Statement.objects.filter(user=learner).count() == 0


@pytest.mark.parametrize("waited", [0.2, None])
def test_a_request_that_did_not_wait_long_is_served_as_always(client, learner, lesson, settings, waited):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    header = {} if waited is None else {"HTTP_X_REQUEST_START": stamp(waited)}
    client.force_login(learner)
    sent = statement(lesson)
    response = client.post(
        "/api/progress/statements", data=json.dumps([sent]), content_type="application/json", **header
    )
    assert response.status_code == 200
    assert response.json() == {"stored": 1, "duplicates": 0}
    assert Statement.objects.filter(user=learner, id=sent["id"]).exists()
    assert client.get(lesson.url, **header).status_code == 200


@pytest.mark.parametrize("value", ["t=1733570000123", "t=1733570000123456", "1733570000.5"])
def test_stamps_in_milliseconds_or_microseconds_count_too(client, lesson, settings, value):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    assert client.get(lesson.url, HTTP_X_REQUEST_START=value).status_code == 503  # a year ago


def test_the_health_check_is_never_refused(client, db, settings):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    response = client.get("/healthz", HTTP_X_REQUEST_START=stamp(60))
    # Answered by the health check itself ("ok", or "degraded" without a worker here), not refused.
    assert response.status_code == 200 and "Retry-After" not in response
    assert response.json()["status"] in {"ok", "degraded"}


def test_switched_off_it_serves_even_an_old_request(client, lesson, settings):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 0
    assert client.get(lesson.url, HTTP_X_REQUEST_START=stamp(60)).status_code == 200


def test_an_unreadable_stamp_is_ignored(client, lesson, settings):
    settings.OVERLOAD_MAX_WAIT_SECONDS = 5
    assert client.get(lesson.url, HTTP_X_REQUEST_START="t=yesterday").status_code == 200


def test_a_process_takes_on_no_more_requests_than_its_in_flight_limit(settings):
    """With the limit reached, the next request is refused at once; once one finishes, the next is served."""
    settings.OVERLOAD_MAX_IN_FLIGHT = 1
    factory = RequestFactory()
    inner = []

    def view(request):
        if request.path == "/nl/first/":  # while this one is being served, a second arrives
            inner.append(middleware(factory.get("/api/progress/statements")))
        return HttpResponse("served")

    middleware = LoadSheddingMiddleware(view)
    first = middleware(factory.get("/nl/first/"))
    assert first.status_code == 200
    assert inner[0].status_code == 503
    assert inner[0]["Retry-After"] == str(settings.OVERLOAD_RETRY_AFTER_SECONDS)
    assert middleware(factory.get("/nl/after/")).status_code == 200
