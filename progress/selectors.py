"""Reads of learning records for learner pages and, later, coach and manager dashboards.

Everything reads the aggregates; nothing here scans the statement log except the learner's own
data export.
"""

from dataclasses import dataclass
from uuid import UUID

from .models import LessonProgress, LessonStatus, ModuleProgress, Statement


@dataclass
class LearnerOverview:
    modules: list  # ModuleProgress, most recent first
    lessons: dict  # lesson_key -> LessonProgress
    resume_lesson_key: UUID | None
    completed_lessons: list  # LessonProgress, most recent first


def learner_overview(*, user, limit: int = 200) -> LearnerOverview:
    """Two queries, whatever the number of modules and lessons."""
    modules = list(ModuleProgress.objects.filter(user=user).order_by("-last_activity_at")[:limit])
    lessons = {
        row.lesson_key: row
        for row in LessonProgress.objects.filter(user=user).order_by("-last_activity_at")[: limit * 20]
    }
    resume = next((row.lesson_key for row in lessons.values() if row.status != LessonStatus.COMPLETED), None)
    completed = [row for row in lessons.values() if row.status == LessonStatus.COMPLETED]
    return LearnerOverview(modules=modules, lessons=lessons, resume_lesson_key=resume, completed_lessons=completed)


def lesson_progress_for(*, user, lesson_keys) -> dict:
    return {row.lesson_key: row for row in LessonProgress.objects.filter(user=user, lesson_key__in=list(lesson_keys))}


def learner_statements_export(*, user):
    """Every statement of one learner, oldest first, streamed in chunks (for the data download)."""
    return (
        Statement.objects.filter(user=user)
        .order_by("stored", "id")
        .values_list("data", flat=True)
        .iterator(chunk_size=500)
    )
