"""The coach sees where a learner is stuck in a simulator: the screen by its title in the coach's language,
safety errors apart from wrong clicks, every simulator played (not only given ones), and a learner
stopped by a safety error is not "stuck"."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from coaching import selectors, services
from coaching.models import AssignmentKind
from progress.models import SimulatorAttempt
from progress.selectors import HELP_IDLE, HELP_SAFETY, HELP_WRONG, learners_needing_help
from sandboxes.activities import scenario_activity_id
from sandboxes.models import Scenario
from tests.factories import scenario as built_in_scenario
from tests.sandboxes.test_attempts import URL, Attempt

from .test_dashboard import cells_of, url_of
from .test_simulators import attempt


@pytest.fixture
def train(site_pages):
    """The built-in train-ticket scenario (in every language), on a site without modules."""
    return built_in_scenario("train")


@pytest.fixture
def more_scenarios(train):
    """The built-in doctor and itsme scenarios too."""
    return built_in_scenario("doctor"), built_in_scenario("itsme")


def screen_title(language: str, screen: str) -> str:
    scenario = Scenario.objects.get(slug="train", locale__language_code=language)
    return next(block.value["title"] for block in scenario.screens if block.value["id"] == screen)


def help_section(html: str) -> str:
    return html.split('id="needs-help-title"', 1)[1].split("</section>", 1)[0]


def mistakes_section(html: str) -> str:
    return html.split('id="mistakes-title"', 1)[1].split("</section>", 1)[0]


def test_the_server_keeps_safety_errors_per_screen_and_the_last_action(client, group, train):
    yusuf = group.learners.get(display_name="Yusuf")
    client.force_login(yusuf)
    run = Attempt(scenario_activity_id(train))
    batch = [
        run.start(),
        run.action("from", "station", "wrong"),
        run.action("journey", "share", "safety"),
        run.end(False),
    ]
    assert client.post(URL, data=json.dumps(batch), content_type="application/json").status_code == 200
    row = SimulatorAttempt.objects.get(user=yusuf)
    assert row.mistakes == {"from": 1, "journey": 1}  # both, as before
    assert row.safety_mistakes == {"journey": 1}  # the safety part, apart
    assert (row.last_screen, row.last_outcome) == ("journey", "safety")
    assert (row.wrong_actions, row.safety_errors) == (1, 1)


def test_help_signals_for_simulators_name_the_screen_and_tell_a_safety_stop_from_stuck(group, train, more_scenarios):
    marie, yusuf = group.learners.get(display_name="Marie"), group.learners.get(display_name="Yusuf")
    doctor = Scenario.objects.get(slug="doctor", locale__language_code="nl")
    itsme = Scenario.objects.get(slug="itsme", locale__language_code="nl")
    # Marie: three wrong clicks, most on "journey"; a safety error elsewhere is not a wrong click.
    attempt(
        marie,
        train,
        minutes_ago=1,
        wrong=3,
        safety=0,
        mistakes={"journey": 2, "from": 1},
        last_screen="from",
        last_outcome="wrong",
    )
    # Marie in another simulator: one wrong click and two safety errors do not make "3 wrong clicks".
    attempt(marie, doctor, minutes_ago=2, completed=True, passed=False, score=0, wrong=1, safety=2)
    # Yusuf: an open attempt whose last action was a safety error, 15 minutes ago: stopped, not idle.
    attempt(
        yusuf,
        train,
        minutes_ago=15,
        safety=1,
        mistakes={"journey": 1},
        safety_mistakes={"journey": 1},
        last_screen="journey",
        last_outcome="safety",
    )
    # Yusuf: an attempt left 15 minutes ago on "from" is idle ...
    attempt(yusuf, itsme, minutes_ago=15, last_screen="from", last_outcome="right")
    # ... and an attempt left behind for a newer one that passed is no alarm at all.
    attempt(yusuf, doctor, minutes_ago=20)
    attempt(yusuf, doctor, minutes_ago=5, completed=True, passed=True, score=100)

    signals = {
        (signal.user_id, signal.lesson_key): signal for signal in learners_needing_help(user_ids=[marie.pk, yusuf.pk])
    }
    marie_train = signals[(marie.pk, train.translation_key)]
    assert (marie_train.reason, marie_train.screen, marie_train.wrong_answers) == (HELP_WRONG, "journey", 3)
    assert signals[(marie.pk, doctor.translation_key)].reason == HELP_SAFETY
    yusuf_train = signals[(yusuf.pk, train.translation_key)]
    assert (yusuf_train.reason, yusuf_train.screen, yusuf_train.safety_errors) == (HELP_SAFETY, "journey", 1)
    yusuf_itsme = signals[(yusuf.pk, itsme.translation_key)]
    assert (yusuf_itsme.reason, yusuf_itsme.screen) == (HELP_IDLE, "from")
    assert (yusuf.pk, doctor.translation_key) not in signals
    assert all(signal.simulator for signal in signals.values())


def test_an_old_safety_stop_is_neither_help_nor_idle(group, train):
    yusuf = group.learners.get(display_name="Yusuf")
    attempt(yusuf, train, minutes_ago=45, safety=1, last_screen="journey", last_outcome="safety")
    assert learners_needing_help(user_ids=[yusuf.pk]) == []


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_needs_help_names_the_screen_in_the_coachs_language(coach_client, group, train, language):
    marie, yusuf = group.learners.get(display_name="Marie"), group.learners.get(display_name="Yusuf")
    attempt(marie, train, minutes_ago=1, wrong=3, mistakes={"journey": 3}, last_screen="journey", last_outcome="wrong")
    attempt(
        yusuf,
        train,
        minutes_ago=15,
        safety=1,
        mistakes={"from": 1},
        safety_mistakes={"from": 1},
        last_screen="from",
        last_outcome="safety",
    )
    with translation.override(language):
        html = coach_client.get(url_of(group)).content.decode()
    section = help_section(html)
    marie_line = section.split("Marie", 1)[1].split("</li>", 1)[0]
    yusuf_line = section.split("Yusuf", 1)[1].split("</li>", 1)[0]
    assert screen_title(language, "journey") in marie_line
    assert screen_title(language, "from") in yusuf_line
    if language == "en":
        assert "3 wrong clicks, most on the screen “<bdi>Ticket type</bdi>”" in marie_line
        assert "stopped after a safety error on the screen “<bdi>From</bdi>”" in yusuf_line
        assert "nothing happened" not in section


def test_the_cells_count_safety_errors_apart_and_name_the_screens(coach_client, coach, group, train):
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=train.translation_key
    )
    marie = group.learners.get(display_name="Marie")
    attempt(marie, train, minutes_ago=60, wrong=2, mistakes={"to": 2}, last_screen="to", last_outcome="wrong")
    attempt(
        marie,
        train,
        minutes_ago=50,
        completed=True,
        passed=False,
        score=0,
        wrong=1,
        safety=1,
        mistakes={"to": 1, "journey": 1},
        safety_mistakes={"journey": 1},
    )
    with translation.override("en"):
        html = coach_client.get(url_of(group)).content.decode()
    cell = cells_of(html, "Marie")[0]
    assert "Wrong clicks: 3, safety errors: 1" in cell
    assert "Most wrong clicks on: To" in cell
    assert "Safety error on: Ticket type" in cell


def test_the_mistakes_table_covers_every_simulator_played_with_safety_apart(
    coach_client, coach, group, train, more_scenarios
):
    doctor = Scenario.objects.get(slug="doctor", locale__language_code="nl")
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=doctor.translation_key
    )
    marie, yusuf = group.learners.get(display_name="Marie"), group.learners.get(display_name="Yusuf")
    # The train simulator was never given, but both played it.
    attempt(marie, train, minutes_ago=90, wrong=2, mistakes={"from": 2})
    attempt(yusuf, train, minutes_ago=90, wrong=1, safety=1, mistakes={"from": 2}, safety_mistakes={"from": 1})
    dashboard = selectors.group_dashboard(group=group, language="en")
    by_title = {simulator.title: simulator for simulator in dashboard.simulator_mistakes}
    train_en = Scenario.objects.get(slug="train", locale__language_code="en").title
    assert not by_title[train_en].assigned
    [screen] = by_title[train_en].screens
    assert (screen.title, screen.wrong, screen.safety, screen.learners) == ("From", 3, 1, 2)
    doctor_title = next(title for title, simulator in by_title.items() if simulator.assigned)
    assert by_title[doctor_title].screens == []

    with translation.override("en"):
        section = mistakes_section(coach_client.get(url_of(group)).content.decode())
    assert train_en in section and "(not given as a task)" in section
    row = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", section.split('<th scope="row">From</th>', 1)[1].split("</tr>")[0])
    )
    assert "3 wrong clicks" in row and "1 safety error" in row and "by 2 learners" in row


def test_a_safety_stop_of_another_day_is_not_on_the_dashboard(coach_client, group, train):
    yusuf = group.learners.get(display_name="Yusuf")
    at = timezone.now() - timedelta(days=1)
    SimulatorAttempt.objects.filter(
        pk=attempt(yusuf, train, safety=1, last_screen="from", last_outcome="safety").pk
    ).update(last_activity_at=at)
    assert "Yusuf" not in help_section(coach_client.get(url_of(group)).content.decode())


def test_in_arabic_the_parts_of_a_mistake_are_joined_by_an_arabic_comma(coach_client, group, train):
    """Right-to-left text takes the Arabic comma; the Latin one would read as a stray mark."""
    yusuf = group.learners.get(display_name="Yusuf")
    attempt(yusuf, train, minutes_ago=90, wrong=1, safety=1, mistakes={"from": 2}, safety_mistakes={"from": 1})
    with translation.override("ar"):
        section = mistakes_section(coach_client.get(url_of(group)).content.decode())
    row = section.split("</thead>", 1)[1].split("</tr>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert "،" in text and "," not in text, text


def test_a_learner_who_went_on_after_a_safety_stop_is_not_called_stopped(coach_client, group, train):
    """ "Try this step again" after the Stop, then on to the end: the safety error stays in view, in words
    that say the learner went on, never "stopped after a safety error"."""
    yusuf = group.learners.get(display_name="Yusuf")
    attempt(
        yusuf,
        train,
        minutes_ago=2,
        completed=True,
        passed=False,
        score=0,
        safety=1,
        mistakes={"journey": 1},
        safety_mistakes={"journey": 1},
        last_screen="pay",
        last_outcome="right",
    )
    (signal,) = [s for s in learners_needing_help(user_ids=[yusuf.pk]) if s.lesson_key == train.translation_key]
    assert (signal.reason, signal.screen, signal.went_on) == (HELP_SAFETY, "journey", True)
    with translation.override("en"):
        section = help_section(coach_client.get(url_of(group)).content.decode())
    assert "then tried again" in section and "stopped after a safety error" not in section
    assert screen_title("en", "journey") in section
