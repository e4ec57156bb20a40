"""A lesson may have an easier (A2) version; learners switch between the two, with or without JavaScript.

The version is in the URL (?version=easy), so the anonymous page cache keeps one copy per version;
signed-in learners keep their last choice in the session. Exercises of the easier version are
activities of their own and count for the same lesson.
"""

import json
import uuid

import pytest
from django.contrib.auth import get_user_model

from lessons.activities import lesson_activity_id, lesson_activity_resolve, question_activity_id
from lessons.models import LessonPage
from progress.models import LessonProgress, LessonStatus
from tests.factories import scenario as built_in_scenario

VERB = "http://adlnet.gov/expapi/verbs/"


def first_question(stream):
    block = next(block for block in stream if block.block_type == "question")
    correct = next(index for index, option in enumerate(block.value["options"]) if option["correct"])
    return block, correct


def exercises(stream) -> int:
    return sum(1 for block in stream if block.block_type in ("question", "h5p", "simulator"))


def single_version_lesson():
    lessons = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path")
    return next(lesson for lesson in lessons if not lesson.has_simple_version)


@pytest.fixture
def easy_question(lesson):
    assert lesson.has_simple_version, "The first lesson of `course` has an easier version"
    return first_question(lesson.simple_body)


def test_the_normal_text_shows_a_switch_to_the_easier_text(client, lesson, easy_question):
    html = client.get(lesson.url).content.decode()
    normal_question, _ = first_question(lesson.body)
    block, _ = easy_question
    assert normal_question.value["question"] in html
    assert block.value["question"] not in html
    assert 'role="group" aria-labelledby="version-switch-label"' in html
    assert f'href="{lesson.url}?version=easy" data-version-choice="easy">' in html
    assert f'href="{lesson.url}?version=normal" data-version-choice="normal" aria-current="true">' in html


def test_the_easier_text_is_served_from_its_own_url(client, lesson, easy_question):
    response = client.get(lesson.url, {"version": "easy"})
    html = response.content.decode()
    block, _ = easy_question
    normal_question, _ = first_question(lesson.body)
    assert response.status_code == 200
    assert block.value["question"] in html
    assert normal_question.value["question"] not in html
    assert f'href="{lesson.url}?version=easy" data-version-choice="easy" aria-current="true">' in html
    # The question's form keeps the learner in the easier text.
    assert '<input type="hidden" name="version" value="easy">' in html


def test_an_answer_in_the_easier_text_gets_feedback_there(client, lesson, easy_question):
    block, correct = easy_question
    response = client.get(lesson.url, {"version": "easy", "question": block.id, "answer": correct})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="feedback feedback-right"' in html
    assert block.value["options"][correct]["feedback"] in html
    assert f'value="{correct}" required checked' in html


def test_an_unknown_version_is_a_400(client, lesson):
    response = client.get(lesson.url, {"version": "hard"})
    assert response.status_code == 400


def test_a_lesson_without_an_easier_version_has_no_switch_and_ignores_the_parameter(client, course):
    lesson = single_version_lesson()
    normal = client.get(lesson.url).content.decode()
    easy = client.get(lesson.url, {"version": "easy"})
    assert easy.status_code == 200
    assert "data-version-choice" not in normal and "data-version-choice" not in easy.content.decode()


def test_guests_get_one_cached_copy_per_version(client, lesson, easy_question, settings):
    settings.PAGE_CACHE_SECONDS = 600
    block, _ = easy_question
    assert block.value["question"] not in client.get(lesson.url).content.decode()
    assert block.value["question"] in client.get(lesson.url, {"version": "easy"}).content.decode()
    # Both copies are now cached; each URL still gets its own.
    assert block.value["question"] not in client.get(lesson.url).content.decode()
    assert block.value["question"] in client.get(f"{lesson.url}?version=easy").content.decode()


def test_the_pager_keeps_the_easier_text_only_where_the_next_lesson_has_one(client, lesson):
    from lessons import selectors

    navigation = selectors.lesson_navigation(lesson=lesson)
    following = navigation["next_lesson"]
    html = client.get(lesson.url, {"version": "easy"}).content.decode()
    expected = f"{following.url}?version=easy" if following.has_simple_version else f'{following.url}" rel="next"'
    assert expected in html


