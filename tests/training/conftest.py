from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from accounts import roles
from progress.models import LessonProgress, LessonStatus, ModuleProgress
from training.models import (
    Department,
    ItemKind,
    Programme,
    ProgrammeAssignment,
    ProgrammeItem,
    StaffMember,
    Team,
)

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _dutch():
    """URLs are reversed in Dutch, whatever language an earlier request left active."""
    with translation.override("nl"):
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process(settings, tmp_path):
    """Tasks run in this process (also when REDIS_URL is set); certificates go to a temporary folder.

    The worker tests start a real worker and send their tasks through Redis with a client of their own.
    """
    from learn.celery import app

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


def make_manager(django_user_model, username: str, name: str):
    user = django_user_model.objects.create_user(username, password=f"{username}-wachtwoord", display_name=name)
    user.groups.add(Group.objects.get_or_create(name=roles.TRAINING_MANAGERS)[0])
    return user


@pytest.fixture
def manager(django_user_model):
    return make_manager(django_user_model, "els", "Els")


@pytest.fixture
def other_manager(django_user_model):
    return make_manager(django_user_model, "bart", "Bart")


@pytest.fixture
def green(db):
    return Department.objects.create(name="Groendienst")


@pytest.fixture
def cleaning(db):
    return Department.objects.create(name="Netheid")


@pytest.fixture
def park_team(green, manager):
    team = Team.objects.create(department=green, name="Ploeg Vrijbroekpark")
    team.managers.add(manager)
    return team


@pytest.fixture
def sweep_team(cleaning, other_manager):
    team = Team.objects.create(department=cleaning, name="Veegploeg centrum")
    team.managers.add(other_manager)
    return team


def make_staff(django_user_model, team, number: str, name: str, *, start=None, email="", phone=""):
    user = django_user_model.objects.create_user(f"staff-{number.lower()}", display_name=name, email=email)
    return StaffMember.objects.create(
        user=user,
        employee_number=number,
        department=team.department,
        team=team,
        start_date=start or TODAY - timedelta(days=1000),
        email=email,
        phone=phone,
    )


@pytest.fixture
def module(course):
    """A Dutch module of three lessons, translated into French, English and Arabic (tests/conftest.py)."""
    return course.module


@pytest.fixture
def lessons(course):
    return course.lessons


@pytest.fixture
def other_module(course):
    """A second Dutch module, of three lessons with questions only."""
    return course.other_module


@pytest.fixture
def programme(lessons, other_module):
    """A lesson of the first module, then the whole second module."""
    programme = Programme.objects.create(title="Digitaal veilig op het werk")
    ProgrammeItem.objects.create(
        programme=programme, sort_order=1, kind=ItemKind.LESSON, target_key=lessons[0].translation_key
    )
    ProgrammeItem.objects.create(
        programme=programme, sort_order=2, kind=ItemKind.MODULE, target_key=other_module.translation_key
    )
    return programme


@pytest.fixture
def required(programme, green, cleaning):
    """The programme is required in both departments, by 20 December 2026, again every 24 months."""
    return [
        ProgrammeAssignment.objects.create(
            programme=programme,
            department=department,
            deadline=date(2026, 12, 20),
            recurrence_months=24,
            new_staff_days=60,
        )
        for department in (green, cleaning)
    ]


def lesson_done(user, key, *, module_key=None, when=None, status=LessonStatus.COMPLETED, checked=True):
    """The aggregate of a lesson finished on evidence the server checked (`checked=False`: H5P results)."""
    when = when or timezone.now()
    done = status == LessonStatus.COMPLETED
    LessonProgress.objects.update_or_create(
        user=user,
        lesson_key=key,
        defaults={
            "module_key": module_key,
            "status": status,
            "started_at": when,
            "completed_at": when if done else None,
            "checked_completed_at": when if done and checked else None,
            "last_activity_at": when,
        },
    )


def module_done(user, key, *, when=None, completed=True, checked=True):
    when = when or timezone.now()
    ModuleProgress.objects.update_or_create(
        user=user,
        module_key=key,
        defaults={
            "lessons_total": 3,
            "lessons_completed": 3 if completed else 1,
            "started_at": when,
            "completed_at": when if completed else None,
            "checked_completed_at": when if completed and checked else None,
            "last_activity_at": when,
        },
    )
