"""Simulator attempts reach the learning-record store through the one ingest endpoint.

The counts and the score are the server's, worked out from the actions it received.
"""

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from progress.models import LessonProgress, SimulatorAttempt, Statement
from sandboxes.activities import scenario_activity_id

VERB = "http://adlnet.gov/expapi/verbs/"
EXT = "https://oefenplein.mechelen.be/xapi/ext/"
URL = "/api/progress/statements"

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("samir", password="een-goed-wachtwoord", display_name="Samir")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def post(client, payload):
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


class Attempt:
    """Statements the way the browser engine sends them for one attempt."""

    def __init__(self, activity_id, mode="practice"):
        self.activity_id = activity_id
        self.registration = str(uuid.uuid4())
        self.mode = mode

    def _statement(self, verb, result=None):
        statement = {
            "id": str(uuid.uuid4()),
            "verb": {"id": VERB + verb},
            "object": {"id": self.activity_id, "objectType": "Activity"},
            "context": {"registration": self.registration, "extensions": {EXT + "mode": self.mode}},
        }
        if result is not None:
            statement["result"] = result
        return statement

    def start(self):
        return self._statement("attempted")

    def action(self, screen, element, outcome):
        result = {"extensions": {EXT + "screen": screen, EXT + "element": element, EXT + "outcome": outcome}}
        if outcome in ("right", "wrong"):
            result["success"] = outcome == "right"
        if outcome == "hint":
            result["extensions"][EXT + "hints"] = 1
        return self._statement("interacted", result)

    def end(self, passed, claimed_score=100):
        return self._statement(
            "passed" if passed else "failed",
            {
                "success": passed,
                "score": {"scaled": claimed_score / 100, "raw": claimed_score, "min": 0, "max": 100},
                "duration": "PT95S",
            },
        )


def test_an_attempt_is_counted_from_its_actions(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario), mode="test")
    batch = [
        attempt.start(),
        attempt.action("sms", "next", "wrong"),  # the code field was not right yet
        attempt.action("sms", "next", "wrong"),
        attempt.action("sms", "next", "right"),
        attempt.end(True),
    ]
    assert post(signed_in, batch).status_code == 200
    row = SimulatorAttempt.objects.get(user=learner)
    assert row.scenario_key == minimal_scenario.translation_key
    assert (row.mode, row.actions, row.wrong_actions, row.hints, row.safety_errors) == ("test", 3, 2, 0, 0)
    assert row.passed is True and row.score == 80  # the server's score, not the browser's claimed 100
    assert row.duration_seconds == 95
    assert row.mistakes == {"sms": 2}


def test_hints_lower_the_score(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(
        signed_in,
        [
            attempt.start(),
            attempt.action("sms", "hint", "hint"),
            attempt.action("sms", "next", "right"),
            attempt.end(True),
        ],
    )
    row = SimulatorAttempt.objects.get(user=learner)
    assert (row.hints, row.score) == (1, 95)


def test_a_safety_error_means_the_attempt_does_not_pass_whatever_the_browser_says(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("sms", "share", "safety"), attempt.end(True)])
    row = SimulatorAttempt.objects.get(user=learner)
    assert row.safety_errors == 1 and row.passed is False and row.score == 0
    assert row.mistakes == {"sms": 1}


def test_each_attempt_has_its_own_row_and_a_retry_never_counts_twice(signed_in, learner, minimal_scenario):
    first, second = Attempt(scenario_activity_id(minimal_scenario)), Attempt(scenario_activity_id(minimal_scenario))
    batch = [first.start(), first.action("sms", "share", "safety"), first.end(False)]
    post(signed_in, batch)
    post(signed_in, batch)
    post(signed_in, [second.start(), second.action("sms", "next", "right"), second.end(True)])
    rows = SimulatorAttempt.objects.filter(user=learner).order_by("started_at", "id")
    assert [(row.safety_errors, row.passed) for row in rows] in ([(1, False), (0, True)], [(0, True), (1, False)])
    assert sorted(row.passed for row in rows) == [False, True]


