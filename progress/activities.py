"""Activity kinds: which activity an xAPI object id points at, and what a statement about it shows.

Activities are owned by the apps that render them: questions and lessons by `lessons`, H5P results by
`h5p`, simulator attempts by `sandboxes`. Each app registers at start-up a resolver (object id ->
`Activity`) and, for its kinds, an `ActivityKind` that checks and scores a statement, so `progress`
never imports them: imports run one way, lessons/h5p/sandboxes -> progress.

The contract is typed: a lesson-bound activity carries `LessonFacts` (the exercises of each version of
its lesson and the lesson's completion rule), a question its `QuestionFacts`, an H5P block its
`H5PFacts`. A kind turns a statement into an `Outcome` for one exercise; `progress.services` stores
outcomes and decides from them, and from nothing the browser merely claims, when a lesson is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings

if TYPE_CHECKING:
    from .xapi import PreparedStatement

# Whose word an outcome rests on: the server scored it (a question's answer against its key, a
# simulator attempt), or a player reported it and the server cannot check it (an H5P score).
CHECKED = "checked"
REPORTED = "reported"


@dataclass(frozen=True)
class Exercise:
    """An exercise of a lesson that completion waits for: a question, an H5P block or a simulator."""

    block_id: str
    kind: str  # "question", "h5p", "simulator"


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
class QuestionFacts:
    block_id: str
    # The live answer key: the fallback when the statement does not say which revision was shown.
    correct_response: str


@dataclass(frozen=True)
class H5PFacts:
    block_id: str
    content_key: str
    completion: str  # "viewed", "answered" or "passed" (lessons.blocks.H5PCompletion)
    min_score: int = 0


@dataclass(frozen=True)
class Activity:
    """What a statement is about, resolved on the server from its object id."""

    kind: str  # "lesson", "question", "simulator", "h5p"
    object_id: str
    lesson_key: UUID | None = None
    module_key: UUID | None = None
    lesson: LessonFacts | None = None
    question: QuestionFacts | None = None
    h5p: H5PFacts | None = None
    # Simulator facts (scenario_key, block_id), owned by sandboxes.
    extra: dict = field(default_factory=dict)


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


@dataclass(frozen=True)
class ActivityKind:
    """One kind of activity, registered by the app that owns it.

    `check(activity, data)` is the server's own verdict on an answer (True when right), from the
    statement's data as the browser sent it; None when the kind has nothing to check.
    `outcome(activity, statement)` says what a stored statement means for its exercise; None when
    it says nothing (the exercise's entry stays as it was). `checked` False marks a kind whose results
    are only reported (H5P): they count for lessons, and for certificates only where a programme says so.
    """

    name: str
    check: Callable[[Activity, dict], bool] | None = None
    outcome: Callable[[Activity, PreparedStatement], Outcome | None] | None = None
    # Whether the server can check what this kind's statements show (an H5P player's score it cannot).
    checked: bool = True


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


def activity_resolve(object_id: str) -> Activity | None:
    for resolver in _resolvers:
        activity = resolver(object_id)
        if activity is not None:
            return activity
    return None


def activity_kind_checked(name: str) -> bool:
    """Whether the server checks this kind's results. Simulator attempts (not registered here yet) are
    replayed by the server, so a kind without a registration counts as checked."""
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


def activity_base() -> str:
    """The IRI namespace of our activities. It names things; nothing ever fetches it."""
    return settings.XAPI_ACTIVITY_BASE.rstrip("/")
