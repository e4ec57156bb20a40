"""Tell `progress` which lesson, question or H5P exercise an xAPI object id names.

Ids are built from the Wagtail translation key, so a lesson is the same activity in every language,
and question and H5P ids from the StreamField block id, which translations keep. Blocks of the
easier (A2) version have ids of their own and resolve the same way (see `_body_holding`).

Lessons own the question kind (`QUESTION_KIND`): the server scores an answer against the answer key
of the revision the learner saw. H5P results are the h5p app's kind (h5p/activities.py), simulator
attempts the sandboxes app's (sandboxes/activities.py); this module only finds a block in a lesson and
asks the kind that has the block's type for its facts (`ActivityKind.block_facts`).
"""

import re
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry, Revision

from learn.page_cache import page_cache_generation
from progress.activities import (
    CHECKED,
    LESSON,
    Activity,
    ActivityKind,
    Exercise,
    LessonFacts,
    Outcome,
    activity_base,
    activity_block_kinds,
    activity_kind,
    exercise_right_once,
)

from .checks import stream_segments, words_of
from .models import LessonPage, ModulePage

MIN_OPEN_SECONDS = 10
MAX_OPEN_SECONDS = 120
READ_WORDS_PER_SECOND = 8

PATTERN = re.compile(r"^/lesson/(?P<lesson>[0-9a-f-]{36})(?:/(?P<kind>[a-z0-9_]{1,20})/(?P<block>[0-9a-f-]{36}))?$")


def lesson_activity_id(lesson) -> str:
    return f"{activity_base()}/lesson/{lesson.translation_key}"


def question_activity_id(lesson, block_id: str) -> str:
    return f"{lesson_activity_id(lesson)}/question/{block_id}"


def h5p_activity_id(lesson, block_id: str) -> str:
    return f"{lesson_activity_id(lesson)}/h5p/{block_id}"


def simulator_activity_id(lesson, block_id: str) -> str:
    return f"{lesson_activity_id(lesson)}/simulator/{block_id}"


def lesson_activity_resolve(object_id: str) -> Activity | None:
    base = activity_base()
    if not object_id.startswith(base + "/lesson/"):
        return None
    match = PATTERN.match(object_id[len(base) :])
    if not match:
        return None
    # "v3": each kind's own facts in Activity.facts; an Activity cached by an older release is not read back.
    key = f"activity:v3:{page_cache_generation()}:{object_id}"
    activity = cache.get(key)
    if activity is None:
        activity = _lookup(object_id, uuid.UUID(match["lesson"]), match["kind"], match["block"]) or False
        cache.set(key, activity, 3600)
    return activity or None


def _lookup(object_id: str, lesson_key: uuid.UUID, kind: str | None, block_id: str | None) -> Activity | None:
    lesson = LessonPage.objects.live().filter(translation_key=lesson_key).order_by("locale_id").first()
    if lesson is None:
        return None
    module = ModulePage.objects.parent_of(lesson).first()
    module_key = module.translation_key if module else None
    body = _body_holding(lesson, block_id)
    facts = _lesson_facts(lesson, module, version=None if kind is None else _version_of(lesson, body))
    common = {"object_id": object_id, "lesson_key": lesson_key, "module_key": module_key, "lesson": facts}
    if kind is None:
        return Activity(kind=LESSON, **common)
    # An exercise block: the kind named by its block type says what it is (None: not playable yet).
    exercise_kind = activity_kind(kind)
    if exercise_kind is None or exercise_kind.block_facts is None:
        return None
    block = next((block for block in body if block.block_type == kind and block.id == block_id), None)
    facts = exercise_kind.block_facts(block_id, block.value) if block is not None else None
    if facts is None:
        return None
    return Activity(kind=kind, facts=facts, **common)


def _lesson_facts(lesson, module, *, version: int | None) -> LessonFacts:
    """The exercises of each version, the completion rule and the least time a lesson is open.

    A lesson without exercises completes when the learner kept it open long enough to read it: one
    second per READ_WORDS_PER_SECOND words of its shorter text (twice a fast reader's pace), between
    MIN_OPEN_SECONDS and MAX_OPEN_SECONDS, measured on the server's clock (progress/services.py).
    """
    bodies = [lesson.body] + ([lesson.simple_body] if lesson.simple_body else [])
    exercises = activity_block_kinds()
    versions = tuple(
        tuple(Exercise(block_id=block.id, kind=block.block_type) for block in body if block.block_type in exercises)
        for body in bodies
    )
    words = min(sum(len(words_of(segment.text)) for segment in stream_segments(body, "")) for body in bodies)
    seconds = min(max(MIN_OPEN_SECONDS, round(words / READ_WORDS_PER_SECOND)), MAX_OPEN_SECONDS)
    return LessonFacts(
        module_lesson_count=LessonPage.objects.live().child_of(module).count() if module else 0,
        versions=versions,
        answers_must_be_right=lesson.answers_must_be_right,
        min_open_seconds=seconds,
        version=version,
    )


