"""Activity kinds: which activity an xAPI object id points at, and what a statement about it shows.

Activities are owned by the apps that render them: questions and lessons by `lessons`, H5P results by
`h5p`, simulator attempts by `sandboxes`. Each app registers at start-up a resolver (object id ->
`Activity`) and, for its kinds, an `ActivityKind` whose hooks check, score and count a statement, so
`progress` never imports them: imports run one way, lessons/h5p/sandboxes -> progress.

The contract is typed: a lesson-bound activity carries `LessonFacts` (the exercises of each version of
its lesson and the lesson's completion rule, which `progress` reads), and its kind's own facts in
`Activity.facts`, a dataclass the owning app defines and only that app reads (`QuestionFacts` in
lessons, `H5PFacts` in h5p, `SimulatorFacts` in sandboxes). A kind turns a statement into an `Outcome`
for one exercise; `progress.services` stores outcomes and decides from them, and from nothing the browser
merely claims, when a lesson is complete. Adding a kind is one module in its app that registers an
`ActivityKind` (and a resolver, unless it is a lesson block): tests/progress/test_activity_kinds.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings

if TYPE_CHECKING:
    from .attempts import AttemptRules
    from .xapi import PreparedStatement

# Whose word an outcome rests on: the server scored it (a question's answer against its key, a
# simulator attempt), or a player reported it and the server cannot check it (an H5P score).
CHECKED = "checked"
REPORTED = "reported"
# The lesson itself (opened, read): progress's own kind, its ids resolved by `lessons`.
LESSON = "lesson"


@dataclass(frozen=True)
class Exercise:
    """An exercise of a lesson that completion waits for: a question, an H5P block or a simulator."""

    block_id: str
    kind: str  # the name of a registered ActivityKind with `block_facts`: "question", "h5p", "simulator"


@dataclass(frozen=True)
class LessonFacts:
    """What `progress` needs to know about the lesson an activity belongs to.

    `versions` holds the exercises of each version of the lesson (the normal text and, when there is
    one, the easier text): the lesson is complete when every exercise of one version is done. A lesson
    without exercises completes once the learner opened it and kept it open `min_open_seconds` (server
    clock). `version` says which version an exercise belongs to; None for the lesson itself.
    """

    module_lesson_count: int = 0
    versions: tuple[tuple[Exercise, ...], ...] = ((),)
    answers_must_be_right: bool = False
    min_open_seconds: int = 0
    version: int | None = None

    @property
    def exercise_count(self) -> int | None:
        """How many exercises the learner has here; None when only their version would tell."""
        if self.version is not None:
            return len(self.versions[self.version])
        return len(self.versions[0]) if len(self.versions) == 1 else None


@dataclass(frozen=True)
class Activity:
    """What a statement is about, resolved on the server from its object id."""

    kind: str  # LESSON or the name of a registered ActivityKind ("question", "simulator", "h5p")
    object_id: str
    lesson_key: UUID | None = None
    module_key: UUID | None = None
    lesson: LessonFacts | None = None
    # The kind's own facts (a frozen dataclass of the owning app); only that kind's hooks read them.
    facts: Any = None


@dataclass(frozen=True)
class Outcome:
    """What one statement shows about one exercise of a lesson.

    `right` is None when nothing says whether it was right (an H5P exercise that was only opened);
    `done` says whether the exercise counts as done under its block's rule (questions: answered).
    """

    block_id: str
    kind: str
    right: bool | None
    done: bool
    evidence: str  # CHECKED or REPORTED
    score: float | None = None


def exercise_right_once(entry: dict) -> bool:
    """Whether an exercise's entry in LessonProgress.answers was right at least once (older entries
    have no "right_once": their first or last answer says it)."""
    return bool(entry.get("right_once", entry.get("first") or entry.get("last")))


def _done_when_marked(entry: dict, facts: LessonFacts) -> bool:
    return bool(entry.get("done", entry.get("last")))


@dataclass(frozen=True)
class ActivityKind:
    """One kind of activity, registered by the app that owns it; each hook is optional.

    - `block_facts(block_id, value)`: for a kind that is a block of a lesson's body, the kind's facts of
      that block (None when the block cannot be played yet); lessons/activities.py asks it.
    - `refuse(activity, data)`: why a statement as the browser sent it cannot be stored (a plain,
      translated sentence), or None.
    - `check(activity, data)`: the server's own verdict on an answer (True when right). A kind with a
      check is scored by the server only: `result.response` is required, and success and score are
      the server's (progress/xapi.py).
    - `outcome(activity, statement)`: what a stored statement means for its exercise; None when it
      says nothing (the exercise's entry stays as it was).
    - `exercise_done(entry, lesson_facts)`: whether the exercise's entry counts as done for the
      lesson; by default when an outcome said done.
    - `attempts`: for a kind played in attempts (one xAPI registration each) whose end the server
      judges; progress keeps a row per attempt and makes the end statement say the judge's verdict
      (progress/attempts.py).
    `checked` False marks a kind whose results are only reported (H5P): they count for lessons, and
    for certificates only where a programme says so. `score_range` is the raw score range the kind
    allows; `lesson_time` whether its statements' duration counts as time spent in the lesson.
    """

    name: str
    block_facts: Callable[[str, Any], Any] | None = None
    refuse: Callable[[Activity, dict], str | None] | None = None
    check: Callable[[Activity, dict], bool] | None = None
    outcome: Callable[[Activity, PreparedStatement], Outcome | None] | None = None
    exercise_done: Callable[[dict, LessonFacts], bool] = _done_when_marked
    attempts: AttemptRules | None = None
    # Whether the server can check what this kind's statements show (an H5P player's score it cannot).
    checked: bool = True
    score_range: tuple[int, int] | None = None
    lesson_time: bool = True


Resolver = Callable[[str], Activity | None]
_resolvers: list[Resolver] = []
_kinds: dict[str, ActivityKind] = {}


def activity_resolver_register(resolver: Resolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def activity_kind_register(kind: ActivityKind) -> None:
    _kinds[kind.name] = kind


def activity_kind(name: str) -> ActivityKind | None:
    return _kinds.get(name)


def activity_block_kinds() -> tuple[str, ...]:
    """The kinds that are exercise blocks of a lesson (their StreamField block type is the kind's name)."""
    return tuple(name for name, kind in _kinds.items() if kind.block_facts is not None)


def activity_resolve(object_id: str) -> Activity | None:
    for resolver in _resolvers:
        activity = resolver(object_id)
        if activity is not None:
            return activity
    return None


def activity_kind_checked(name: str) -> bool:
    """Whether the server checks this kind's results; a kind it does not know has nothing reported."""
    kind = activity_kind(name)
    return kind.checked if kind is not None else True


def activity_answer_check(*, activity: Activity, data: dict) -> bool:
    """The server's verdict on an answer, by the kind that owns it; an unknown kind is never right."""
    kind = activity_kind(activity.kind)
    if kind is None or kind.check is None:
        return False
    return bool(kind.check(activity, data))


def activity_outcome(*, activity: Activity, statement: PreparedStatement) -> Outcome | None:
    kind = activity_kind(activity.kind)
    if kind is None or kind.outcome is None:
        return None
    return kind.outcome(activity, statement)


def activity_exercise_done(*, entry: dict | None, exercise: Exercise, facts: LessonFacts) -> bool:
    """Whether an exercise of a lesson is done, by its kind's rule; an exercise without an entry is not."""
    if not entry:
        return False
    kind = activity_kind(exercise.kind)
    return (kind.exercise_done if kind is not None else _done_when_marked)(entry, facts)


def activity_base() -> str:
    """The IRI namespace of our activities. It names things; nothing ever fetches it."""
    return settings.XAPI_ACTIVITY_BASE.rstrip("/")
