"""Retention of learning records: statements older than PRIVACY_STATEMENT_DAYS become anonymous counts.

Each batch is counted into `StatementSummary` (per month stored, verb, activity kind, lesson and module)
and deleted in one transaction, so a statement is counted exactly once, whatever the number of runs.
The figures read `LessonProgress`, `ModuleProgress` and `SimulatorAttempt` (progress.figures), never
statements, so they stay right. Run nightly by Celery beat (`progress.tasks.statements_reduce_task`).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Statement, StatementSummary

BATCH = 5000


def statements_reduce(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Reduce the old statements; answer how many were reduced."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PRIVACY_STATEMENT_DAYS)
    reduced = 0
    while True:
        with transaction.atomic():
            ids = list(
                Statement.objects.filter(stored__lt=cutoff)
                .order_by("stored", "id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return reduced
            groups = (
                Statement.objects.filter(id__in=ids)
                .annotate(month=TruncMonth("stored"))
                .values("month", "verb", "activity_kind", "lesson_key", "module_key")
                .annotate(
                    count=Count("id"),
                    successes=Count("id", filter=Q(success=True)),
                    failures=Count("id", filter=Q(success=False)),
                    duration=Sum("duration_seconds"),
                    hint_total=Sum("hints"),
                )
                .order_by()
            )
            for group in groups:
                month = group["month"].date() if isinstance(group["month"], datetime) else group["month"]
                key = {
                    "month": month,
                    "verb": group["verb"],
                    "activity_kind": group["activity_kind"],
                    "lesson_key": group["lesson_key"],
                    "module_key": group["module_key"],
                }
                summary = StatementSummary.objects.select_for_update().filter(**key).first()
                if summary is None:
                    summary = StatementSummary.objects.create(**key)
                StatementSummary.objects.filter(pk=summary.pk).update(
                    statements=F("statements") + group["count"],
                    successes=F("successes") + group["successes"],
                    failures=F("failures") + group["failures"],
                    duration_seconds=F("duration_seconds") + (group["duration"] or 0),
                    hints=F("hints") + (group["hint_total"] or 0),
                )
            # A queryset delete: `Statement.delete()` refuses on purpose, one statement at a time.
            Statement.objects.filter(id__in=ids).delete()
            reduced += len(ids)