def _version_of(lesson, body) -> int:
    return 1 if lesson.simple_body and body is lesson.simple_body else 0


def _correct_response(value) -> str:
    return str(next(index for index, option in enumerate(value["options"]) if option["correct"]))


def _body_holding(lesson, block_id: str | None):
    """The lesson's body (normal or easier version) that holds the block; the normal one by default.

    Each version's blocks have their own ids, so a block is in one body only. The lesson's score is
    the share of that body's exercises done right: a learner who reads the easier version is scored
    on its exercises. A learner who answers in both versions has answers from both in one record.
    """
    if block_id and any(block.id == block_id for block in lesson.simple_body):
        return lesson.simple_body
    return lesson.body


# --- The question kind: the server scores an answer against the key of the revision shown ----------


@dataclass(frozen=True)
class QuestionFacts:
    block_id: str
    # The live answer key: the fallback when the statement does not say which revision was shown.
    correct_response: str


def question_block_facts(block_id: str, value) -> QuestionFacts:
    return QuestionFacts(block_id=block_id, correct_response=_correct_response(value))


def question_refuse(activity: Activity, data: dict) -> str | None:
    if (data.get("result") or {}).get("response") is None:
        return _("An answer to a question needs result.response.")
    return None


def question_check(activity: Activity, data: dict) -> bool:
    """Whether the chosen option is right, by the answer key of the page revision the learner saw.

    The lesson page names its live revision and lesson.js puts it in `context.revision`; when an
    editor changed the right answer since, the learner is still scored on the question they read.
    Without a revision (or one that is not of this lesson) the live key decides.
    """
    response = str((data.get("result") or {}).get("response"))
    revision = str((data.get("context") or {}).get("revision") or "")
    key = _revision_answer_key(activity, revision) if revision.isdigit() else None
    return response == (key or activity.facts.correct_response)


def _revision_answer_key(activity: Activity, revision: str) -> str | None:
    # A revision never changes, so its answer key is cached for as long as the cache keeps it.
    cache_key = f"answer-key:{activity.lesson_key}:{revision}:{activity.facts.block_id}"
    key = cache.get(cache_key)
    if key is None:
        key = _revision_answer_lookup(activity.lesson_key, int(revision), activity.facts.block_id) or ""
        cache.set(cache_key, key, 86400)
    return key or None


def _revision_answer_lookup(lesson_key: uuid.UUID, revision_id: int, block_id: str) -> str | None:
    """The answer key of a published revision of this lesson; None for anything else.

    Only revisions that were published (learners saw them) count: a draft's key, which no learner
    was shown, never scores an answer.
    """
    if not PageLogEntry.objects.filter(revision_id=revision_id, action="wagtail.publish").exists():
        return None
    revision = Revision.page_revisions.filter(pk=revision_id).first()
    page = revision.as_object() if revision is not None else None
    if not isinstance(page, LessonPage) or page.translation_key != lesson_key:
        return None
    for stream in (page.body, page.simple_body):
        for block in stream:
            if block.block_type == "question" and block.id == block_id:
                return _correct_response(block.value)
    return None


def question_outcome(activity: Activity, statement) -> Outcome:
    """An answer (statement_prepare required one) scored by the server: done, and right or wrong."""
    right = bool(statement.success)
    return Outcome(
        block_id=activity.facts.block_id,
        kind="question",
        right=right,
        done=True,
        evidence=CHECKED,
        score=1.0 if right else 0.0,
    )


def question_done(entry: dict, facts: LessonFacts) -> bool:
    """Answered, or answered right at least once where the lesson says answers must be right."""
    return exercise_right_once(entry) if facts.answers_must_be_right else True


QUESTION_KIND = ActivityKind(
    name="question",
    block_facts=question_block_facts,
    refuse=question_refuse,
    check=question_check,
    outcome=question_outcome,
    exercise_done=question_done,
)
