"""Tell `progress` which scenario a free-practice xAPI object id names.

Ids are built from the scenario's translation key, so practising in Arabic or Dutch is the same
activity. A simulator inside a lesson has a lesson activity id instead (lessons/activities.py).
"""

import re
import uuid

from progress.activities import Activity, activity_base
from progress.attempts import AttemptVerdict

PATTERN = re.compile(r"^/simulator/(?P<key>[0-9a-f-]{36})$")


def scenario_activity_id(scenario) -> str:
    return f"{activity_base()}/simulator/{scenario.translation_key}"


def scenario_activity_resolve(object_id: str) -> Activity | None:
    base = activity_base()
    if not object_id.startswith(base + "/simulator/"):
        return None
    match = PATTERN.match(object_id[len(base) :])
    if not match:
        return None
    from .models import Scenario

    key = uuid.UUID(match["key"])
    if not Scenario.objects.filter(translation_key=key).exists():
        return None
    return Activity(kind="simulator", object_id=object_id, extra={"scenario_key": str(key)})


def scenario_attempt_judge(*, scenario_key: str, language: str, trail: list) -> AttemptVerdict:
    """The server's verdict on one attempt: its actions replayed over the scenario in the language played.

    Every language of a scenario has the same screens and elements (only the texts differ), and a
    language without a translation is played in Dutch, as `scenario_by_key` picks it.
    """
    from .replay import attempt_replay
    from .selectors import scenario_by_key, scenario_runtime

    scenario = scenario_by_key(translation_key=uuid.UUID(str(scenario_key)), language=language or "nl")
    if scenario is None:
        return AttemptVerdict(passed=False, score=0, problem="no-scenario")
    replay = attempt_replay(scenario_runtime(scenario), trail)
    return AttemptVerdict(passed=replay.passed, score=replay.score, problem=replay.problem)
