"""The only way learning records are written. Activities (quiz, lesson, simulator, H5P) all come here.

Nothing here knows a kind of activity: each kind's hooks (progress/activities.py), registered by the app
that owns it, say what its statements mean; this module stores them once, keeps the aggregates and
decides completion from the outcomes.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learn.metrics import DUPLICATE, REFUSED, STORED, statements_count
from learn.page_cache import learner_version_bump

from .activities import (
    LESSON,
    REPORTED,
    LessonFacts,
    Outcome,
    activity_exercise_done,
    activity_kind,
    activity_kind_checked,
    activity_outcome,
)
from .attempts import attempt_passed_subject, attempts_apply
from .models import LessonProgress, LessonStatus, ModuleProgress, Statement
from .rows import rows_update
from .signals import learning_completed
from .xapi import VERB_BASE, PreparedStatement, StatementRejected, statement_matches, statement_prepare

MAX_BATCH = 50
COMPLETED = VERB_BASE + "completed"
EXPERIENCED = VERB_BASE + "experienced"


class StatementConflict(Exception):
    """A statement id that is already stored for somebody else, or for this learner with other content."""


@dataclass
class IngestResult:
    stored: int
    duplicates: int


def statements_ingest(*, user, statements: list) -> IngestResult:
    """Store a batch (see `_statements_store`) and count the outcome for /metrics (learn/metrics.py)."""
    if len(statements) > MAX_BATCH:
        statements_count(outcome=REFUSED, reason="too_many", amount=len(statements))
    try:
        result = _statements_store(user=user, statements=statements)
    except StatementRejected:
        statements_count(outcome=REFUSED, reason="invalid", amount=len(statements))
        raise
    except StatementConflict:
        statements_count(outcome=REFUSED, reason="conflict", amount=len(statements))
        raise
    statements_count(outcome=STORED, amount=result.stored)
    statements_count(outcome=DUPLICATE, amount=result.duplicates)
    return result


def _statements_store(*, user, statements: list) -> IngestResult:
    """Store a batch of statements for `user` exactly once and update the aggregates with them.

    All or nothing: one bad statement rejects the whole batch (StatementRejected), so a retry of
    the corrected batch never leaves half of it behind. Statement ids already stored for this
    learner with the same content are skipped, which makes retries after a lost response safe; the
    same id with other content is a StatementConflict.
    """
    if len(statements) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} statements per batch")
    now = timezone.now()
    actor = str(user.public_id)
    prepared: dict = {}
    for index, raw in enumerate(statements):
        statement = statement_prepare(raw=raw, index=index, actor_name=actor, now=now, joined=user.date_joined)
        if statement.id in prepared and prepared[statement.id].data != statement.data:
            raise StatementRejected(index, _("The same id is used for two different statements."))
        prepared[statement.id] = statement

    with transaction.atomic():
        # One learner's batches are applied one after another, so two retries of the same batch
        # can never both count.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        existing = {}
        for key, owner, data in Statement.objects.filter(id__in=prepared.keys()).values_list("id", "user_id", "data"):
            # A retry is the same content; the same id for anything else is refused, not skipped.
            if owner != user.pk or not statement_matches(stored=data, statement=prepared[key]):
                raise StatementConflict("A statement id is already used for other content.")
            existing[key] = owner
        new = [statement for statement in prepared.values() if statement.id not in existing]
        # First: the server's verdict on attempts (simulators) replaces the browser's claim in the end
        # statements, before they are stored and before the lesson and training count them.
        passed = _attempts_apply(user=user, statements=new)
        try:
            Statement.objects.bulk_create([_row(user, statement) for statement in new])
        except IntegrityError as error:  # another learner's statement with the same id, just now
            raise StatementConflict("A statement id is already used.") from error
        # Lessons finished now, on evidence (a bare "completed" claim finishes nothing by itself).
        completions = _aggregates_apply(user=user, statements=new, now=now)
        if new:
            # The learner's cached pages (My learning, done marks) show these at once (learn/page_cache.py).
            transaction.on_commit(lambda: learner_version_bump(user.pk))
        if completions or passed:
            # Training (certificates) listens without progress importing it; it reads committed aggregates.
            transaction.on_commit(
                lambda: learning_completed.send_robust(
                    sender=IngestResult,
                    user=user,
                    lesson_keys={lesson_key for lesson_key, _module_key in completions},
                    module_keys={module_key for _lesson_key, module_key in completions if module_key},
                    scenario_keys=passed,
                )
            )
    return IngestResult(stored=len(new), duplicates=len(statements) - len(new))


def _attempts_apply(*, user, statements: list[PreparedStatement]) -> set[str]:
    """Let each kind played in attempts keep its attempts; answer the subjects (scenario keys) passed now."""
    by_kind = defaultdict(list)
    for statement in statements:
        kind = activity_kind(statement.activity.kind)
        if kind is not None and kind.attempts is not None:
            by_kind[kind].append(statement)
    passed = set()
    for kind, kind_statements in by_kind.items():
        attempts_apply(user=user, statements=kind_statements, rules=kind.attempts)
        passed |= {attempt_passed_subject(s, kind.attempts) for s in kind_statements} - {None}
    return passed


def _row(user, statement: PreparedStatement) -> Statement:
    activity = statement.activity
    return Statement(
        id=statement.id,
        user=user,
        verb=statement.verb,
        object_id=activity.object_id,
        activity_kind=activity.kind,
        lesson_key=activity.lesson_key,
        module_key=activity.module_key,
        success=statement.success,
        score_scaled=statement.score_scaled,
        duration_seconds=statement.duration_seconds,
        hints=statement.hints,
        timestamp=statement.timestamp,
        data=statement.data,
    )


def _aggregates_apply(*, user, statements: list[PreparedStatement], now) -> set:
    """Update the lesson and module aggregates; answer {(lesson key, module key)} of lessons finished now.

    `now` is the server's clock at ingest: how long a lesson was open is measured with it, never with
    the browser's timestamps.
    """
    lesson_statements = sorted((s for s in statements if s.activity.lesson_key), key=lambda s: s.timestamp)
    if not lesson_statements:
        return set()
    keys = {s.activity.lesson_key for s in lesson_statements}
    rows = {
        row.lesson_key: row for row in LessonProgress.objects.select_for_update().filter(user=user, lesson_key__in=keys)
    }
    before = {key: (row.completed_at, row.checked_completed_at) for key, row in rows.items()}
    created = {}
    module_totals = {}
    for statement in lesson_statements:
        activity = statement.activity
        row = rows.get(activity.lesson_key) or created.get(activity.lesson_key)
        if row is None:
            row = LessonProgress(
                user=user,
                lesson_key=activity.lesson_key,
                module_key=activity.module_key,
                started_at=statement.timestamp,
                last_activity_at=statement.timestamp,
            )
            created[activity.lesson_key] = row
        _lesson_apply(row, statement, now=now)
        if activity.module_key:
            module_totals[activity.module_key] = activity.lesson.module_lesson_count if activity.lesson else 0
    LessonProgress.objects.bulk_create(created.values())
    if rows:
        rows_update(
            LessonProgress,
            rows.values(),
            unique_fields=["user", "lesson_key"],
            fields=[
                "status",
                "first_score",
                "best_score",
                "last_score",
                "attempts",
                "hints",
                "wrong_answers",
                "time_spent_seconds",
                "question_count",
                "answers",
                "completed_at",
                "checked_completed_at",
                "opened_at",
                "read_at",
                "last_activity_at",
            ],
        )
    last_by_module = {}
    for statement in lesson_statements:
        if statement.activity.module_key:
            last_by_module[statement.activity.module_key] = (statement.activity.lesson_key, statement.timestamp)
    _modules_apply(user=user, totals=module_totals, last=last_by_module)
    return {
        (row.lesson_key, row.module_key)
        for row in [*rows.values(), *created.values()]
        if (row.completed_at, row.checked_completed_at) != before.get(row.lesson_key, (None, None))
    }


# A learner who opens a lesson again within this time is still on the same visit: the time it was
# open counts from the first opening.
VISIT = timedelta(hours=3)


def _lesson_apply(row: LessonProgress, statement: PreparedStatement, *, now) -> None:
    activity = statement.activity
    facts = activity.lesson or LessonFacts()
    row.last_activity_at = max(row.last_activity_at, statement.timestamp)
    kind = activity_kind(activity.kind)
    if kind is None or kind.lesson_time:  # exercise time is part of the lesson's "completed" duration
        row.time_spent_seconds += statement.duration_seconds
    row.hints += statement.hints
    if facts.exercise_count is not None:
        row.question_count = facts.exercise_count
    if activity.kind == LESSON:
        _lesson_visit(row, statement, facts=facts, now=now)
    else:
        outcome = activity_outcome(activity=activity, statement=statement)
        if outcome is not None:
            _outcome_record(row, outcome, total=max(facts.exercise_count or 1, 1))
    _lesson_complete(row, facts, when=statement.timestamp)


def _lesson_visit(row: LessonProgress, statement: PreparedStatement, *, facts: LessonFacts, now) -> None:
    """Opening a lesson and saying it is done: what a lesson without exercises completes on.

    Both are measured on the server's clock at ingest. "completed" only counts as read when the
    lesson was opened at least `min_open_seconds` before; otherwise it is kept in the log and counts
    for nothing (it never completes a lesson with exercises either: their answers do).
    """
    if statement.verb == EXPERIENCED:
        if row.opened_at is None or now - row.opened_at > VISIT:
            row.opened_at = now
    elif statement.verb == COMPLETED:
        row.attempts += 1
        if row.opened_at is not None and (now - row.opened_at).total_seconds() >= facts.min_open_seconds:
            row.read_at = row.read_at or now


def _outcome_record(row: LessonProgress, outcome: Outcome, *, total: int) -> None:
    """Keep the exercise's entry: first and last result, right at least once, done, and whose word it is."""
    before = row.answers.get(outcome.block_id) or {}
    right = outcome.right
    first = before.get("first")
    entry = {
        "first": first if first is not None else right,
        "last": right if right is not None else before.get("last"),
        "right_once": bool(before.get("right_once", first or before.get("last"))) or right is True,
        "done": bool(before.get("done")) or outcome.done,
        "kind": outcome.kind,
        "evidence": outcome.evidence,
    }
    if outcome.score is not None and outcome.evidence == REPORTED:
        entry["score"] = outcome.score
    row.answers = {**row.answers, outcome.block_id: entry}
    if right is False:
        row.wrong_answers += 1
    # A lesson with an easier (A2) version holds the answers of both versions in one record: a
    # learner who did both can never score more than everything.
    row.first_score = min(1.0, sum(1 for item in row.answers.values() if item.get("first") is True) / total)
    row.last_score = min(1.0, sum(1 for item in row.answers.values() if item.get("last") is True) / total)
    row.best_score = max(row.best_score or 0.0, row.last_score)


