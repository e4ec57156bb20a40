import json
import uuid

import pytest

from lessons.activities import lesson_activity_id, question_activity_id
from lessons.models import LessonPage, ModulePage
from progress.models import AppendOnlyError, LessonProgress, LessonStatus, ModuleProgress, Statement
from tests.factories import fresh, module_with_lessons, question, site_tree, text, tip, translated_module

from .evidence import lesson_done

VERB = "http://adlnet.gov/expapi/verbs/"
URL = "/api/progress/statements"


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("amina", password="een-goed-wachtwoord", display_name="Amina")


@pytest.fixture(scope="module")
def _pages_for_module(module_data):
    """A Dutch lesson with two questions and its Arabic translation; a second module of three lessons."""
    tree = site_tree("nl", "ar")
    module, (lesson,) = module_with_lessons(tree.catalogue["nl"], [text(), question(), question(right=1)])
    translated_module(module, [lesson], ["ar"])
    _other, three = module_with_lessons(
        tree.catalogue["nl"], [text(), question()], [question(), question(right=1)], [tip(), question()]
    )
    return {"lesson": lesson, "three_lessons": three}


@pytest.fixture
def lesson(_pages_for_module, db):
    return fresh(_pages_for_module["lesson"])


@pytest.fixture
def three_lessons(_pages_for_module, db):
    return fresh(_pages_for_module["three_lessons"])


def statement(object_id, verb="experienced", **extra):
    return {
        "id": str(uuid.uuid4()),
        "verb": {"id": VERB + verb},
        "object": {"id": object_id, "objectType": "Activity"},
        **extra,
    }


def post(client, payload):
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


def _questions(lesson):
    result = []
    for block in lesson.body:
        if block.block_type == "question":
            correct = next(i for i, option in enumerate(block.value["options"]) if option["correct"])
            result.append((block.id, correct))
    return result


def test_a_batch_is_stored_once_and_updates_the_lesson(signed_in, learner, lesson):
    (question, correct), *_ = _questions(lesson)
    batch = [
        statement(lesson_activity_id(lesson)),
        statement(
            question_activity_id(lesson, question), "answered", result={"response": str(correct), "duration": "PT20S"}
        ),
    ]
    first = post(signed_in, batch)
    assert first.status_code == 200, first.content
    assert first.json() == {"stored": 2, "duplicates": 0}

    retry = post(signed_in, batch)
    assert retry.json() == {"stored": 0, "duplicates": 2}
    assert Statement.objects.filter(user=learner).count() == 2

    progress = LessonProgress.objects.get(user=learner, lesson_key=lesson.translation_key)
    assert progress.status == LessonStatus.IN_PROGRESS
    assert progress.time_spent_seconds == 20
    assert progress.last_score == pytest.approx(1 / len(_questions(lesson)))


def test_the_server_decides_if_an_answer_is_right(signed_in, learner, lesson):
    (question, correct), *_ = _questions(lesson)
    wrong = (correct + 1) % 2
    claim = {"response": str(wrong), "success": True, "score": {"scaled": 1, "raw": 1, "min": 0, "max": 1}}
    assert (
        post(signed_in, [statement(question_activity_id(lesson, question), "answered", result=claim)]).status_code
        == 200
    )
    stored = Statement.objects.get(user=learner)
    assert stored.success is False and stored.score_scaled == 0.0
    progress = LessonProgress.objects.get(user=learner)
    assert progress.wrong_answers == 1 and progress.first_score == 0.0


def test_actor_always_comes_from_the_session(signed_in, learner, lesson, django_user_model, settings):
    other = django_user_model.objects.create_user("someone-else")
    forged = statement(
        lesson_activity_id(lesson),
        actor={"objectType": "Agent", "account": {"homePage": "https://x.example", "name": str(other.public_id)}},
    )
    refused = post(signed_in, [forged])
    assert refused.status_code == 400 and "actor" in refused.json()["error"]
    assert Statement.objects.count() == 0

    own = statement(
        lesson_activity_id(lesson),
        actor={
            "objectType": "Agent",
            "account": {"homePage": settings.XAPI_ACTIVITY_BASE, "name": str(learner.public_id)},
        },
    )
    assert post(signed_in, [own]).status_code == 200
    stored = Statement.objects.get()
    assert stored.user == learner
    assert stored.data["actor"]["account"]["name"] == str(learner.public_id)


