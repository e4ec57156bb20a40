"""The validator: a good scenario passes; each kind of broken one gets a clear, located problem."""

import json

import pytest
from django.utils import translation

from sandboxes.services import scenario_files
from sandboxes.validation import scenario_problems


@pytest.fixture(autouse=True)
def _english():
    """Problems are translated; these tests read the English wording."""
    with translation.override("en"):
        yield


def codes(problems):
    return {problem.code for problem in problems}


def test_the_small_scenario_has_no_problems(minimal_data):
    assert scenario_problems(minimal_data) == []


@pytest.mark.parametrize("path", scenario_files(), ids=lambda path: path.stem)
def test_every_built_in_scenario_is_valid_and_complete_in_four_languages(path):
    problems = scenario_problems(json.loads(path.read_text(encoding="utf-8")))
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_there_are_four_built_in_scenarios():
    assert {path.stem for path in scenario_files()} >= {"itsme", "doctor", "train", "privacy"}


def test_an_unknown_target_screen_is_named(minimal_data):
    minimal_data["screens"][0]["components"][2]["goto"] = "nowhere"
    problems = scenario_problems(minimal_data)
    assert "target" in codes(problems)
    assert any("nowhere" in str(problem) and "sms" in problem.where for problem in problems)


def test_an_unreachable_screen_is_named(minimal_data):
    lonely = json.loads(json.dumps(minimal_data["screens"][1]))
    lonely.update(id="lonely", goal=None)
    minimal_data["screens"].append(lonely)
    problems = scenario_problems(minimal_data)
    assert [problem.where for problem in problems if problem.code == "unreachable"] == ["Screen “lonely”"]


def test_a_goal_that_no_path_reaches_is_named(minimal_data):
    minimal_data["goals"].append({"id": "never", "label": {lang: "Nooit" for lang in ("nl", "fr", "en", "ar")}})
    problems = scenario_problems(minimal_data)
    assert [problem.where for problem in problems if problem.code == "goal_unreachable"] == ["Goal “never”"]


def test_a_goal_only_reached_through_a_safety_error_does_not_count(minimal_data):
    share = minimal_data["screens"][0]["components"][3]
    share["goal"] = "shared"
    minimal_data["goals"].append({"id": "shared", "label": {lang: "Gedeeld" for lang in ("nl", "fr", "en", "ar")}})
    assert "goal_unreachable" in codes(scenario_problems(minimal_data))


def test_a_missing_translation_is_named_with_its_language(minimal_data):
    del minimal_data["screens"][0]["hint"]["fr"]
    minimal_data["screens"][1]["components"][0]["text"]["ar"] = "  "
    with translation.override("en"):
        problems = [problem for problem in scenario_problems(minimal_data) if problem.code == "translation"]
    assert len(problems) == 2
    assert "French" in problems[0].message and "sms" in problems[0].where
    assert "Arabic" in problems[1].message and "ok" in problems[1].where


def test_every_problem_is_listed_not_only_the_first(minimal_data):
    minimal_data["start"] = "missing"
    minimal_data["screens"][0]["components"][2]["goto"] = "nowhere"
    del minimal_data["title"]["en"]
    found = codes(scenario_problems(minimal_data))
    assert {"target", "translation"} <= found


def test_a_wrong_or_unsafe_action_needs_feedback(minimal_data):
    del minimal_data["screens"][0]["components"][3]["feedback"]
    problems = scenario_problems(minimal_data)
    assert [problem.code for problem in problems] == ["feedback"]


def test_duplicate_element_ids_on_one_screen_are_refused(minimal_data):
    minimal_data["screens"][0]["components"][3]["id"] = "next"
    assert "duplicate" in codes(scenario_problems(minimal_data))


def test_a_persona_with_a_real_looking_iban_is_refused(minimal_data):
    minimal_data["persona"]["facts"][0]["value"] = {lang: "BE71 0961 2345 6769" for lang in ("nl", "fr", "en", "ar")}
    assert codes(scenario_problems(minimal_data)) == {"real_data"}


def test_an_unknown_element_kind_is_a_shape_problem(minimal_data):
    minimal_data["screens"][0]["components"][0]["type"] = "camera"
    with translation.override("en"):
        problems = scenario_problems(minimal_data)
    assert codes(problems) == {"shape"}
    assert "unknown kind" in problems[0].message


def test_a_solution_step_on_a_missing_element_is_named(minimal_data):
    minimal_data["solution"][0]["element"] = "ghost"
    assert any("ghost" in str(problem) for problem in scenario_problems(minimal_data))


def test_check_scenarios_command_fails_on_a_broken_file(tmp_path, minimal_data):
    from django.core.management import CommandError, call_command

    minimal_data["start"] = "missing"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(minimal_data), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("check_scenarios", str(path))
