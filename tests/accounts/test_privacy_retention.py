"""Retention, with a frozen clock: unused learner accounts (announced once, erased later unless used), old
learning records (reduced to anonymous counts, figures unchanged) and staff who left (removed after a set
time). Each rule runs through its Celery beat task, and running it again changes nothing."""

import os
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from accounts import roles, services
from accounts.models import SignInKind, User
from accounts.tasks import inactive_learners_run_task
from progress.models import LessonProgress, Statement, StatementSummary
from progress.tasks import statements_reduce_task
from training import services as training_services
from training.models import Certificate, Department, StaffMember, Team
from training.tasks import staff_leavers_remove_task

from .privacy_support import make_coach, person_with_everything

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, monkeypatch):
        self.now = START
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def at(self, days: float) -> datetime:
        self.now = START + timedelta(days=days)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVACY_INACTIVE_DAYS = 548
    settings.PRIVACY_INACTIVE_NOTICE_DAYS = 92
    settings.PRIVACY_STATEMENT_DAYS = 1096
    settings.PRIVACY_STAFF_LEFT_DAYS = 183


@pytest.fixture
def coach(db, clock):
    coach = make_coach("coach-an", "An")
    coach.email, coach.preferred_language = "an@example.org", "en"
    coach.save()
    return coach


def learner_of(coach, name: str) -> User:
    learner = services.learner_create(coach=coach, display_name=name, language="nl", kind=SignInKind.PIN).learner
    User.objects.filter(pk=learner.pk).update(last_login=timezone.now())
    return learner


# --- Unused learner accounts -------------------------------------------------------------------------


def test_an_unused_account_is_announced_once_then_erased_three_months_later(client, coach, clock):
    learner = learner_of(coach, "Marie")
    clock.at(547)
    assert inactive_learners_run_task() == {"announced": 0, "erased": 0, "kept": 0}

    clock.at(549)
    assert inactive_learners_run_task() == {"announced": 1, "erased": 0, "kept": 0}
    learner.refresh_from_db()
    assert learner.inactivity_notice_at == clock.now
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.org"]
    assert "Marie" not in mail.outbox[0].body and "1 of your learners has not signed in" in mail.outbox[0].body

    client.force_login(coach)
    page = client.get("/en/account/coach/").content.decode()
    assert "1 learner has not signed in for a long time." in page
    deadline = timezone.localdate(clock.now + timedelta(days=92))
    assert deadline == date(2027, 10, 8)
    assert "Not used: deleted on 8 October 2027 unless the learner signs in" in page

    clock.at(549.5)
    assert inactive_learners_run_task() == {"announced": 0, "erased": 0, "kept": 0}  # at most once
    assert len(mail.outbox) == 1

    clock.at(549 + 91)
    inactive_learners_run_task()
    assert User.objects.filter(pk=learner.pk).exists()
    clock.at(549 + 93)
    assert inactive_learners_run_task() == {"announced": 0, "erased": 1, "kept": 0}
    assert not User.objects.filter(pk=learner.pk).exists()
    assert inactive_learners_run_task() == {"announced": 0, "erased": 0, "kept": 0}


def test_signing_in_after_the_notice_keeps_the_account(coach, clock):
    learner = learner_of(coach, "Yusuf")
    clock.at(549)
    inactive_learners_run_task()
    clock.at(600)
    User.objects.filter(pk=learner.pk).update(last_login=timezone.now())  # the learner signed in
    assert inactive_learners_run_task() == {"announced": 0, "erased": 0, "kept": 1}
    clock.at(549 + 200)
    inactive_learners_run_task()
    learner.refresh_from_db()
    assert learner.inactivity_notice_at is None


def test_coaches_staff_at_work_and_administrators_are_never_announced(coach, clock, django_user_model):
    staff = learner_of(coach, "Els")
    department = Department.objects.create(name="Groendienst")
    team = Team.objects.create(department=department, name="Ploeg")
    StaffMember.objects.create(
        user=staff, employee_number="E-1", department=department, team=team, start_date=date(2025, 1, 1)
    )
    admin = django_user_model.objects.create_superuser("beheer", password="x")
    admin.groups.add(Group.objects.get_or_create(name=roles.LEARNERS)[0])
    coach.groups.add(Group.objects.get_or_create(name=roles.LEARNERS)[0])
    clock.at(2000)
    assert inactive_learners_run_task()["announced"] == 0


# --- Old learning records ----------------------------------------------------------------------------