def test_completing_every_lesson_completes_the_module(signed_in, learner, three_lessons):
    # Lessons with questions only (no simulator), answered for real.
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path")[1]
    lessons = list(LessonPage.objects.live().child_of(module).order_by("path"))
    assert lessons == three_lessons
    post(signed_in, [record for page in lessons[:-1] for record in lesson_done(page)])
    module = ModuleProgress.objects.get(user=learner)
    assert (module.lessons_completed, module.lessons_total, module.completed_at) == (
        len(lessons) - 1,
        len(lessons),
        None,
    )

    post(signed_in, lesson_done(lessons[-1]))
    module.refresh_from_db()
    assert module.lessons_completed == len(lessons) and module.completed_at is not None
    assert module.percent == 100


def test_progress_follows_the_learner_across_languages(signed_in, learner, lesson):
    arabic = lesson.get_translation(lesson.get_translations().filter(locale__language_code="ar").first().locale)
    post(signed_in, lesson_done(arabic))
    progress = LessonProgress.objects.get(user=learner)
    assert progress.lesson_key == lesson.translation_key and progress.status == LessonStatus.COMPLETED


@pytest.mark.parametrize(
    "bad,reason_part",
    [
        ({"verb": {"id": VERB + "experienced"}, "object": {"id": "X"}}, "id"),
        ({"id": "not-a-uuid", "verb": {"id": VERB + "experienced"}, "object": {"id": "X"}}, "id"),
        ({"id": str(uuid.uuid4()), "verb": {"id": "not an iri"}, "object": {"id": "LESSON"}}, "verb"),
        ({"id": str(uuid.uuid4()), "verb": {"id": VERB + "launched"}, "object": {"id": "LESSON"}}, "verb"),
        (
            {
                "id": str(uuid.uuid4()),
                "verb": {"id": VERB + "experienced"},
                "object": {"id": "https://oefenplein.mechelen.be/xapi/lesson/00000000-0000-0000-0000-000000000000"},
            },
            "activity",
        ),
        (
            {
                "id": str(uuid.uuid4()),
                "verb": {"id": VERB + "answered"},
                "object": {"id": "LESSON"},
                "result": {"score": {"scaled": 2}},
            },
            "result",
        ),
        ("just a string", "JSON object"),
    ],
)
def test_a_bad_statement_rejects_the_whole_batch(signed_in, learner, lesson, bad, reason_part):
    if isinstance(bad, dict) and bad.get("object", {}).get("id") == "LESSON":
        bad["object"]["id"] = lesson_activity_id(lesson)
    good = statement(lesson_activity_id(lesson))
    response = post(signed_in, [good, bad])
    assert response.status_code == 400
    body = response.json()
    assert body["index"] == 1 and body["error"]
    assert Statement.objects.count() == 0 and LessonProgress.objects.count() == 0


def test_oversized_batches_get_413(signed_in, lesson):
    too_many = [statement(lesson_activity_id(lesson)) for _ in range(51)]
    assert post(signed_in, too_many).status_code == 413
    huge = statement(lesson_activity_id(lesson), result={"response": "x" * 300_000})
    assert post(signed_in, [huge]).status_code == 413
    assert Statement.objects.count() == 0


def test_anonymous_writes_get_401(client, lesson):
    response = post(client, [statement(lesson_activity_id(lesson))])
    assert response.status_code == 401
    assert Statement.objects.count() == 0


def test_writes_need_the_csrf_token(learner, lesson):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert post(client, [statement(lesson_activity_id(lesson))]).status_code == 403


def test_a_statement_id_of_another_learner_is_a_conflict(signed_in, lesson, django_user_model):
    from progress.services import statements_ingest

    other = django_user_model.objects.create_user("other")
    shared = statement(lesson_activity_id(lesson))
    statements_ingest(user=other, statements=[shared])
    assert post(signed_in, [shared]).status_code == 409


def test_invalid_json_and_get_requests(signed_in):
    assert signed_in.post(URL, data="{nope", content_type="application/json").status_code == 400
    assert signed_in.get(URL).status_code == 405


def test_records_are_append_only(signed_in, learner, lesson):
    post(signed_in, [statement(lesson_activity_id(lesson))])
    record = Statement.objects.get()
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