def _lesson_done(row: LessonProgress, facts: LessonFacts, *, reported_counts: bool) -> bool:
    """Every (counted) exercise of one version done; a lesson without any only once it was read.

    A lesson with exercises in one version only (an easier text without questions) still asks for
    the answers: reading time never stands in for questions the lesson has.
    """
    versions = [
        [exercise for exercise in exercises if reported_counts or activity_kind_checked(exercise.kind)]
        for exercises in facts.versions
    ]
    versions = [exercises for exercises in versions if exercises]
    if not versions:
        return row.read_at is not None
    return any(
        all(
            activity_exercise_done(entry=row.answers.get(exercise.block_id), exercise=exercise, facts=facts)
            for exercise in exercises
        )
        for exercises in versions
    )


def _lesson_complete(row: LessonProgress, facts: LessonFacts, *, when) -> None:
    """Finished once the lesson is done on evidence; once finished, it stays finished.

    `checked_completed_at` leaves the H5P results out (the server cannot check them): a lesson whose
    only exercises are H5P blocks then counts as checked once it was read.
    """
    if row.completed_at is None and _lesson_done(row, facts, reported_counts=True):
        row.status = LessonStatus.COMPLETED
        row.completed_at = when
    if row.checked_completed_at is None and _lesson_done(row, facts, reported_counts=False):
        row.checked_completed_at = when


