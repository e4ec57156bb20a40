"""The only way learning records are written. Activities (quiz, lesson, simulator, H5P) all come here."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LessonProgress, LessonStatus, ModuleProgress, SimulatorAttempt, Statement
from .signals import learning_completed
from .xapi import VERB_BASE, PreparedStatement, StatementRejected, statement_prepare

MAX_BATCH = 50
COMPLETED = VERB_BASE + "completed"
H5P_ANSWER_VERBS = {VERB_BASE + verb for verb in ("answered", "completed", "passed", "failed")}
PASSED = VERB_BASE + "passed"
FAILED = VERB_BASE + "failed"
INTERACTED = VERB_BASE + "interacted"
EXTENSION_BASE = "https://oefenplein.mechelen.be/xapi/ext/"


class StatementConflict(Exception):
    """A statement id that already belongs to somebody else."""


@dataclass
class IngestResult:
    stored: int
    duplicates: int


def statements_ingest(*, user, statements: list) -> IngestResult:
    """Store a batch of statements for `user` exactly once and update the aggregates with them.

    All or nothing: one bad statement rejects the whole batch (StatementRejected), so a retry of
    the corrected batch never leaves half of it behind. Statement ids already stored for this
    learner are skipped, which makes retries after a lost response safe.
    """
    if len(statements) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} statements per batch")
    now = timezone.now()
    actor = str(user.public_id)
    prepared: dict = {}
    for index, raw in enumerate(statements):
        statement = statement_prepare(raw=raw, index=index, actor_name=actor, now=now)
        if statement.id in prepared and prepared[statement.id].data != statement.data:
            raise StatementRejected(index, "The same id is used for two different statements.")
        prepared[statement.id] = statement

    with transaction.atomic():
        # One learner's batches are applied one after another, so two retries of the same batch
        # can never both count.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        existing = dict(Statement.objects.filter(id__in=prepared.keys()).values_list("id", "user_id"))
        if any(owner != user.pk for owner in existing.values()):
            raise StatementConflict("A statement id is already used.")
        new = [statement for statement in prepared.values() if statement.id not in existing]
        try:
            Statement.objects.bulk_create([_row(user, statement) for statement in new])
        except IntegrityError as error:  # another learner's statement with the same id, just now
            raise StatementConflict("A statement id is already used.") from error
        _aggregates_apply(user=user, statements=new)
        _simulators_apply(user=user, statements=new)
        completions = [s.activity for s in new if s.verb == COMPLETED and s.activity.lesson_key]
        passed = {s.activity.extra["scenario_key"] for s in new if s.verb == PASSED and s.activity.kind == "simulator"}
        if completions or passed:
            # Training (certificates) listens without progress importing it; it reads committed aggregates.
            transaction.on_commit(
                lambda: learning_completed.send_robust(
                    sender=IngestResult,
                    user=user,
                    lesson_keys={activity.lesson_key for activity in completions},
                    module_keys={activity.module_key for activity in completions if activity.module_key},
                    scenario_keys=passed,
                )
            )
    return IngestResult(stored=len(new), duplicates=len(statements) - len(new))


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


def _aggregates_apply(*, user, statements: list[PreparedStatement]) -> None:
    lesson_statements = sorted((s for s in statements if s.activity.lesson_key), key=lambda s: s.timestamp)
    if not lesson_statements:
        return
    keys = {s.activity.lesson_key for s in lesson_statements}
    rows = {
        row.lesson_key: row for row in LessonProgress.objects.select_for_update().filter(user=user, lesson_key__in=keys)
    }
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
        _lesson_apply(row, statement)
        if activity.module_key:
            module_totals[activity.module_key] = activity.extra.get("module_lesson_count", 0)
    LessonProgress.objects.bulk_create(created.values())
    if rows:
        _rows_update(
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
                "last_activity_at",
            ],
        )
    last_by_module = {}
    for statement in lesson_statements:
        if statement.activity.module_key:
            last_by_module[statement.activity.module_key] = (statement.activity.lesson_key, statement.timestamp)
    _modules_apply(user=user, totals=module_totals, last=last_by_module)


def _lesson_apply(row: LessonProgress, statement: PreparedStatement) -> None:
    activity = statement.activity
    row.last_activity_at = max(row.last_activity_at, statement.timestamp)
    if activity.kind not in ("h5p", "simulator"):  # exercise time is part of the lesson's "completed" duration
        row.time_spent_seconds += statement.duration_seconds
    row.hints += statement.hints
    row.question_count = activity.extra.get("question_count", row.question_count)
    if activity.kind in ("question", "h5p", "simulator"):
        if activity.kind == "question":
            block, right, extra = activity.extra["question_id"], bool(statement.success), {}
        elif activity.kind == "simulator":
            # Only the end of an attempt counts for the lesson: passed, or failed by a safety error.
            if statement.verb not in (PASSED, FAILED):
                return
            block, right, extra = activity.extra["block_id"], statement.verb == PASSED, {"kind": "simulator"}
        else:
            outcome = _h5p_outcome(activity, statement)
            if outcome is None:
                return
            block, right = activity.extra["block_id"], outcome
            extra = {"kind": "h5p"}
            if statement.score_scaled is not None:
                extra["score"] = statement.score_scaled
        answer = row.answers.get(block)
        row.answers = {**row.answers, block: {"first": answer["first"] if answer else right, "last": right, **extra}}
        if not right:
            row.wrong_answers += 1
        total = max(activity.extra.get("question_count", 1), 1)
        # A lesson with an easier (A2) version holds the answers of both versions in one record: a
        # learner who did both can never score more than everything.
        row.first_score = min(1.0, sum(1 for item in row.answers.values() if item["first"]) / total)
        row.last_score = min(1.0, sum(1 for item in row.answers.values() if item["last"]) / total)
        row.best_score = max(row.best_score or 0.0, row.last_score)
    elif statement.verb == COMPLETED:
        row.attempts += 1
        row.status = LessonStatus.COMPLETED
        row.completed_at = row.completed_at or statement.timestamp
    elif statement.score_scaled is not None:
        score = statement.score_scaled
        row.first_score = row.first_score if row.first_score is not None else score
        row.last_score = score
        row.best_score = max(row.best_score or 0.0, score)


def _simulators_apply(*, user, statements: list[PreparedStatement]) -> None:
    """Keep each simulator attempt's row (one per xAPI registration) up to date."""
    simulator_statements = sorted((s for s in statements if s.activity.kind == "simulator"), key=lambda s: s.timestamp)
    if not simulator_statements:
        return
    registrations = {_registration(s) for s in simulator_statements}
    rows = {
        row.registration: row
        for row in SimulatorAttempt.objects.select_for_update().filter(user=user, registration__in=registrations)
    }
    created = {}
    for statement in simulator_statements:
        registration = _registration(statement)
        row = rows.get(registration) or created.get(registration)
        if row is None:
            row = SimulatorAttempt(
                user=user,
                registration=registration,
                scenario_key=statement.activity.extra["scenario_key"],
                lesson_key=statement.activity.lesson_key,
                started_at=statement.timestamp,
                last_activity_at=statement.timestamp,
            )
            created[registration] = row
        _attempt_apply(row, statement)
    SimulatorAttempt.objects.bulk_create(created.values())
    if rows:
        _rows_update(
            SimulatorAttempt,
            rows.values(),
            unique_fields=["user", "registration"],
            fields=[
                "mode",
                "last_activity_at",
                "completed_at",
                "passed",
                "score",
                "actions",
                "wrong_actions",
                "hints",
                "safety_errors",
                "duration_seconds",
                "mistakes",
                "safety_mistakes",
                "last_screen",
                "last_outcome",
            ],
        )


