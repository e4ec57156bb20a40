"""The simulator kind: attempts at a scenario, free practice or a simulator block of a lesson.

Sandboxes owns this kind the way lessons owns questions and h5p its results (progress/activities.py):
it resolves free-practice ids, gives a lesson's simulator block its facts (`SimulatorFacts`), and judges
an ended attempt by replaying its recorded actions over the scenario (sandboxes/replay.py). `progress`
keeps the attempt rows and the aggregates (progress/attempts.py) and never imports this app.

Ids are built from the scenario's translation key, so practising in Arabic or Dutch is the same
activity. A simulator inside a lesson has a lesson activity id instead (lessons/activities.py).
"""

import re
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from progress.activities import (
    CHECKED,
    Activity,
    ActivityKind,
    LessonFacts,
    Outcome,
    activity_base,
    exercise_right_once,
)
from progress.attempts import END_VERBS, PASSED, AttemptRules, AttemptVerdict

from .models import Scenario
from .replay import SCORE_FULL, attempt_replay
from .selectors import scenario_by_key, scenario_runtime

PATTERN = re.compile(r"^/simulator/(?P<key>[0-9a-f-]{36})$")


@dataclass(frozen=True)
class SimulatorFacts:
    scenario_key: str  # the scenario's translation key
    block_id: str | None = None  # the simulator block of a lesson; None for free practice


def scenario_activity_id(scenario) -> str:
    return f"{activity_base()}/simulator/{scenario.translation_key}"


def scenario_activity_resolve(object_id: str) -> Activity | None:
    base = activity_base()
    if not object_id.startswith(base + "/simulator/"):
        return None
    match = PATTERN.match(object_id[len(base) :])
    if not match:
        return None
    key = uuid.UUID(match["key"])
    if not Scenario.objects.filter(translation_key=key).exists():
        return None
    return Activity(kind=SIMULATOR_KIND.name, object_id=object_id, facts=SimulatorFacts(scenario_key=str(key)))


def simulator_block_facts(block_id: str, value) -> SimulatorFacts | None:
    """A simulator block of a lesson; its attempts count for its scenario and for the lesson."""
    scenario = value.get("scenario")
    if scenario is None:
        return None
    return SimulatorFacts(scenario_key=str(scenario.translation_key), block_id=block_id)


def simulator_refuse(activity: Activity, data: dict) -> str | None:
    if not (data.get("context") or {}).get("registration"):
        return _("A simulator statement needs context.registration (the attempt).")
    return None


def simulator_outcome(activity: Activity, statement) -> Outcome | None:
    """Only the end of an attempt counts for the lesson: passed, or failed by a safety error. The verb is
    the server's by now (progress/attempts.py corrects it before the lesson counts it)."""
    facts: SimulatorFacts = activity.facts
    if facts.block_id is None or statement.verb not in END_VERBS:
        return None
    right = statement.verb == PASSED
    return Outcome(block_id=facts.block_id, kind=SIMULATOR_KIND.name, right=right, done=right, evidence=CHECKED)


def simulator_done(entry: dict, facts: LessonFacts) -> bool:
    """A simulator block is done once an attempt passed."""
    return exercise_right_once(entry)


def scenario_attempt_judge(*, scenario_key: str, language: str, trail: list) -> AttemptVerdict:
    """The server's verdict on one attempt: its actions replayed over the scenario in the language played.

    Every language of a scenario has the same screens and elements (only the texts differ), and a
    language without a translation is played in Dutch, as `scenario_by_key` picks it.
    """
    scenario = scenario_by_key(translation_key=uuid.UUID(str(scenario_key)), language=language or "nl")
    if scenario is None:
        return AttemptVerdict(passed=False, score=0, problem="no-scenario")
    replay = attempt_replay(scenario_runtime(scenario), trail)
    return AttemptVerdict(passed=replay.passed, score=replay.score, problem=replay.problem)


def _scenario_key(activity: Activity) -> str:
    return activity.facts.scenario_key


SIMULATOR_KIND = ActivityKind(
    name="simulator",
    block_facts=simulator_block_facts,
    refuse=simulator_refuse,
    outcome=simulator_outcome,
    exercise_done=simulator_done,
    attempts=AttemptRules(subject=_scenario_key, judge=scenario_attempt_judge),
    score_range=(0, SCORE_FULL),
    # The attempt's time is kept with the attempt, not as reading time of the lesson.
    lesson_time=False,
)
