"""The learning-record endpoint refuses what a real learner's browser never sends, and changes nothing then.

Refused: another content type (415), a stored id with other content (409), an actor or authority that is
somebody else, a score outside its range, a time before the account or in the future, big extensions
(400), and too much at once (429 with Retry-After). What the site's own senders send (lessons/static/lessons/js
/lesson.js and progress/static/progress/js/progress.js) still goes through.
"""

import json
import uuid
from datetime import UTC, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from lessons.activities import lesson_activity_id, question_activity_id
from progress import throttle
from progress.models import LessonProgress, SimulatorAttempt, Statement

VERB = "http://adlnet.gov/expapi/verbs/"
EXT = "https://oefenplein.mechelen.be/xapi/ext/"
URL = "/api/progress/statements"


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("noor", password="een-goed-wachtwoord", display_name="Noor")


def iso(moment) -> str:
    """As the browser's `new Date().toISOString()` writes it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement(object_id, verb="experienced", **extra):
    """A statement as progress.js queues it: with an id and the browser's time."""
    return {
        "id": str(uuid.uuid4()),
        "timestamp": iso(timezone.now()),
        "verb": {"id": VERB + verb, "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": object_id},
        **extra,
    }


def post(client, payload, content_type="application/json", **headers):
    return client.post(URL, data=json.dumps(payload), content_type=content_type, **headers)


def counts() -> tuple[int, int, int]:
    return Statement.objects.count(), LessonProgress.objects.count(), SimulatorAttempt.objects.count()


def first_question(lesson) -> tuple[str, int]:
    block = next(block for block in lesson.body if block.block_type == "question")
    return block.id, next(i for i, option in enumerate(block.value["options"]) if option["correct"])


@pytest.fixture
def earlier(signed_in, lesson):
    """Some records already stored, so that "nothing changed" is checked against real rows."""
    question, correct = first_question(lesson)
    batch = [
        statement(lesson_activity_id(lesson)),
        statement(question_activity_id(lesson, question), "answered", result={"response": str(correct)}),
    ]
    assert post(signed_in, batch).status_code == 200
    return batch


def refused(client, payload, status, **kwargs):
    """Post and check the status and that no row was added or changed."""
    before = counts()
    progress_before = list(LessonProgress.objects.values())
    response = post(client, payload, **kwargs)
    assert response.status_code == status, response.content
    assert counts() == before
    assert list(LessonProgress.objects.values()) == progress_before
    return response


# --- Content type ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_only_json_is_accepted(signed_in, lesson, earlier, content_type):
    response = refused(signed_in, [statement(lesson_activity_id(lesson))], 415, content_type=content_type)
    assert "application/json" in response.json()["error"]


def test_a_form_post_is_refused(signed_in, lesson, earlier):
    before = counts()
    response = signed_in.post(URL, data={"statement": "x"})  # multipart/form-data
    assert response.status_code == 415
    assert counts() == before


def test_json_with_a_charset_is_fine(signed_in, lesson):
    response = post(signed_in, [statement(lesson_activity_id(lesson))], content_type="application/json; charset=utf-8")
    assert response.status_code == 200, response.content


def test_the_415_message_is_translated(signed_in, lesson):
    response = post(
        signed_in, [statement(lesson_activity_id(lesson))], content_type="text/plain", HTTP_ACCEPT_LANGUAGE="nl"
    )
    english = "Send the statements as JSON, with the content type application/json."
    with translation.override("nl"):
        dutch = gettext(english)
    assert dutch != english
    assert response.json()["error"] == dutch


# --- The same id ----------------------------------------------------------------------------------


def test_an_identical_retry_is_a_duplicate(signed_in, earlier):
    response = post(signed_in, earlier)
    assert response.status_code == 200
    assert response.json() == {"stored": 0, "duplicates": 2}


def test_a_retry_that_differs_only_in_what_the_server_sets_is_a_duplicate(signed_in, learner, lesson, settings):
    question, correct = first_question(lesson)
    original = [
        # No timestamp: the server's time goes in, and a retry gets another one.
        {k: v for k, v in statement(lesson_activity_id(lesson)).items() if k != "timestamp"},
        statement(question_activity_id(lesson, question), "answered", result={"response": str(correct)}),
    ]
    assert post(signed_in, original).json() == {"stored": 2, "duplicates": 0}
    own = {"objectType": "Agent", "account": {"homePage": settings.XAPI_ACTIVITY_BASE, "name": str(learner.public_id)}}
    retry = [
        {**original[0], "actor": own, "version": "1.0.3"},
        # The browser's claim about a question is not what is stored: the server works it out.
        {**original[1], "result": {"response": str(correct), "success": False}, "authority": own},
    ]
    response = post(signed_in, retry)
    assert response.status_code == 200, response.content
    assert response.json() == {"stored": 0, "duplicates": 2}