def _registration(statement: PreparedStatement):
    import uuid

    return uuid.UUID(str(statement.data["context"]["registration"]))


def _extension(statement: PreparedStatement, name: str, *, part: str = "result"):
    section = statement.data.get(part) or {}
    return (section.get("extensions") or {}).get(EXTENSION_BASE + name)


def _attempt_apply(row: SimulatorAttempt, statement: PreparedStatement) -> None:
    latest = statement.timestamp >= row.last_activity_at
    row.last_activity_at = max(row.last_activity_at, statement.timestamp)
    mode = _extension(statement, "mode", part="context")
    if mode in ("guided", "practice", "test"):
        row.mode = mode
    if statement.verb == INTERACTED:
        outcome = _extension(statement, "outcome")
        screen = str(_extension(statement, "screen") or "")[:40]
        if outcome == "hint":
            row.hints += max(statement.hints, 1)
        else:
            row.actions += 1
        if latest:  # where the learner was last: a late batch of older actions does not move it back
            row.last_screen, row.last_outcome = screen, str(outcome or "")[:10]
        if outcome in ("wrong", "safety"):
            row.wrong_actions += outcome == "wrong"
            row.safety_errors += outcome == "safety"
            if screen:
                row.mistakes = {**row.mistakes, screen: row.mistakes.get(screen, 0) + 1}
            if screen and outcome == "safety":
                row.safety_mistakes = {**row.safety_mistakes, screen: row.safety_mistakes.get(screen, 0) + 1}
    elif statement.verb in (PASSED, FAILED) and row.completed_at is None:
        row.completed_at = statement.timestamp
        row.duration_seconds = statement.duration_seconds
        row.passed = statement.verb == PASSED
    if row.completed_at is not None:
        # The server's own score from the counted actions: a safety error means the task is done again.
        row.passed = bool(row.passed) and row.safety_errors == 0
        row.score = max(0, 100 - 10 * row.wrong_actions - 5 * row.hints) if row.passed else 0