def test_old_statements_become_anonymous_counts_and_the_figures_stay_right(coach, clock):
    from coaching.figures import programme_figures

    learner = learner_of(coach, "Marie")
    learner.groups.add(Group.objects.get_or_create(name=roles.LEARNERS)[0])
    lesson_key, module_key = uuid.uuid4(), uuid.uuid4()

    def statement(success):
        return Statement.objects.create(
            id=uuid.uuid4(),
            user=learner,
            verb="http://adlnet.gov/expapi/verbs/answered",
            object_id=f"https://oefenplein.example/xapi/lesson/{lesson_key}",
            activity_kind="question",
            lesson_key=lesson_key,
            module_key=module_key,
            success=success,
            duration_seconds=30,
            timestamp=timezone.now(),
            data={"actor": {"name": "Marie"}},
        )

    old = [statement(True), statement(False), statement(True)]
    LessonProgress.objects.create(
        user=learner, lesson_key=lesson_key, module_key=module_key, started_at=clock.now, last_activity_at=clock.now
    )
    clock.at(1096 + 10)
    recent = statement(True)
    before = programme_figures(language="en")

    assert statements_reduce_task() == 3
    assert list(Statement.objects.filter(user=learner)) == [recent]
    assert not Statement.objects.filter(id__in=[row.id for row in old]).exists()
    summary = StatementSummary.objects.get()
    assert (summary.month, summary.statements, summary.successes, summary.failures, summary.duration_seconds) == (
        date(2026, 1, 1),
        3,
        2,
        1,
        90,
    )
    assert summary.lesson_key == lesson_key
    assert not any(field.is_relation for field in StatementSummary._meta.get_fields())  # names nobody
    assert programme_figures(language="en") == before

    assert statements_reduce_task() == 0  # idempotent
    assert StatementSummary.objects.get().statements == 3


# --- Staff who left ----------------------------------------------------------------------------------


def test_staff_missing_from_a_complete_list_are_removed_after_the_set_time(coach, clock):
    manager = make_coach("els", "Els")
    manager.groups.add(Group.objects.get_or_create(name=roles.TRAINING_MANAGERS)[0])
    leaver = person_with_everything(coach=coach, lesson=None, first="Zoltan", last="Quibbleworth", number="EMP-7781")
    stays = person_with_everything(coach=coach, lesson=None, first="Wilma", last="Otterbeek", number="EMP-5523")
    team = StaffMember.objects.get(user=leaver.user).team
    team.managers.add(manager)
    certificate_file = leaver.certificate.pdf.path

    csv = "employee_number;name;department;team;start_date\nEMP-5523;Wilma Otterbeek;Groendienst;Ploeg Vrijbroekpark;2024-01-01\n"
    report = training_services.staff_import(manager=manager, name="staff.csv", data=csv.encode(), complete=True)
    assert report.left == 1
    record = StaffMember.objects.get(user=leaver.user)
    assert not record.active and record.left_at == clock.now
    assert StaffMember.objects.get(user=stays.user).active

    clock.at(182)
    assert staff_leavers_remove_task() == {"erased": 0, "records_removed": 0}
    clock.at(184)
    assert staff_leavers_remove_task() == {"erased": 1, "records_removed": 0}
    assert not User.objects.filter(pk=leaver.user.pk).exists()
    assert not Certificate.objects.filter(holder_name="Zoltan Quibbleworth").exists()
    assert not os.path.exists(certificate_file)
    assert StaffMember.objects.filter(user=stays.user).exists()
    assert staff_leavers_remove_task() == {"erased": 0, "records_removed": 0}


def test_a_leaver_with_another_role_keeps_the_account_but_not_the_staff_record(coach, clock):
    person = person_with_everything(coach=coach, lesson=None, first="Bo", last="Vermeulen", number="EMP-1111")
    person.user.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
    StaffMember.objects.filter(user=person.user).update(active=False)  # marked left, no date yet
    assert staff_leavers_remove_task() == {"erased": 0, "records_removed": 0}  # the clock starts now
    assert StaffMember.objects.get(user=person.user).left_at == clock.now
    clock.at(200)
    assert staff_leavers_remove_task() == {"erased": 0, "records_removed": 1}
    assert User.objects.filter(pk=person.user.pk).exists()
    assert not StaffMember.objects.filter(user=person.user).exists()
    assert not os.path.exists(person.certificate.pdf.path)


def test_celery_beat_runs_every_retention_rule_nightly(settings):
    from learn.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in ("accounts.inactive_learners_run", "progress.statements_reduce", "training.staff_leavers_remove"):
        assert task in names and task in app.tasks, task