@pytest.mark.parametrize(
    "change",
    [
        lambda s: {**s, "verb": {"id": VERB + "completed"}},
        lambda s: {**s, "timestamp": iso(timezone.now() - timedelta(minutes=1))},
        lambda s: {**s, "result": {"response": "0" if s["result"]["response"] != "0" else "1"}},
        lambda s: {**s, "result": {**s["result"], "duration": "PT30S"}},
        lambda s: {**s, "context": {"extensions": {EXT + "note": "other"}}},
    ],
    ids=["verb", "timestamp", "response", "duration", "context"],
)
def test_the_same_id_with_other_content_is_a_conflict(signed_in, earlier, change):
    changed = change(earlier[1])
    assert changed["id"] == earlier[1]["id"]
    response = refused(signed_in, [statement(earlier[0]["object"]["id"]), changed], 409)
    assert response.json()["error"]


def test_an_id_of_another_learner_is_a_conflict_even_with_the_same_content(signed_in, lesson, django_user_model):
    from progress.services import statements_ingest

    other = django_user_model.objects.create_user("other")
    shared = statement(lesson_activity_id(lesson))
    statements_ingest(user=other, statements=[shared])
    response = refused(signed_in, [shared], 409)
    with translation.override("nl"):  # the learner's language
        assert response.json()["error"] == gettext("Another statement with this id is already stored.")
    # The record stays the other learner's: nobody takes over a statement by sending its id.
    assert list(Statement.objects.filter(id=shared["id"]).values_list("user_id", flat=True)) == [other.pk]


# --- Actor and authority -------------------------------------------------------------------------


def _account(home_page, name):
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


@pytest.mark.parametrize("field", ["actor", "authority"])
@pytest.mark.parametrize(
    "agent",
    [
        lambda base, me, other: _account(base, other),
        lambda base, me, other: _account("https://elders.example", me),
        lambda base, me, other: {"objectType": "Agent", "mbox": "mailto:iemand@example.org"},
        lambda base, me, other: {**_account(base, me), "mbox": "mailto:iemand@example.org"},
        lambda base, me, other: {"objectType": "Group", "member": [_account(base, me)]},
        lambda base, me, other: "me",
    ],
    ids=["another-learner", "another-site", "mbox", "two-identifiers", "group", "text"],
)
def test_a_statement_about_somebody_else_is_refused(
    signed_in, learner, lesson, earlier, django_user_model, settings, field, agent
):
    other = django_user_model.objects.create_user("iemand-anders")
    named = agent(settings.XAPI_ACTIVITY_BASE, str(learner.public_id), str(other.public_id))
    response = refused(
        signed_in, [statement(lesson_activity_id(lesson)), statement(lesson_activity_id(lesson), **{field: named})], 400
    )
    assert response.json()["index"] == 1 and field in response.json()["error"]


def test_the_learner_may_name_themself(signed_in, learner, lesson, settings):
    me = _account(settings.XAPI_ACTIVITY_BASE + "/", str(learner.public_id))
    response = post(signed_in, [statement(lesson_activity_id(lesson), actor=me, authority=me)])
    assert response.status_code == 200, response.content
    assert Statement.objects.get().data["actor"]["account"]["name"] == str(learner.public_id)


# --- Scores --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score",
    [
        {"scaled": -0.5},
        {"scaled": 1.5},
        {
            "scaled": 0.5,
            "raw": -1,
            "min": 0,
            "max": 2,
        },  # raw under min (min 0: a check that reads 0 as "none" misses it)
        {"scaled": 0.5, "raw": 3, "min": 0, "max": 2},
        {"raw": 5, "max": 0},
        {"raw": 1, "min": 2, "max": 1},
    ],
    ids=["scaled-negative", "scaled-over-1", "raw-under-min", "raw-over-max", "raw-over-max-0", "min-over-max"],
)
def test_a_score_outside_its_range_is_refused(signed_in, lesson, earlier, score):
    bad = statement(lesson_activity_id(lesson), "completed", result={"score": score})
    response = refused(signed_in, [statement(lesson_activity_id(lesson)), bad], 400)
    assert response.json()["index"] == 1 and "score" in response.json()["error"]


def test_a_score_within_its_range_is_fine(signed_in, lesson):
    good = statement(
        lesson_activity_id(lesson), "attempted", result={"score": {"scaled": 0, "raw": 0, "min": 0, "max": 3}}
    )
    assert post(signed_in, [good]).status_code == 200


# --- Timestamps ----------------------------------------------------------------------------------


def test_a_time_in_the_future_is_refused(signed_in, lesson, earlier):
    soon = statement(lesson_activity_id(lesson), timestamp=iso(timezone.now() + timedelta(minutes=6)))
    response = refused(signed_in, [soon], 400)
    assert response.json()["index"] == 0
    # A browser clock a little fast is fine.
    assert (
        post(
            signed_in, [statement(lesson_activity_id(lesson), timestamp=iso(timezone.now() + timedelta(minutes=4)))]
        ).status_code
        == 200
    )


