"""Issue 12: a lesson completes only on evidence the server checked, never on a bare "completed" claim."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.activities import h5p_activity_id, lesson_activity_id, lesson_activity_resolve, question_activity_id
from lessons.models import LessonPage, ModulePage
from progress.models import LessonProgress, LessonStatus, ModuleProgress, Statement
from tests.factories import fresh, module_with_lessons, question, site_tree, text, tip
from tests.h5p.player_support import h5p_block_add, ready_content

from .evidence import answer, forged_completed, lesson_done, questions, statement

URL = "/api/progress/statements"


def post(client, payload):
    response = client.post(URL, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture(scope="module")
def _course_for_module(module_data):
    """Two Dutch modules. The second has three lessons: a text and one question; a text and two
    questions; a tip and a question."""
    catalogue = site_tree("nl").catalogue["nl"]
    module_with_lessons(catalogue, [text(), question()])
    module_with_lessons(
        catalogue,
        [text(), question()],
        [text(), question(right=1), text("<p>Nog een vraag.</p>"), question("Is dit veilig?", ("Ja", "Nee"))],
        [tip(), question()],
    )


@pytest.fixture
def course(_course_for_module, db):
    return fresh(_course_for_module)


@pytest.fixture
def lesson(course):
    """The first lesson of the first module."""
    return lessons_of(modules()[0])[0]


def modules():
    return list(ModulePage.objects.live().filter(locale__language_code="nl").order_by("path"))


def lessons_of(module):
    return list(LessonPage.objects.live().child_of(module).order_by("path"))


def progress_of(learner, lesson):
    return LessonProgress.objects.get(user=learner, lesson_key=lesson.translation_key)


def republished(lesson, *, body=None, simple_body=None, **fields):
    """The lesson with a new published revision (a new body, or other fields)."""
    if body is not None:
        lesson.body = body
    if simple_body is not None:
        lesson.simple_body = simple_body
    for name, value in fields.items():
        setattr(lesson, name, value)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def without_exercises(lesson):
    keep = [block for block in lesson.body.raw_data if block["type"] not in ("question", "h5p", "simulator")]
    return republished(lesson, body=keep, simple_body=[])


def opened_long_ago(learner, lesson, seconds):
    LessonProgress.objects.filter(user=learner, lesson_key=lesson.translation_key).update(
        opened_at=timezone.now() - timedelta(seconds=seconds)
    )


# --- Forged claims ---------------------------------------------------------------------------------


def test_forged_completed_statements_are_kept_and_finish_nothing(signed_in, learner, course):
    """The path of issue 12: "completed" for four lessons of a staff programme, no answer."""
    first, second = modules()[:2]
    programme_lessons = [lessons_of(first)[0], *lessons_of(second)]
    assert post(signed_in, [forged_completed(lesson) for lesson in programme_lessons]) == {
        "stored": 4,
        "duplicates": 0,
    }
    assert Statement.objects.filter(user=learner, verb__endswith="/completed").count() == 4  # kept for the record
    assert not LessonProgress.objects.filter(user=learner, status=LessonStatus.COMPLETED).exists()
    assert not LessonProgress.objects.filter(user=learner, checked_completed_at__isnull=False).exists()
    assert not ModuleProgress.objects.filter(user=learner, completed_at__isnull=False).exists()


def test_a_lesson_score_claim_counts_for_nothing(signed_in, learner, lesson):
    claim = statement(lesson_activity_id(lesson), "completed", result={"score": {"scaled": 1.0}, "success": True})
    post(signed_in, [claim])
    progress = progress_of(learner, lesson)
    assert progress.status == LessonStatus.IN_PROGRESS and progress.best_score is None


# --- Lessons with questions ------------------------------------------------------------------------


def test_answering_every_question_finishes_the_lesson_wrong_answers_included(signed_in, learner, course):
    lesson = lessons_of(modules()[1])[1]
    (first_id, first_right), (last_id, last_right) = questions(lesson)
    post(signed_in, [statement(lesson_activity_id(lesson)), answer(lesson, first_id, first_right)])
    assert progress_of(learner, lesson).status == LessonStatus.IN_PROGRESS

    post(signed_in, [answer(lesson, last_id, (last_right + 1) % 2)])
    progress = progress_of(learner, lesson)
    assert progress.status == LessonStatus.COMPLETED  # no "completed" was needed: the answers are the evidence
    assert progress.completed_at is not None and progress.checked_completed_at is not None
    assert progress.wrong_answers == 1 and progress.first_score == pytest.approx(0.5)
    assert progress.answers[last_id]["evidence"] == "checked"
    module = ModuleProgress.objects.get(user=learner)
    assert module.lessons_completed == 1


def test_a_lesson_that_asks_for_right_answers_waits_for_them(signed_in, learner, course):
    lesson = republished(lessons_of(modules()[1])[1], answers_must_be_right=True)
    wrong = [answer(lesson, block_id, (right + 1) % 2) for block_id, right in questions(lesson)]
    post(signed_in, [statement(lesson_activity_id(lesson)), *wrong, forged_completed(lesson)])
    assert progress_of(learner, lesson).status == LessonStatus.IN_PROGRESS

    post(signed_in, [answer(lesson, block_id, right) for block_id, right in questions(lesson)])
    progress = progress_of(learner, lesson)
    assert progress.status == LessonStatus.COMPLETED and progress.checked_completed_at is not None
    assert progress.first_score == 0.0 and progress.last_score == 1.0


def test_an_easier_text_without_questions_never_stands_in_for_the_questions(signed_in, learner, course):
    lesson = lessons_of(modules()[1])[0]
    text = [block for block in lesson.body.raw_data if block["type"] == "text"]
    lesson = republished(lesson, simple_body=text)
    post(signed_in, [statement(lesson_activity_id(lesson))])
    opened_long_ago(learner, lesson, 3600)
    post(signed_in, [forged_completed(lesson)])
    assert progress_of(learner, lesson).status == LessonStatus.IN_PROGRESS
    post(signed_in, lesson_done(lesson))
    assert progress_of(learner, lesson).status == LessonStatus.COMPLETED


# --- Lessons without questions ---------------------------------------------------------------------


def test_a_lesson_without_questions_completes_after_it_was_open_long_enough(signed_in, learner, course):
    lesson = without_exercises(lessons_of(modules()[1])[0])
    needed = lesson_activity_resolve(lesson_activity_id(lesson)).lesson.min_open_seconds
    assert 10 <= needed <= 120

    # Opened and "completed" in one go: zero seconds on the server's clock, whatever the browser says.
    post(signed_in, [statement(lesson_activity_id(lesson)), forged_completed(lesson)])
    progress = progress_of(learner, lesson)
    assert progress.status == LessonStatus.IN_PROGRESS and progress.opened_at is not None
    assert progress.read_at is None

    opened_long_ago(learner, lesson, needed - 5)
    post(signed_in, [forged_completed(lesson)])
    assert progress_of(learner, lesson).status == LessonStatus.IN_PROGRESS

    opened_long_ago(learner, lesson, needed)
    post(signed_in, [forged_completed(lesson)])
    progress = progress_of(learner, lesson)
    assert progress.status == LessonStatus.COMPLETED and progress.read_at is not None
    assert progress.checked_completed_at is not None


def test_a_lesson_never_opened_is_not_completed_by_a_claim(signed_in, learner, course):
    lesson = without_exercises(lessons_of(modules()[1])[0])
    post(signed_in, [forged_completed(lesson)])
    progress = progress_of(learner, lesson)
    assert progress.status == LessonStatus.IN_PROGRESS and progress.opened_at is None


def test_opening_again_in_the_same_visit_keeps_the_first_opening(signed_in, learner, course):
    lesson = without_exercises(lessons_of(modules()[1])[0])
    post(signed_in, [statement(lesson_activity_id(lesson))])
    opened_long_ago(learner, lesson, 600)
    post(signed_in, [statement(lesson_activity_id(lesson)), forged_completed(lesson)])
    assert progress_of(learner, lesson).status == LessonStatus.COMPLETED


# --- The answer key of the revision the learner saw --------------------------------------------------


def body_with_right_option(lesson, block_id: str, right: int) -> list:
    body = list(lesson.body.raw_data)
    for block in body:
        if block["id"] == block_id:
            # A list item is stored as {"type": "item", "value": {...}, "id": ...} (older data: the value).
            options = [option.get("value", option) for option in block["value"]["options"]]
            for number, option in enumerate(options):
                option["correct"] = number == right
    return body


def test_an_answer_is_scored_against_the_revision_the_learner_saw(signed_in, learner, course):
    lesson = lessons_of(modules()[1])[0]
    old_revision = lesson.live_revision_id
    ((block_id, old_right),) = questions(lesson)
    new_right = (old_right + 1) % 2
    lesson = republished(lesson, body=body_with_right_option(lesson, block_id, new_right))
    assert lesson.live_revision_id != old_revision
    assert questions(lesson) == [(block_id, new_right)]

    seen_old = answer(lesson, block_id, old_right, revision=old_revision)
    seen_new = answer(lesson, block_id, old_right, revision=lesson.live_revision_id)
    unknown = answer(lesson, block_id, new_right, revision=999_999)
    other_page = answer(lesson, block_id, new_right, revision=lessons_of(modules()[1])[1].live_revision_id)
    without = statement(question_activity_id(lesson, block_id), "answered", result={"response": str(new_right)})
    # A draft (never published, never shown to a learner) whose key says the old answer is right.
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.body = body_with_right_option(draft, block_id, old_right)
    draft_revision = draft.save_revision().pk
    from_draft = answer(lesson, block_id, old_right, revision=draft_revision)
    post(signed_in, [seen_old, seen_new, unknown, other_page, without, from_draft])

    success = dict(Statement.objects.filter(user=learner).values_list("id", "success"))
    verdicts = [success[uuid.UUID(record["id"])] for record in (seen_old, seen_new, unknown)]
    assert verdicts == [True, False, True]  # an unknown revision falls back to the live key
    assert success[uuid.UUID(other_page["id"])] is True  # a revision of another lesson too
    assert success[uuid.UUID(without["id"])] is True
    assert success[uuid.UUID(from_draft["id"])] is False  # a draft's key never counts: the live one does


def test_the_lesson_page_names_the_revision_it_shows(client, lesson):
    html = client.get(lesson.url).content.decode()
    assert f'data-lesson-revision="{lesson.live_revision_id}"' in html


# --- H5P: reported by the player ---------------------------------------------------------------------


def test_an_h5p_result_counts_for_the_lesson_as_reported_not_as_checked(signed_in, learner, course):
    lesson = without_exercises(lessons_of(modules()[1])[0])
    block_id = h5p_block_add(lesson, ready_content(), completion="answered")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    played = statement(
        h5p_activity_id(lesson, block_id),
        "answered",
        result={"success": False, "score": {"scaled": 0.0, "raw": 0, "min": 0, "max": 1}},
    )
    post(signed_in, [statement(lesson_activity_id(lesson)), played])
    progress = progress_of(learner, lesson)
    entry = progress.answers[block_id]
    # Done when answered; still wrong, as the player said; and only the player's word.
    assert (entry["done"], entry["first"], entry["last"], entry["evidence"]) == (True, False, False, "reported")
    assert progress.status == LessonStatus.COMPLETED
    assert progress.checked_completed_at is None

    # Without H5P the lesson has nothing the server can check: then reading it long enough is the evidence.
    opened_long_ago(learner, lesson, 120)
    post(signed_in, [forged_completed(lesson)])
    assert progress_of(learner, lesson).checked_completed_at is not None


def test_a_score_above_the_minimum_is_right_without_a_success_flag(signed_in, learner, course):
    lesson = without_exercises(lessons_of(modules()[1])[0])
    block_id = h5p_block_add(lesson, ready_content(), completion="passed", min_score=60)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    scored = statement(
        h5p_activity_id(lesson, block_id), "answered", result={"score": {"scaled": 0.8, "raw": 4, "min": 0, "max": 5}}
    )
    post(signed_in, [scored])
    entry = progress_of(learner, lesson).answers[block_id]
    assert (entry["done"], entry["last"], entry["score"]) == (True, True, 0.8)