def test_signed_in_learners_keep_their_choice(client, lesson, easy_question):
    learner = get_user_model().objects.create_user("noor", password="een-goed-wachtwoord", display_name="Noor")
    client.force_login(learner)
    block, _ = easy_question
    client.get(lesson.url, {"version": "easy"})
    assert block.value["question"] in client.get(lesson.url).content.decode()
    client.get(lesson.url, {"version": "normal"})
    assert block.value["question"] not in client.get(lesson.url).content.decode()


def test_editors_preview_both_versions(lesson, easy_question):
    block, _ = easy_question
    assert [mode for mode, _label in lesson.preview_modes] == ["", "easy"]
    easy = lesson.make_preview_request(preview_mode="easy").render().content.decode()
    normal = lesson.make_preview_request(preview_mode="").render().content.decode()
    assert block.value["question"] in easy
    assert block.value["question"] not in normal


def test_the_easier_version_is_translated_with_the_same_block_ids(lesson):
    from wagtail_localize.fields import TranslatableField, get_translatable_fields

    translatable = {
        field.field_name for field in get_translatable_fields(LessonPage) if isinstance(field, TranslatableField)
    }
    assert {"body", "simple_body"} <= translatable
    dutch_ids = [block.id for block in lesson.simple_body]
    for translation in lesson.get_translations():
        translation = translation.specific
        assert [block.id for block in translation.simple_body] == dutch_ids, translation.locale.language_code
        assert translation.simple_body.raw_data != lesson.simple_body.raw_data


# --- Activities and progress -----------------------------------------------------------------------


def test_a_question_of_the_easier_text_resolves_with_the_easier_exercise_count(lesson, easy_question):
    block, correct = easy_question
    activity = lesson_activity_resolve(question_activity_id(lesson, block.id))
    assert activity is not None and activity.kind == "question"
    assert activity.lesson_key == lesson.translation_key
    assert activity.facts.correct_response == str(correct)
    assert activity.lesson.exercise_count == exercises(lesson.simple_body)

    normal, _ = first_question(lesson.body)
    assert lesson_activity_resolve(question_activity_id(lesson, normal.id)).lesson.exercise_count == exercises(
        lesson.body
    )


def test_the_lesson_statement_leaves_the_count_to_the_exercises_when_there_are_two_versions(lesson, course):
    assert lesson_activity_resolve(lesson_activity_id(lesson)).lesson.exercise_count is None
    single = single_version_lesson()
    assert lesson_activity_resolve(lesson_activity_id(single)).lesson.exercise_count == exercises(single.body)


def test_answers_in_the_easier_text_count_for_the_same_lesson(client, lesson, easy_question):
    learner = get_user_model().objects.create_user("sami", password="een-goed-wachtwoord", display_name="Sami")
    client.force_login(learner)
    block, correct = easy_question
    batch = [
        {
            "id": str(uuid.uuid4()),
            "verb": {"id": VERB + "answered"},
            "object": {"id": question_activity_id(lesson, block.id), "objectType": "Activity"},
            "result": {"response": str(correct)},
        },
        {
            "id": str(uuid.uuid4()),
            "verb": {"id": VERB + "completed"},
            "object": {"id": lesson_activity_id(lesson), "objectType": "Activity"},
        },
    ]
    response = client.post("/api/progress/statements", data=json.dumps(batch), content_type="application/json")
    assert response.status_code == 200, response.content
    progress = LessonProgress.objects.get(user=learner, lesson_key=lesson.translation_key)
    assert progress.question_count == exercises(lesson.simple_body)
    assert progress.best_score == pytest.approx(1 / exercises(lesson.simple_body))
    assert block.id in progress.answers
    # Every exercise of the easier text is answered: that version of the lesson is finished.
    assert progress.status == LessonStatus.COMPLETED and progress.checked_completed_at is not None


def test_a_simulator_in_the_easier_text_resolves_and_counts_there(lesson):
    built_in_scenario("train")
    from lessons.activities import simulator_activity_id
    from sandboxes.models import Scenario

    scenario = Scenario.objects.filter(locale=lesson.locale).first()
    block_id = str(uuid.uuid4())
    lesson.simple_body = [
        *lesson.simple_body.raw_data,
        {"type": "simulator", "value": {"scenario": scenario.pk, "mode": ""}, "id": block_id},
    ]
    lesson.save_revision().publish()
    lesson.refresh_from_db()

    activity = lesson_activity_resolve(simulator_activity_id(lesson, block_id))
    assert activity is not None and activity.kind == "simulator"
    assert activity.facts.scenario_key == str(scenario.translation_key)
    assert activity.lesson.exercise_count == exercises(lesson.simple_body) == 2
