"""Who judges an attempt at an activity that the browser plays (a simulator scenario).

The browser's claim "passed" never counts by itself: the app that owns the activity replays the attempt's
recorded actions on the server and gives its verdict. Apps register a judge per activity kind at
start-up (sandboxes/apps.py), so `progress` never imports them: imports run one way, sandboxes -> progress.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AttemptVerdict:
    passed: bool
    score: int  # 0..100, the server's score
    problem: str = ""  # why the recorded actions are not a possible way through; "" when they are


# judge(scenario_key=..., language=..., trail=[{"screen", "element", "outcome"}]) -> AttemptVerdict
Judge = Callable[..., AttemptVerdict]
_judges: dict[str, Judge] = {}


def attempt_judge_register(kind: str, judge: Judge) -> None:
    _judges[kind] = judge


def attempt_judge(*, kind: str, **attempt) -> AttemptVerdict:
    """The owning app's verdict; without a judge nothing can be checked, so nothing passes."""
    judge = _judges.get(kind)
    if judge is None:
        return AttemptVerdict(passed=False, score=0, problem="no-judge")
    return judge(**attempt)