def _h5p_outcome(activity, statement: PreparedStatement) -> bool | None:
    """Whether this statement makes an H5P block done under the block's completion rule.

    None when the statement says nothing about that rule (an "attempted" for a block that must be
    answered): the block's entry is then left as it was. The score is the browser's claim (H5P
    scores on the client): the server only checked that it is well-formed (0 <= scaled <= 1,
    raw <= max), so it counts for practice, never as proof.
    """
    rule = activity.extra.get("completion", "answered")
    if rule == "viewed":
        return True
    if rule == "answered":
        return True if statement.verb in H5P_ANSWER_VERBS else None
    if statement.score_scaled is None:
        return None
    return round(statement.score_scaled * 100, 4) >= activity.extra.get("min_score", 0)


def _modules_apply(*, user, totals: dict, last: dict) -> None:
    from django.db.models import Count

    done = defaultdict(
        int,
        LessonProgress.objects.filter(user=user, module_key__in=totals, status=LessonStatus.COMPLETED)
        .values("module_key")
        .annotate(n=Count("id"))
        .values_list("module_key", "n"),
    )
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
    ModuleProgress.objects.bulk_create(new)
    if rows:
        _rows_update(
            ModuleProgress,
            rows.values(),
            unique_fields=["user", "module_key"],
            fields=["lessons_total", "lessons_completed", "last_lesson_key", "last_activity_at", "completed_at"],
        )


def _rows_update(model, rows, *, unique_fields: list[str], fields: list[str]) -> None:
    """Write `fields` of rows read (and locked) in this transaction, in one statement.

    An upsert on the rows' own unique constraint (INSERT ... ON CONFLICT (user, key) DO UPDATE SET each
    field), since every row exists, updates them all. It replaces `bulk_update`, whose CASE WHEN per row and
    field cost more Python than the rest of a batch's aggregates together (bench/README.md).
    """
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=unique_fields, update_fields=fields)
