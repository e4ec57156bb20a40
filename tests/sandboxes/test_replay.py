"""The server's replay of a simulator attempt (sandboxes/replay.py), over the built-in scenarios.

A trail is what the engine records: one {"screen", "element", "outcome"} per action, never what was typed.
"""

import json

import pytest

from sandboxes.replay import attempt_replay, attempt_score, outcome_of
from sandboxes.runtime import scenario_runtime
from sandboxes.services import SCENARIO_DIR, scenario_files

SLUGS = [path.stem for path in scenario_files()]


def scenario(slug: str) -> dict:
    return scenario_runtime(json.loads((SCENARIO_DIR / f"{slug}.json").read_text(encoding="utf-8")), "nl")


def element(data: dict, screen_id: str, element_id: str) -> tuple[str, dict]:
    screen = next(screen for screen in data["screens"] if screen["id"] == screen_id)
    for component in screen["components"]:
        if component["id"] == element_id:
            return component["type"], component
        for option in component.get("options", []):
            if option["id"] == element_id:
                return "option", option
    raise AssertionError(element_id)


def solution_trail(data: dict, steps=None) -> list[dict]:
    """The actions the engine records for the solution steps: typing in a field is not an action."""
    trail = []
    for step in data["solution"] if steps is None else steps:
        kind, item = element(data, step["screen"], step["element"])
        if kind == "field":
            continue
        trail.append({"screen": step["screen"], "element": step["element"], "outcome": outcome_of(item)})
    return trail


def unsafe_on_the_way(data: dict) -> tuple[int, dict]:
    """The first solution step whose screen has an unsafe element, and that element's action."""
    for index, step in enumerate(data["solution"]):
        screen = next(screen for screen in data["screens"] if screen["id"] == step["screen"])
        for component in screen["components"]:
            for item in [component, *component.get("options", [])]:
                if item.get("safety"):
                    return index, {"screen": step["screen"], "element": item["id"], "outcome": "safety"}
    raise AssertionError(data["slug"])


@pytest.mark.parametrize("slug", SLUGS)
def test_the_solution_of_every_built_in_scenario_passes_with_100(slug):
    replay = attempt_replay(scenario(slug), solution_trail(scenario(slug)))
    assert (replay.problem, replay.passed, replay.finished, replay.score) == ("", True, True, 100)


def test_zero_actions_never_pass():
    replay = attempt_replay(scenario("train"), [])
    assert (replay.passed, replay.score, replay.problem) == (False, 0, "no-actions")


def test_an_unfinished_attempt_does_not_pass():
    trail = solution_trail(scenario("train"))[:-1]
    replay = attempt_replay(scenario("train"), trail)
    assert (replay.passed, replay.finished, replay.problem, replay.score) == (False, False, "", 0)


def test_a_jump_to_a_screen_not_reached_does_not_pass():
    trail = solution_trail(scenario("train"))
    del trail[1]  # from/mechelen: the next action is on a screen the learner never reached
    replay = attempt_replay(scenario("train"), trail)
    assert (replay.passed, replay.score, replay.problem, replay.at) == (False, 0, "jump", 1)


def test_only_the_last_step_is_a_jump():
    data = scenario("train")
    trail = [{"screen": "end", "element": "show", "outcome": "right"}]
    assert attempt_replay(data, trail).problem == "jump"


def test_a_skipped_step_that_a_later_step_needs_does_not_pass():
    data = scenario("doctor")
    steps = [step for step in data["solution"] if (step["screen"], step["element"]) != ("search", "gp")]
    replay = attempt_replay(data, solution_trail(data, steps))
    # "Search" needs the kind of doctor chosen first: "right" there is not possible without it.
    assert (replay.passed, replay.problem) == (False, "mismatch")


def test_an_element_that_is_not_on_the_screen_does_not_pass():
    trail = solution_trail(scenario("train"))
    trail[0] = {**trail[0], "element": "nope"}
    assert attempt_replay(scenario("train"), trail).problem == "unknown-element"


def test_right_on_a_wrong_option_and_a_field_as_an_action_do_not_pass():
    data = scenario("train")
    trail = solution_trail(data)
    trail[1] = {"screen": "from", "element": "antwerpen", "outcome": "right"}
    assert attempt_replay(data, trail).problem == "mismatch"
    fields = [{"screen": "traveller", "element": "name", "outcome": "right"}]
    assert attempt_replay(data, solution_trail(data)[:7] + fields).problem == "not-interactive"


