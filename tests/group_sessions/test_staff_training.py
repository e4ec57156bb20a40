"""A staff training moment counts for its required programme once the manager ticks who came."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from group_sessions.models import SessionKind
from lessons.models import LessonPage
from tests.training.conftest import lesson_done, make_manager, make_staff
from training import selectors
from training.models import (
    Certificate,
    Department,
    Enrolment,
    ItemKind,
    Programme,
    ProgrammeAssignment,
    ProgrammeItem,
    Team,
)
from training.services import enrolments_sync

from .factories import book, make_occurrence, make_session

pytestmark = pytest.mark.django_db


@dataclass
class StaffSetup:
    manager: object
    other_manager: object
    team: Team
    programme: Programme
    lesson: LessonPage
    session: object
    jan: object  # StaffMember
    lies: object


def staff_setup(django_user_model) -> StaffSetup:
    """A programme (one lesson + one training moment) required in the green department of manager Els."""
    manager = make_manager(django_user_model, "els", "Els")
    other_manager = make_manager(django_user_model, "bart", "Bart")
    green = Department.objects.create(name="Groendienst")
    team = Team.objects.create(department=green, name="Ploeg Vrijbroekpark")
    team.managers.add(manager)
    other = Team.objects.create(department=Department.objects.create(name="Netheid"), name="Veegploeg")
    other.managers.add(other_manager)
    lesson = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    programme = Programme.objects.create(title="Digitaal veilig op het werk")
    ProgrammeItem.objects.create(
        programme=programme, sort_order=1, kind=ItemKind.LESSON, target_key=lesson.translation_key
    )
    moment = ProgrammeItem(programme=programme, sort_order=2, training_moment=True)
    moment.clean()
    moment.save()
    ProgrammeAssignment.objects.create(
        programme=programme, department=green, deadline=timezone.localdate() + timedelta(days=60)
    )
    jan = make_staff(django_user_model, team, "G-1", "Jan")
    lies = make_staff(django_user_model, team, "G-2", "Lies")
    enrolments_sync(today=timezone.localdate() - timedelta(days=1))
    session = make_session(
        organiser=None, title="Veilig wachtwoorden", kind=SessionKind.STAFF_TRAINING, programme=programme
    )
    return StaffSetup(manager, other_manager, team, programme, lesson, session, jan, lies)


@pytest.fixture(autouse=True)
def _course_and_library(course, library):
    """`staff_setup` takes the course's first lesson; its training moment is at the library."""


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    from learn.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def _rows(setup):
    return {row.staff.employee_number: row for row in selectors.team_compliance(team=setup.team).rows}


def test_the_admin_item_for_a_training_moment_gets_its_own_kind_and_key(django_user_model):
    setup = staff_setup(django_user_model)
    item = ProgrammeItem.objects.get(programme=setup.programme, training_moment=True)
    assert item.kind == ItemKind.SESSION and item.target_key is not None


def test_attendance_recorded_by_the_manager_finishes_the_programme_with_a_certificate(
    client, django_user_model, django_capture_on_commit_callbacks
):
    setup = staff_setup(django_user_model)
    lesson_done(setup.jan.user, setup.lesson.translation_key)
    lesson_done(setup.lies.user, setup.lesson.translation_key)
    before = _rows(setup)
    assert (before["G-1"].status, before["G-1"].items_done, before["G-1"].items_total) == ("in_progress", 1, 2)

    moment = make_occurrence(setup.session)
    jan_seat = book(moment, setup.jan.user)
    book(moment, setup.lies.user)
    client.force_login(setup.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("group_sessions:run_occurrence", args=[moment.pk]), {"present": [jan_seat.pk]})
    assert response.status_code == 302

    after = _rows(setup)
    assert after["G-1"].status == "completed" and after["G-1"].items_done == 2
    # Lies signed up but was not ticked: her moment is still open.
    assert after["G-2"].status == "in_progress" and after["G-2"].items_done == 1
    assert Certificate.objects.filter(staff=setup.jan).count() == 1
    assert not Certificate.objects.filter(staff=setup.lies).exists()
    page = client.get(reverse("training:team_compliance", args=[setup.team.pk])).content.decode()
    assert "2 van 2" in page and "1 van 2" in page


def test_a_moment_without_saved_attendance_or_without_the_lesson_gives_no_certificate(
    django_user_model, django_capture_on_commit_callbacks
):
    from training.services import completions_update

    setup = staff_setup(django_user_model)
    moment = make_occurrence(setup.session)
    # Marked present, but nobody saved the list: no evidence yet.
    book(moment, setup.jan.user, attended=True)
    assert _rows(setup)["G-1"].items_done == 0
    moment.attendance_recorded_at = timezone.now()
    moment.save()
    # Now the moment counts, but the lesson is not finished: the programme stays open.
    assert _rows(setup)["G-1"].items_done == 1
    assert completions_update() == []
    assert not Enrolment.objects.filter(completed_at__isnull=False).exists()
    assert not Certificate.objects.exists()


def test_a_moment_of_another_programme_does_not_count(django_user_model):
    setup = staff_setup(django_user_model)
    lesson_done(setup.jan.user, setup.lesson.translation_key)
    other = make_session(
        organiser=None,
        title="Iets anders",
        kind=SessionKind.STAFF_TRAINING,
        programme=Programme.objects.create(title="Ander programma"),
    )
    moment = make_occurrence(other, attendance_recorded_at=timezone.now())
    book(moment, setup.jan.user, attended=True)
    assert _rows(setup)["G-1"].items_done == 1


def test_an_item_is_a_page_or_a_training_moment_never_both(django_user_model):
    from django.core.exceptions import ValidationError

    setup = staff_setup(django_user_model)
    both = ProgrammeItem(programme=setup.programme, sort_order=3, page=setup.lesson, training_moment=True)
    with pytest.raises(ValidationError) as error:
        both.clean()
    assert "maar één" in str(error.value)
    # Saving the admin form again keeps the moment's key, so who came before still counts.
    item = ProgrammeItem.objects.get(programme=setup.programme, training_moment=True)
    key = item.target_key
    item.clean()
    assert item.target_key == key
