"""Replaying a simulator attempt on the server: do its recorded actions really reach the goal?

The browser engine records every action of an attempt (screen, element, outcome; never what was typed).
`attempt_replay` walks those actions over the scenario's graph from its start screen, the way the engine
does, and says whether the attempt passed and with which score. It is a pure function over the runtime
scenario (sandboxes/runtime.py) and the list of actions, so the tests can feed it any trail.

What the server cannot check is what the learner typed (fields and PIN codes are never sent): an action
that needs a valid field may be right or wrong, and the browser says which. Everything else is checked:
an action on a screen the learner is not on, an element that does not exist there, a step whose
conditions (`require`) the earlier steps did not set, or a "right" on a wrong or unsafe element makes the
trail impossible, and the attempt does not pass, whatever the browser claims.

After a safety Stop the engine lets the learner go on in the same attempt: from the screen where the
mistake happened or from the start (outcome "resume", its screen is where the learner goes on). The
replay accepts that only straight after the safety error, and only to those two screens. The attempt
keeps its safety error, so it does not pass: one safety error means the exercise is done again.

`attempt_score` is the one definition of the score (FORMAT.md "Modes"). Its numbers are written once,
here: the page hands them to engine.js (`score_rule`, the player's data-score-rule), which shows a guest
the same score without asking the server, and tests/browser/test_simulators.py checks that both agree on
every built-in scenario in every mode.
"""

from dataclasses import dataclass

CHOICES = ("list", "slots", "permission", "cookies", "request")
ACTIONS = ("button", "pin", "notification")
MAX_TRAIL = 1000  # more recorded actions than this is not an attempt the server replays


@dataclass(frozen=True)
class Replay:
    passed: bool
    score: int
    wrong: int
    hints: int
    safety: int
    finished: bool  # every goal reached
    problem: str  # why the trail is not a possible way through the scenario; "" when it is
    at: int | None = None  # index of the action with the problem


SCORE_FULL = 100
WRONG_COST = 10  # per wrong action
HINT_COST = 5  # per hint


def score_rule() -> dict:
    """The score's numbers as the browser engine takes them (engine.js `score()`)."""
    return {"full": SCORE_FULL, "wrong": WRONG_COST, "hint": HINT_COST}


def attempt_score(*, wrong: int, hints: int, safety: int, passed: bool) -> int:
    """0..100: 100 − 10 per wrong action − 5 per hint; 0 when not passed or with any safety error."""
    if not passed or safety:
        return 0
    return max(0, SCORE_FULL - WRONG_COST * wrong - HINT_COST * hints)


def outcome_of(action: dict) -> str:
    if action.get("result"):
        return action["result"]
    return "right" if (action.get("goto") or action.get("goal")) else "neutral"


def _tappable(item: dict) -> bool:
    """A notification is only a button when it does something (as in the engine)."""
    return any(item.get(key) for key in ("goto", "goal", "result", "safety", "feedback", "set"))


def _elements(screen: dict) -> dict:
    """{element id: (kind, item)} for every component and option of a screen."""
    found = {}
    for component in screen["components"]:
        found[component["id"]] = (component["type"], component)
        if component["type"] in CHOICES:
            for option in component.get("options", []):
                found[option["id"]] = ("option", option)
    return found


class _Walk:
    def __init__(self, scenario: dict):
        self.screens = {screen["id"]: screen for screen in scenario["screens"]}
        self.start = scenario["start"]
        self.initial = dict(scenario.get("state") or {})
        self.goal_ids = {goal["id"] for goal in scenario["goals"]}
        self.wrong = self.hints = self.safety = self.actions = 0
        self.stopped = False  # after a safety error, until the learner goes on
        self._from_start()

    def _from_start(self) -> None:
        self.state = dict(self.initial)
        self.goals: set[str] = set()
        self.finished = False
        self._arrive(self.start)

    def _arrive(self, screen_id: str) -> None:
        self.screen = screen_id
        goal = self.screens[screen_id].get("goal")
        if goal:
            self.goals.add(goal)

    def _matches(self, wanted: dict | None) -> bool:
        return all(self.state.get(key) == value for key, value in (wanted or {}).items())

    def step(self, screen: str, element: str, outcome: str) -> str:
        """Apply one recorded action; the problem in a word, or ""."""
        if outcome == "resume":
            return self._resume(screen)
        if self.finished:
            return "after-end"
        if self.stopped:
            return "stopped"
        if screen != self.screen:
            return "jump"
        if outcome == "hint":
            self.hints += 1
            return ""
        kind, item = _elements(self.screens[screen]).get(element, (None, None))
        if item is None:
            return "unknown-element"
        if outcome == "guarded":
            # The safe-input guard emptied a field or a search box: nothing happened in the scenario.
            searchable = kind == "list" and item.get("searchable")
            return "" if kind == "field" or searchable else "not-a-field"
        if not (kind == "option" or kind in ACTIONS) or (kind == "notification" and not _tappable(item)):
            return "not-interactive"
        self.actions += 1
        if outcome == "safety":
            if not item.get("safety"):
                return "mismatch"
            self.safety += 1
            self.stopped = True
            return ""
        if item.get("safety"):
            return "mismatch"
        if outcome == "wrong":
            # Wrong by the scenario, or by what was typed (fields, PIN codes), which only the browser saw.
            possible = (
                outcome_of(item) == "wrong"
                or not self._matches(item.get("require"))
                or bool(item.get("require_fields"))
                or kind == "pin"
            )
            if not possible:
                return "mismatch"
            self.wrong += 1
            return ""
        if outcome not in ("right", "neutral"):
            return "unknown-outcome"
        pins_done = all(
            self.state.get(f"pin:{name}")
            for name in item.get("require_fields") or []
            if _elements(self.screens[screen]).get(name, ("",))[0] == "pin"
        )
        if outcome_of(item) != outcome or not self._matches(item.get("require")) or not pins_done:
            return "mismatch"
        self.state.update(item.get("set") or {})
        if kind == "pin":
            self.state[f"pin:{element}"] = "done"
        if item.get("goal"):
            self.goals.add(item["goal"])
        if item.get("goto"):
            if item["goto"] not in self.screens:
                return "unknown-screen"
            self._arrive(item["goto"])
        self.finished = self.goal_ids <= self.goals
        return ""

    def _resume(self, screen: str) -> str:
        """Going on after a safety Stop: on the screen of the mistake, or from the start."""
        if not self.stopped:
            return "resume-without-stop"
        if screen == self.screen:
            self.stopped = False
            return ""
        if screen == self.start:
            self.stopped = False
            self._from_start()
            return ""
        return "resume-elsewhere"


def attempt_replay(scenario: dict, trail: list[dict]) -> Replay:
    """Walk `trail` ([{"screen", "element", "outcome"}], in the order done) over `scenario` (runtime dict)."""
    walk = _Walk(scenario)
    problem, at = "", None
    if len(trail) > MAX_TRAIL:
        problem = "too-long"
    for index, action in enumerate(trail if not problem else []):
        problem = walk.step(str(action.get("screen", "")), str(action.get("element", "")), action.get("outcome", ""))
        if problem:
            at = index
            break
    if not problem and walk.actions == 0:
        problem = "no-actions"
    passed = not problem and walk.finished and walk.safety == 0
    return Replay(
        passed=passed,
        score=attempt_score(wrong=walk.wrong, hints=walk.hints, safety=walk.safety, passed=passed),
        wrong=walk.wrong,
        hints=walk.hints,
        safety=walk.safety,
        finished=walk.finished,
        problem=problem,
        at=at,
    )
