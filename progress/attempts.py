"""Attempts at activities that the browser plays (a simulator scenario): one row per attempt, judged
by the app that owns the kind.

A kind played in attempts gives `AttemptRules` in its `ActivityKind` (progress/activities.py): what an
attempt is at (`subject`, the scenario) and its `judge`. Its statements carry the attempt in
`context.registration` and the recorded action in the result's extensions (progress/xapi.py
`EXTENSION_BASE`). The browser's claim "passed" never counts by itself: the owning app replays the
attempt's recorded actions on the server and gives its verdict, and the end statement is made to say it
before it is stored, so the stored record, the lesson and the training certificates all count what the
server saw. `progress` never imports the owning app: imports run one way, sandboxes -> progress.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import SimulatorAttempt
from .rows import rows_update
from .xapi import ATTEMPT_END_VERBS, VERB_BASE, extension_value

if TYPE_CHECKING:
    from .activities import Activity
    from .xapi import PreparedStatement

PASSED = VERB_BASE + "passed"
FAILED = VERB_BASE + "failed"
INTERACTED = VERB_BASE + "interacted"
END_VERBS = ATTEMPT_END_VERBS  # passed or failed: the end of an attempt


@dataclass(frozen=True)
class AttemptVerdict:
    passed: bool
    score: int  # 0..100, the server's score
    problem: str = ""  # why the recorded actions are not a possible way through; "" when they are


# judge(scenario_key=..., language=..., trail=[{"screen", "element", "outcome"}]) -> AttemptVerdict
Judge = Callable[..., AttemptVerdict]


@dataclass(frozen=True)
class AttemptRules:
    """How `progress` keeps the attempts of a kind: what one is at, and who judges its end."""

    subject: Callable[[Activity], str]  # the key of what is played (a scenario's translation key)
    judge: Judge


def attempts_apply(*, user, statements: list[PreparedStatement], rules: AttemptRules) -> None:
    """Keep each attempt's row (one per xAPI registration) up to date, and judge the ended ones.

    An ended attempt passes only when the judge agrees (its recorded actions reach every goal through
    allowed steps) and it had no safety error. The end statements of this batch are then made to say
    the server's verdict and score.
    """
    ordered = sorted(statements, key=lambda s: s.timestamp)
    if not ordered:
        return
    registrations = {_registration(s) for s in ordered}
    rows = {
        row.registration: row
        for row in SimulatorAttempt.objects.select_for_update().filter(user=user, registration__in=registrations)
    }
    created = {}
    ends = defaultdict(list)
    for statement in ordered:
        registration = _registration(statement)
        row = rows.get(registration) or created.get(registration)
        if row is None:
            row = SimulatorAttempt(
                user=user,
                registration=registration,
                scenario_key=rules.subject(statement.activity),
                lesson_key=statement.activity.lesson_key,
                started_at=statement.timestamp,
                last_activity_at=statement.timestamp,
            )
            created[registration] = row
        _attempt_apply(row, statement)
        if statement.verb in END_VERBS:
            ends[registration].append(statement)
    for registration, row in {**rows, **created}.items():
        if row.completed_at is not None:
            _attempt_judge(row, rules.judge)
        for statement in ends.get(registration, ()):
            _end_statement_correct(statement, row)
    SimulatorAttempt.objects.bulk_create(created.values())
    if rows:
        rows_update(
            SimulatorAttempt,
            rows.values(),
            unique_fields=["user", "registration"],
            fields=[
                "mode",
                "language",
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
                "trail",
                "safety_mistakes",
                "last_screen",
                "last_outcome",
            ],
        )


def attempt_passed_subject(statement: PreparedStatement, rules: AttemptRules) -> str | None:
    """The subject (scenario key) of an attempt this end statement passed, as judged; else None."""
    return rules.subject(statement.activity) if statement.verb == PASSED else None


def _registration(statement: PreparedStatement) -> uuid.UUID:
    return uuid.UUID(str(statement.data["context"]["registration"]))


MAX_TRAIL = 1000  # sandboxes/replay.py does not replay a longer trail: such an attempt never passes
TRAIL_ID = re.compile(r"^[a-z0-9_-]{1,40}$")


def _trail_id(value) -> str:
    return value if isinstance(value, str) and TRAIL_ID.match(value) else "?"


def _attempt_apply(row: SimulatorAttempt, statement: PreparedStatement) -> None:
    latest = statement.timestamp >= row.last_activity_at
    row.last_activity_at = max(row.last_activity_at, statement.timestamp)
    mode = extension_value(statement.data, "mode", part="context")
    if mode in ("guided", "practice", "test"):
        row.mode = mode
    language = (statement.data.get("context") or {}).get("language")
    if isinstance(language, str) and not row.language:
        row.language = language.split("-")[0][:10].lower()
    if statement.verb == INTERACTED:
        outcome = extension_value(statement.data, "outcome")
        screen = str(extension_value(statement.data, "screen") or "")[:40]
        if len(row.trail) <= MAX_TRAIL:
            # Ids and the outcome only: what a learner typed is never in a statement, nor here. Anything
            # that is not an id is kept as "?", which the replay never accepts.
            element = _trail_id(extension_value(statement.data, "element"))
            step = {"screen": _trail_id(screen), "element": element, "outcome": _trail_id(outcome)}
            row.trail = [*row.trail, step]
        if outcome == "resume":  # going on after a safety Stop (sandboxes/replay.py) is not an action
            return
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
    elif statement.verb in END_VERBS and row.completed_at is None:
        row.completed_at = statement.timestamp
        row.duration_seconds = statement.duration_seconds
        # The browser's claim, for now: _attempt_judge keeps it only when the replay agrees.
        row.passed = statement.verb == PASSED


def _attempt_judge(row: SimulatorAttempt, judge: Judge) -> None:
    """Passed only when the browser said so and the server's replay of the trail agrees; the server's score."""
    verdict = judge(scenario_key=str(row.scenario_key), language=row.language, trail=row.trail)
    row.passed = bool(row.passed) and verdict.passed and row.safety_errors == 0
    row.score = verdict.score if row.passed else 0


def _end_statement_correct(statement: PreparedStatement, row: SimulatorAttempt) -> None:
    """Make an end statement say the server's verdict, the way questions get the server's answer."""
    passed = bool(row.passed)
    verb = PASSED if passed else FAILED
    score = (row.score or 0) if passed else 0
    statement.verb = verb
    statement.success = passed
    statement.score_scaled = score / 100
    data = statement.data
    data["verb"] = {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}}
    result = data.setdefault("result", {})
    result["success"] = passed
    result["completion"] = passed
    result["score"] = {"scaled": score / 100, "raw": score, "min": 0, "max": 100}