def test_a_time_before_the_account_is_refused(signed_in, learner, lesson, earlier, settings):
    settings.PROGRESS_GUEST_PRACTICE_SECONDS = 3600
    learner.date_joined = timezone.now() - timedelta(days=2)
    learner.save(update_fields=["date_joined"])
    too_early = statement(lesson_activity_id(lesson), timestamp=iso(learner.date_joined - timedelta(hours=2)))
    refused(signed_in, [too_early], 400)
    # Practice as a guest just before the account was made is added to it.
    guest = statement(lesson_activity_id(lesson), timestamp=iso(learner.date_joined - timedelta(minutes=30)))
    assert post(signed_in, [guest]).status_code == 200


# --- Extensions ----------------------------------------------------------------------------------


def test_big_extensions_are_refused(signed_in, lesson, earlier):
    half = "x" * 2100  # each part alone is under 4 kB, together they are over it
    big = statement(
        lesson_activity_id(lesson),
        "attempted",
        result={"extensions": {EXT + "a": half}},
        context={"extensions": {EXT + "b": half}},
    )
    response = refused(signed_in, [big], 400)
    assert "kB" in response.json()["error"]
    small = statement(lesson_activity_id(lesson), "attempted", result={"extensions": {EXT + "a": "x" * 3000}})
    assert post(signed_in, [small]).status_code == 200


def test_big_extensions_in_the_activity_definition_are_refused(signed_in, lesson, earlier):
    big = statement(lesson_activity_id(lesson))
    big["object"]["definition"] = {"extensions": {EXT + "a": "é" * 2100}}  # 4200 bytes in UTF-8
    response = refused(signed_in, [big], 400)
    assert response.json()["index"] == 0 and "kB" in response.json()["error"]
    assert not Statement.objects.filter(id=big["id"]).exists()


# --- Rate limit ----------------------------------------------------------------------------------


def test_too_many_batches_get_429_with_retry_after(signed_in, lesson, settings, django_user_model, client):
    settings.PROGRESS_RATE_BATCHES = 3
    for _ in range(3):
        assert post(signed_in, [statement(lesson_activity_id(lesson))]).status_code == 200
    response = refused(signed_in, [statement(lesson_activity_id(lesson))], 429, HTTP_ACCEPT_LANGUAGE="ar")
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= settings.PROGRESS_RATE_WINDOW_SECONDS
    body = response.json()
    english = "You are sending a lot at once. Your progress is kept; it is sent again in a moment."
    with translation.override("ar"):
        arabic = gettext(english)
    assert arabic != english and body["detail"] == arabic and body["retry_after"] == seconds

    # Another learner is counted on their own.
    from django.test import Client

    other = Client()
    other.force_login(django_user_model.objects.create_user("ander"))
    assert post(other, [statement(lesson_activity_id(lesson))]).status_code == 200


def test_too_many_statements_get_429(signed_in, lesson, settings):
    settings.PROGRESS_RATE_STATEMENTS = 60
    assert post(signed_in, [statement(lesson_activity_id(lesson)) for _ in range(50)]).status_code == 200
    refused(signed_in, [statement(lesson_activity_id(lesson)) for _ in range(11)], 429)
    # What is left of the window still fits.
    assert post(signed_in, [statement(lesson_activity_id(lesson)) for _ in range(10)]).status_code == 200


def test_a_full_batch_always_fits_and_zero_switches_a_limit_off(signed_in, lesson, settings):
    settings.PROGRESS_RATE_STATEMENTS = 5  # lower than a full batch: a full batch still fits in a window
    assert post(signed_in, [statement(lesson_activity_id(lesson)) for _ in range(50)]).status_code == 200
    settings.PROGRESS_RATE_BATCHES = 0
    settings.PROGRESS_RATE_STATEMENTS = 0
    for _ in range(5):
        assert post(signed_in, [statement(lesson_activity_id(lesson)) for _ in range(50)]).status_code == 200


def test_the_count_starts_again_in_the_next_window(settings):
    settings.PROGRESS_RATE_BATCHES = 2
    settings.PROGRESS_RATE_WINDOW_SECONDS = 60
    start = 6_000_000.0  # the start of a window
    assert throttle.rate_count(user_id=7, kind=throttle.BATCHES, now=start) is None
    assert throttle.rate_count(user_id=7, kind=throttle.BATCHES, now=start + 10) is None
    assert throttle.rate_count(user_id=7, kind=throttle.BATCHES, now=start + 20) == 40
    assert throttle.rate_count(user_id=7, kind=throttle.BATCHES, now=start + 59.5) == 1
    assert throttle.rate_count(user_id=7, kind=throttle.BATCHES, now=start + 60) is None


# --- The site's own senders ------------------------------------------------------------------------


def test_what_the_lesson_page_sends_is_accepted(signed_in, learner, lesson):
    """lesson.js through progress.js: experienced, answered, completed with the time spent."""
    question, correct = first_question(lesson)
    batch = [
        statement(lesson_activity_id(lesson)),
        statement(question_activity_id(lesson, question), "answered", result={"response": str(correct)}),
        statement(lesson_activity_id(lesson), "completed", result={"completion": True, "duration": "PT95S"}),
    ]
    response = post(signed_in, batch)
    assert response.status_code == 200, response.content
    assert response.json() == {"stored": 3, "duplicates": 0}
    assert post(signed_in, batch).json() == {"stored": 0, "duplicates": 3}
