"""Tell `progress` which lesson or question an xAPI object id names.

Ids are built from the Wagtail translation key, so a lesson is the same activity in every language,
and question ids from the StreamField block id, which translations keep.
"""

import re
import uuid

from django.core.cache import cache

from learn.page_cache import page_cache_generation
from progress.activities import Activity, activity_base

PATTERN = re.compile(r"^/lesson/(?P<lesson>[0-9a-f-]{36})(?:/question/(?P<question>[0-9a-f-]{36}))?$")


def lesson_activity_id(lesson) -> str:
    return f"{activity_base()}/lesson/{lesson.translation_key}"


def question_activity_id(lesson, block_id: str) -> str:
    return f"{lesson_activity_id(lesson)}/question/{block_id}"


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
        activity = _lookup(object_id, uuid.UUID(match["lesson"]), match["question"]) or False
        cache.set(key, activity, 3600)
    return activity or None


def _lookup(object_id: str, lesson_key: uuid.UUID, question_id: str | None) -> Activity | None:
    from .models import LessonPage, ModulePage

    lesson = LessonPage.objects.live().filter(translation_key=lesson_key).order_by("locale_id").first()
    if lesson is None:
        return None
    module = ModulePage.objects.parent_of(lesson).first()
    module_key = module.translation_key if module else None
    lesson_count = LessonPage.objects.live().child_of(module).count() if module else 0
    questions = [block for block in lesson.body if block.block_type == "question"]
    extra = {"module_lesson_count": lesson_count, "question_count": len(questions)}
    if question_id is None:
        return Activity(kind="lesson", object_id=object_id, lesson_key=lesson_key, module_key=module_key, extra=extra)
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
