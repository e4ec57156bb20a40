"""Simulators as coaching tasks: assigned like a lesson, on the dashboard with their own status, the
screens where the group makes most mistakes, and in "needs help now"."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import services
from coaching.models import Assignment, AssignmentKind
from progress.models import SimulatorAttempt
from tests.factories import scenario

from .test_dashboard import cells_of, url_of


@pytest.fixture
def train(site_pages):
    """The built-in train-ticket scenario, on a site without modules."""
    return scenario("train")


def attempt(user, scenario, *, minutes_ago=2, completed=False, passed=None, score=None, wrong=0, safety=0, **more):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return SimulatorAttempt.objects.create(
        user=user,
        registration=uuid.uuid4(),
        scenario_key=scenario.translation_key,
        mode="practice",
        started_at=at - timedelta(minutes=3),
        last_activity_at=at,
        completed_at=at if completed else None,
        passed=passed,
        score=score,
        wrong_actions=wrong,
        safety_errors=safety,
        **more,
    )


def test_a_coach_gives_a_simulator_and_the_learner_sees_it_in_my_learning(coach_client, client, group, train):
    url = reverse("coaching:assignment_create", kwargs={"pk": group.pk})
    html = coach_client.get(url).content.decode()
    assert f'value="simulator:{train.translation_key}"' in html
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = coach_client.post(url, {"target": f"simulator:{train.translation_key}", "due": due, "note": "Oefen"})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.kind, assignment.target_key) == (AssignmentKind.SIMULATOR, train.translation_key)

    learner = group.learners.first()
    client.force_login(learner)
    my_learning = client.get(reverse("progress:my_learning")).content.decode()
    assert train.title in my_learning
    assert reverse("sandboxes:play", args=["train"]) in my_learning


def test_a_simulator_that_is_gone_cannot_be_given(coach_client, group):
    url = reverse("coaching:assignment_create", kwargs={"pk": group.pk})
    response = coach_client.post(url, {"target": f"simulator:{uuid.uuid4()}"})
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_the_dashboard_shows_simulator_status_and_where_the_group_makes_mistakes(coach_client, coach, group, train):
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=train.translation_key
    )
    marie, yusuf = group.learners.get(display_name="Marie"), group.learners.get(display_name="Yusuf")
    attempt(marie, train, completed=True, passed=True, score=90, wrong=1, mistakes={"from": 1})
    attempt(yusuf, train, minutes_ago=60, wrong=2, safety=1, mistakes={"from": 2, "home": 1})

    html = coach_client.get(url_of(group)).content.decode()
    assert cells_of(html, "Marie")[0].startswith("✓ Finished") or "Klaar" in cells_of(html, "Marie")[0]
    assert "◐" in cells_of(html, "Yusuf")[0]

    titles = {block.value["id"]: block.value["title"] for block in train.screens}
    section = html.split('id="mistakes-title"', 1)[1].split("</section>", 1)[0]
    assert section.index(titles["from"]) < section.index(titles["home"])  # most mistakes first
    # Per screen: wrong clicks and safety errors apart, and by how many learners (Dutch words).
    assert "3 foute klikken" in section and "1 foute klik" in section and "door 2 cursisten" in section


def test_a_learner_stuck_in_a_simulator_needs_help_now(coach_client, coach, group, train):
    yusuf = group.learners.get(display_name="Yusuf")
    attempt(yusuf, train, minutes_ago=1, wrong=3)
    html = coach_client.get(url_of(group)).content.decode()
    help_section = html.split('id="needs-help-title"', 1)[1].split("</section>", 1)[0]
    assert "Yusuf" in help_section and train.title in help_section


def test_a_finished_attempt_is_no_call_for_help(coach_client, group, train):
    yusuf = group.learners.get(display_name="Yusuf")
    attempt(yusuf, train, minutes_ago=1, wrong=5, completed=True, passed=True, score=50)
    html = coach_client.get(url_of(group)).content.decode()
    help_section = html.split('id="needs-help-title"', 1)[1].split("</section>", 1)[0]
    assert "Yusuf" not in help_section


def test_another_coach_never_sees_the_mistakes(client, other_coach, coach, group, train):
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=train.translation_key
    )
    client.force_login(other_coach)
    assert client.get(url_of(group)).status_code == 404
