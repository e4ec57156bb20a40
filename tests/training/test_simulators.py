"""Simulator scenarios as programme items: chosen in the admin, shown in "My learning", done when passed."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from progress.models import SimulatorAttempt
from progress.selectors import my_learning
from progress.services import statements_ingest
from tests.factories import scenario as built_in_scenario
from tests.progress.evidence import lesson_done as answered_lesson
from training import selectors, services
from training.models import (
    Certificate,
    Enrolment,
    ItemKind,
    Programme,
    ProgrammeAssignment,
    ProgrammeItem,
)

from .conftest import make_staff


@pytest.fixture
def scenario(db):
    return built_in_scenario("train")


@pytest.fixture
def lesson_and_simulator(lessons, scenario, green):
    programme = Programme.objects.create(title="Veilig online reizen")
    lesson_item = ProgrammeItem(programme=programme, sort_order=1, page=lessons[0])
    lesson_item.clean()
    lesson_item.save()
    simulator_item = ProgrammeItem(programme=programme, sort_order=2, scenario=scenario)
    simulator_item.clean()
    simulator_item.save()
    ProgrammeAssignment.objects.create(programme=programme, department=green, deadline=date(2026, 12, 20))
    return programme


@pytest.fixture
def staff(django_user_model, park_team, lesson_and_simulator):
    person = make_staff(django_user_model, park_team, "G-7", "Lotte Peeters")
    services.enrolments_sync(today=date(2026, 11, 1))
    return person


def attempt(user, scenario, *, passed):
    now = timezone.now()
    return SimulatorAttempt.objects.create(
        user=user,
        registration=uuid.uuid4(),
        scenario_key=scenario.translation_key,
        mode="test",
        started_at=now,
        last_activity_at=now,
        completed_at=now,
        passed=passed,
        score=90 if passed else 40,
    )


def test_an_admin_item_takes_kind_and_key_from_the_chosen_scenario(lesson_and_simulator, scenario, lessons):
    item = lesson_and_simulator.items.get(kind=ItemKind.SIMULATOR)
    assert item.target_key == scenario.translation_key
    with pytest.raises(ValidationError):
        ProgrammeItem(programme=lesson_and_simulator, page=lessons[1], scenario=scenario).clean()


def test_the_programme_edit_page_offers_a_scenario_chooser(client, django_user_model, lesson_and_simulator):
    admin = django_user_model.objects.create_superuser("beheer", password="een-wachtwoord-123")
    client.force_login(admin)
    page = client.get(f"/admin/snippets/training/programme/edit/{lesson_and_simulator.pk}/").content.decode()
    assert "items-0-scenario" in page and "items-1-scenario" in page
    assert "/admin/snippets/choose/sandboxes/scenario/" in page


def test_the_simulator_is_in_my_learning_with_its_link(staff, scenario, rf):
    keys = [item.translation_key for item in selectors.assigned_items_for(user=staff.user)]
    assert scenario.translation_key in keys
    request = rf.get("/nl/")
    request.user = staff.user
    learning = my_learning(user=staff.user, language="nl", request=request)
    titles = [entry.page.title for entry in learning.required]
    assert scenario.title in titles
    (entry,) = [entry for entry in learning.required if entry.page.title == scenario.title]
    assert f"/{scenario.slug}/" in entry.page.url and not entry.done


def test_passing_the_lesson_and_the_simulator_completes_the_programme_and_makes_the_certificate(
    staff, scenario, lessons, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statements_ingest(user=staff.user, statements=answered_lesson(lessons[0]))
    attempt(staff.user, scenario, passed=False)
    assert services.completions_update(staff_ids=[staff.pk]) == []  # a failed attempt is not done
    (row,) = selectors.own_enrolments(user=staff.user)
    assert (row.items_done, row.items_total) == (1, 2)

    attempt(staff.user, scenario, passed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.completions_update(staff_ids=[staff.pk])
    enrolment = Enrolment.objects.get(staff=staff)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.pdf.read().startswith(b"%PDF-")
    assert selectors.assigned_items_for(user=staff.user) == []
