"""Tell `progress` which lesson, question or H5P exercise an xAPI object id names.

Ids are built from the Wagtail translation key, so a lesson is the same activity in every language,
and question and H5P ids from the StreamField block id, which translations keep. Blocks of the
easier (A2) version have ids of their own and resolve the same way (see `_body_holding`).
"""

import re
import uuid

from django.core.cache import cache

from learn.page_cache import page_cache_generation
from progress.activities import Activity, activity_base

PATTERN = re.compile(
    r"^/lesson/(?P<lesson>[0-9a-f-]{36})(?:/(?P<kind>question|h5p|simulator)/(?P<block>[0-9a-f-]{36}))?$"
)


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
    key = f"activity:{page_cache_generation()}:{object_id}"
    activity = cache.get(key)
    if activity is None:
        activity = _lookup(object_id, uuid.UUID(match["lesson"]), match["kind"], match["block"]) or False
        cache.set(key, activity, 3600)
    return activity or None


def _lookup(object_id: str, lesson_key: uuid.UUID, kind: str | None, block_id: str | None) -> Activity | None:
    from .models import LessonPage, ModulePage

    lesson = LessonPage.objects.live().filter(translation_key=lesson_key).order_by("locale_id").first()
    if lesson is None:
        return None
    module = ModulePage.objects.parent_of(lesson).first()
    module_key = module.translation_key if module else None
    lesson_count = LessonPage.objects.live().child_of(module).count() if module else 0
    body = _body_holding(lesson, block_id)
    questions = [block for block in body if block.block_type == "question"]
    # H5P exercises count with the questions: the lesson's score is the share of them done right.
    exercises = len(questions) + sum(1 for block in body if block.block_type in ("h5p", "simulator"))
    extra = {"module_lesson_count": lesson_count, "question_count": exercises}
    if kind is None and lesson.simple_body:
        # With an easier version only an exercise knows which version the learner reads, and so
        # how many exercises the lesson has for them; the lesson statement keeps what they set.
        del extra["question_count"]
    if kind is None:
        return Activity(kind="lesson", object_id=object_id, lesson_key=lesson_key, module_key=module_key, extra=extra)
    if kind == "h5p":
        return _h5p_activity(lesson, body, object_id, block_id, module_key=module_key, extra=extra)
    if kind == "simulator":
        return _simulator_activity(lesson, body, object_id, block_id, module_key=module_key, extra=extra)
    question_id = block_id
    block = next((block for block in questions if block.id == question_id), None)
    if block is None:
        return None
    correct = next(index for index, option in enumerate(block.value["options"]) if option["correct"])
    return Activity(
        kind="question",
        object_id=object_id,
        lesson_key=lesson_key,
        module_key=module_key,
        correct_response=str(correct),
        extra={**extra, "question_id": question_id},
    )


def _body_holding(lesson, block_id: str | None):
    """The lesson's body (normal or easier version) that holds the block; the normal one by default.

    Each version's blocks have their own ids, so a block is in one body only. The lesson's score is
    the share of that body's exercises done right: a learner who reads the easier version is scored
    on its exercises. A learner who answers in both versions has answers from both in one record.
    """
    if block_id and any(block.id == block_id for block in lesson.simple_body):
        return lesson.simple_body
    return lesson.body


def _h5p_activity(lesson, body, object_id: str, block_id: str, *, module_key, extra: dict) -> Activity | None:
    """An H5P block of a live lesson whose exercise is ready, with its completion rule."""
    block = next((block for block in body if block.block_type == "h5p" and block.id == block_id), None)
    content = block.value.get("content") if block else None
    if content is None or not content.is_ready:
        return None
    min_score = block.value.get("min_score")
    return Activity(
        kind="h5p",
        object_id=object_id,
        lesson_key=lesson.translation_key,
        module_key=module_key,
        extra={
            **extra,
            "block_id": block_id,
            "content_key": str(content.key),
            "completion": block.value.get("completion") or "answered",
            "min_score": 0 if min_score is None else int(min_score),
        },
    )


def _simulator_activity(lesson, body, object_id: str, block_id: str, *, module_key, extra: dict) -> Activity | None:
    """A simulator block of a live lesson; attempts count for its scenario and for the lesson."""
    block = next((b for b in body if b.block_type == "simulator" and b.id == block_id), None)
    scenario = block.value.get("scenario") if block else None
    if scenario is None:
        return None
    return Activity(
        kind="simulator",
        object_id=object_id,
        lesson_key=lesson.translation_key,
        module_key=module_key,
        extra={**extra, "block_id": block_id, "scenario_key": str(scenario.translation_key)},
    )