def test_a_simulator_statement_without_an_attempt_is_refused(signed_in, minimal_scenario):
    statement = Attempt(scenario_activity_id(minimal_scenario)).start()
    del statement["context"]["registration"]
    response = post(signed_in, [statement])
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_what_the_engine_sends_at_the_end_is_accepted(signed_in, learner, minimal_scenario):
    """engine.js's "passed": score out of 100, a duration with tenths, its counts as extensions, the browser's time."""
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    end = attempt.end(True, claimed_score=85)
    end["result"]["duration"] = "PT95.3S"
    end["result"]["completion"] = True
    end["result"]["extensions"] = {EXT + "hints": 1, EXT + "wrong": 1, EXT + "safety": 0}
    batch = [attempt.start(), attempt.action("sms", "next", "right"), end]
    for statement in batch:
        statement["timestamp"] = timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")
    response = post(signed_in, batch)
    assert response.status_code == 200, response.content
    assert post(signed_in, batch).json() == {"stored": 0, "duplicates": 3}


@pytest.mark.parametrize(
    "score",
    [
        {"scaled": 0.75, "raw": 150, "min": 0, "max": 200},  # within its own range, over the simulator's 100
        {"scaled": 0, "raw": -10, "min": -20, "max": 100},
    ],
)
def test_a_score_outside_the_simulators_range_is_refused(signed_in, minimal_scenario, score):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start()])
    before = (Statement.objects.count(), SimulatorAttempt.objects.get().actions)
    end = attempt.end(True)
    end["result"]["score"] = score
    response = post(signed_in, [attempt.action("sms", "next", "right"), end])
    assert response.status_code == 400 and response.json()["index"] == 1
    assert (Statement.objects.count(), SimulatorAttempt.objects.get().actions) == before


def test_an_unknown_scenario_is_refused(signed_in, minimal_scenario):
    activity = scenario_activity_id(minimal_scenario).replace(str(minimal_scenario.translation_key), str(uuid.uuid4()))
    assert post(signed_in, [Attempt(activity).start()]).status_code == 400


def test_nothing_typed_is_ever_needed_or_stored(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("sms", "code", "guarded")])
    row = SimulatorAttempt.objects.get(user=learner)
    assert (row.actions, row.wrong_actions) == (1, 0)
    for stored in Statement.objects.filter(user=learner):
        assert "response" not in json.dumps(stored.data)


def test_my_learning_lists_the_practised_scenario(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("sms", "next", "right"), attempt.end(True)])
    response = signed_in.get(reverse("progress:my_learning"))
    html = response.content.decode()
    assert minimal_scenario.title in html
    assert reverse("sandboxes:play", args=["minimal"]) in html


@pytest.fixture
def lesson_with_simulator(course, minimal_scenario):
    from lessons.models import LessonPage

    lesson = LessonPage.objects.live().filter(locale__language_code="nl").first()
    lesson.body.append(("simulator", {"scenario": minimal_scenario, "mode": "practice"}))
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


def test_a_simulator_in_a_lesson_counts_for_the_lesson_and_the_scenario(signed_in, learner, lesson_with_simulator):
    from lessons.activities import simulator_activity_id

    block = next(block for block in lesson_with_simulator.body if block.block_type == "simulator")
    attempt = Attempt(simulator_activity_id(lesson_with_simulator, block.id))
    assert (
        post(signed_in, [attempt.start(), attempt.action("sms", "next", "right"), attempt.end(True)]).status_code == 200
    )
    progress = LessonProgress.objects.get(user=learner, lesson_key=lesson_with_simulator.translation_key)
    assert progress.answers[block.id]["last"] is True
    assert progress.answers[block.id]["kind"] == "simulator"
    attempt_row = SimulatorAttempt.objects.get(user=learner)
    assert attempt_row.lesson_key == lesson_with_simulator.translation_key


def test_the_lesson_page_plays_its_simulator(client, lesson_with_simulator):
    html = client.get(lesson_with_simulator.url).content.decode()
    assert "data-sim" in html
    assert "/lesson/" in html and "/simulator/" in html


# The server replays every ended attempt over the scenario (sandboxes/replay.py) -------------------


def test_a_passed_claim_without_actions_is_stored_as_failed_with_score_0(signed_in, learner, minimal_scenario):
    from progress.signals import learning_completed

    heard = []

    def listener(**kwargs):
        heard.append(kwargs["scenario_keys"])

    learning_completed.connect(listener)
    try:
        attempt = Attempt(scenario_activity_id(minimal_scenario))
        with_commit = post(signed_in, [attempt.start(), attempt.end(True)])
    finally:
        learning_completed.disconnect(listener)
    assert with_commit.status_code == 200
    row = SimulatorAttempt.objects.get(user=learner)
    assert (row.passed, row.score, row.trail) == (False, 0, [])
    # The stored end statement says the server's verdict, not the browser's claim.
    end = Statement.objects.get(user=learner, verb=VERB + "failed")
    assert end.success is False and end.data["result"]["score"]["raw"] == 0
    assert not Statement.objects.filter(user=learner, verb=VERB + "passed").exists()
    assert all(str(minimal_scenario.translation_key) not in keys for keys in heard)