def test_wrong_actions_and_hints_lower_the_score():
    data = scenario("itsme")
    trail = solution_trail(data)
    # A wrong tap, a "Next" refused because the phone number was not right yet, and one hint.
    extra = [
        {"screen": "welcome", "element": "have", "outcome": "wrong"},
        {"screen": "welcome", "element": "hint", "outcome": "hint"},
    ]
    phone_next = trail.index({"screen": "phone", "element": "next", "outcome": "right"})
    trail = extra + trail[:phone_next] + [{**trail[phone_next], "outcome": "wrong"}] + trail[phone_next:]
    replay = attempt_replay(data, trail)
    assert (replay.problem, replay.passed, replay.wrong, replay.hints) == ("", True, 2, 1)
    assert replay.score == 100 - 2 * 10 - 5 == attempt_score(wrong=2, hints=1, safety=0, passed=True)


def test_a_wrong_claimed_where_nothing_can_be_wrong_does_not_pass():
    data = scenario("train")
    trail = [{"screen": "home", "element": "plan", "outcome": "wrong"}, *solution_trail(data)]
    assert attempt_replay(data, trail).problem == "mismatch"


def test_actions_after_the_end_do_not_pass():
    data = scenario("train")
    trail = [*solution_trail(data), {"screen": "end", "element": "show", "outcome": "right"}]
    assert attempt_replay(data, trail).problem == "after-end"


@pytest.mark.parametrize("slug", SLUGS)
def test_a_safety_error_means_not_passed_and_score_0(slug):
    data = scenario(slug)
    index, unsafe = unsafe_on_the_way(data)
    trail = solution_trail(data, data["solution"][:index]) + [unsafe]
    rest = solution_trail(data, data["solution"][index:])
    replay = attempt_replay(data, trail + rest)
    assert (replay.passed, replay.score, replay.safety, replay.problem) == (False, 0, 1, "stopped")
    # Going on at the screen of the mistake is allowed: the way to the goal is fine, the attempt still fails.
    resume = {"screen": unsafe["screen"], "element": "resume", "outcome": "resume"}
    replay = attempt_replay(data, [*trail, resume, *rest])
    assert (replay.problem, replay.finished, replay.passed, replay.score, replay.safety) == ("", True, False, 0, 1)


def test_after_a_safety_stop_the_learner_may_go_back_to_the_start():
    data = scenario("train")
    index, unsafe = unsafe_on_the_way(data)
    trail = solution_trail(data, data["solution"][:index]) + [unsafe]
    resume = {"screen": data["start"], "element": "resume", "outcome": "resume"}
    replay = attempt_replay(data, [*trail, resume, *solution_trail(data)])
    assert (replay.problem, replay.finished, replay.passed, replay.score) == ("", True, False, 0)


def test_going_on_is_only_allowed_after_a_stop_and_to_the_screen_of_the_mistake_or_the_start():
    data = scenario("itsme")
    solution = data["solution"]
    index, unsafe = unsafe_on_the_way(data)
    before = solution_trail(data, solution[:index])
    assert unsafe["screen"] != data["start"]
    no_stop = [*before, {"screen": unsafe["screen"], "element": "resume", "outcome": "resume"}]
    assert attempt_replay(data, no_stop).problem == "resume-without-stop"
    # A screen reached earlier but not the one of the mistake: not where the learner may go on.
    earlier = solution[1]["screen"]
    assert earlier not in (unsafe["screen"], data["start"])
    elsewhere = [*before, unsafe, {"screen": earlier, "element": "resume", "outcome": "resume"}]
    assert attempt_replay(data, elsewhere).problem == "resume-elsewhere"


def test_a_guarded_field_is_no_action_and_changes_nothing():
    data = scenario("privacy")
    trail = solution_trail(data)
    trail.insert(1, {"screen": "phone", "element": "number", "outcome": "guarded"})
    replay = attempt_replay(data, trail)
    assert (replay.problem, replay.passed, replay.score) == ("", True, 100)
    trail[1] = {"screen": "phone", "element": "send", "outcome": "guarded"}
    assert attempt_replay(data, trail).problem == "not-a-field"