def _modules_apply(*, user, totals: dict, last: dict) -> None:
    done, checked = defaultdict(int), defaultdict(int)
    for module_key, n_done, n_checked in (
        LessonProgress.objects.filter(user=user, module_key__in=totals)
        .values("module_key")
        .annotate(
            n_done=Count("id", filter=Q(status=LessonStatus.COMPLETED)),
            n_checked=Count("id", filter=Q(checked_completed_at__isnull=False)),
        )
        .values_list("module_key", "n_done", "n_checked")
    ):
        done[module_key], checked[module_key] = n_done, n_checked
    rows = {
        row.module_key: row
        for row in ModuleProgress.objects.select_for_update().filter(user=user, module_key__in=totals)
    }
    new = []
    for module_key, total in totals.items():
        lesson_key, timestamp = last[module_key]
        row = rows.get(module_key)
        if row is None:
            row = ModuleProgress(user=user, module_key=module_key, started_at=timestamp, last_activity_at=timestamp)
            new.append(row)
        row.lessons_total = total
        row.lessons_completed = min(done[module_key], total) if total else done[module_key]
        row.last_lesson_key = lesson_key
        row.last_activity_at = max(row.last_activity_at, timestamp)
        if total and row.lessons_completed >= total and row.completed_at is None:
            row.completed_at = timestamp
        if total and checked[module_key] >= total and row.checked_completed_at is None:
            row.checked_completed_at = timestamp
    ModuleProgress.objects.bulk_create(new)
    if rows:
        rows_update(
            ModuleProgress,
            rows.values(),
            unique_fields=["user", "module_key"],
            fields=[
                "lessons_total",
                "lessons_completed",
                "last_lesson_key",
                "last_activity_at",
                "completed_at",
                "checked_completed_at",
            ],
        )