def test_an_impossible_trail_does_not_pass(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("end", "ok", "right"), attempt.end(True)])
    row = SimulatorAttempt.objects.get(user=learner)
    assert (row.passed, row.score) == (False, 0)
    assert row.trail == [{"screen": "end", "element": "ok", "outcome": "right"}]


def test_the_trail_is_kept_across_batches_and_replayed_when_the_attempt_ends(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("sms", "hint", "hint")])
    row = SimulatorAttempt.objects.get(user=learner)
    assert row.passed is None and row.score is None
    post(signed_in, [attempt.action("sms", "next", "right"), attempt.end(True, claimed_score=100)])
    row.refresh_from_db()
    assert [step["outcome"] for step in row.trail] == ["hint", "right"]
    assert (row.passed, row.score) == (True, 95)
    end = Statement.objects.get(user=learner, verb=VERB + "passed")
    assert end.data["result"]["score"]["raw"] == 95 and end.score_scaled == 0.95


def test_after_a_safety_stop_the_learner_goes_on_and_the_safety_error_stays(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("sms", "share", "safety"), attempt.end(False)])
    # Going on at the screen of the mistake, in the same attempt, to the end.
    post(signed_in, [attempt.action("sms", "resume", "resume"), attempt.action("sms", "next", "right")])
    row = SimulatorAttempt.objects.get(user=learner)
    assert [step["outcome"] for step in row.trail] == ["safety", "resume", "right"]
    assert (row.safety_errors, row.actions, row.passed, row.score) == (1, 2, False, 0)
    assert Statement.objects.filter(user=learner, verb=VERB + "failed").count() == 1
    assert row.mistakes == {"sms": 1}
    # A clean try afterwards passes, and the learner's result still shows the safety error.
    clean = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [clean.start(), clean.action("sms", "next", "right"), clean.end(True)])
    assert SimulatorAttempt.objects.get(registration=clean.registration).passed is True
    with translation.override("en"):
        html = signed_in.get(reverse("progress:my_learning")).content.decode()
    assert "Best score: 100 out of 100" in html
    assert "You made 1 safety error. A try with a safety error does not count." in html
    # The coach's view reads the same attempts: the safety error is counted apart from wrong clicks.
    from progress.selectors import MistakeScreenCount, group_progress, simulator_mistake_screens

    key = minimal_scenario.translation_key
    cell = group_progress(user_ids=[learner.pk], simulator_keys=[key])[(learner.pk, key)]
    assert (cell.attempts, cell.wrong_answers, cell.safety_errors) == (2, 0, 1)
    assert simulator_mistake_screens(user_ids=[learner.pk], scenario_keys=[key])[key] == [
        MistakeScreenCount(screen="sms", wrong=0, safety=1, learners=1)
    ]


def test_a_fake_pass_in_a_lesson_counts_as_wrong_for_the_lesson(signed_in, learner, lesson_with_simulator):
    from lessons.activities import simulator_activity_id

    block = next(block for block in lesson_with_simulator.body if block.block_type == "simulator")
    attempt = Attempt(simulator_activity_id(lesson_with_simulator, block.id))
    assert post(signed_in, [attempt.start(), attempt.end(True)]).status_code == 200
    progress = LessonProgress.objects.get(user=learner, lesson_key=lesson_with_simulator.translation_key)
    assert progress.answers[block.id]["last"] is False
    assert SimulatorAttempt.objects.get(user=learner).passed is False


def test_the_language_played_is_kept(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    start = attempt.start()
    start["context"]["language"] = "ar"
    post(signed_in, [start, attempt.action("sms", "next", "right"), attempt.end(True)])
    row = SimulatorAttempt.objects.get(user=learner)
    assert (row.language, row.passed, row.score) == ("ar", True, 100)


def test_only_ids_are_kept_in_the_trail(signed_in, learner, minimal_scenario):
    attempt = Attempt(scenario_activity_id(minimal_scenario))
    post(signed_in, [attempt.start(), attempt.action("sms", "Maria 0470 00 00 01", "right"), attempt.end(True)])
    row = SimulatorAttempt.objects.get(user=learner)
    assert row.trail == [{"screen": "sms", "element": "?", "outcome": "right"}]
    assert (row.passed, row.score) == (False, 0)
