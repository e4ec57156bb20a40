"""Reminders: the stage due now, once per person, programme cycle and stage; e-mail, SMS (log) or the site."""

import logging
from datetime import date

import pytest
from django.core import mail

from training import services
from training.models import Enrolment, ReminderChannel, ReminderDelivery, ReminderStage

from .conftest import make_staff


@pytest.fixture
def team_of_three(django_user_model, park_team, required):
    people = [
        make_staff(django_user_model, park_team, "G-1", "Sofie", email="sofie@example.org"),
        make_staff(django_user_model, park_team, "G-2", "Karim", phone="+32470112233"),
        make_staff(django_user_model, park_team, "G-3", "Jan"),
    ]
    services.enrolments_sync(today=date(2026, 11, 1))
    return people


def test_nothing_is_sent_long_before_the_deadline(team_of_three):
    assert services.reminders_run(today=date(2026, 11, 1)).claimed == 0
    assert not ReminderDelivery.objects.exists() and not mail.outbox


def test_each_stage_goes_out_once_by_the_right_channel(team_of_three, caplog):
    caplog.set_level(logging.INFO, logger="training.sms")
    run = services.reminders_run(today=date(2026, 12, 6))  # 14 days before 20 December
    assert (run.claimed, run.email, run.sms, run.site) == (3, 1, 1, 1)
    assert [message.to for message in mail.outbox] == [["sofie@example.org"]]
    assert "20/12/2026" in mail.outbox[0].subject and "Sofie" in mail.outbox[0].body
    assert any("SMS to +32470112233" in record.getMessage() for record in caplog.records)
    assert set(ReminderDelivery.objects.values_list("stage", flat=True)) == {ReminderStage.DAYS_14}
    assert not ReminderDelivery.objects.filter(sent_at__isnull=True).exists()

    again = services.reminders_run(today=date(2026, 12, 7))  # the same stage: nothing new
    assert again.claimed == 0 and len(mail.outbox) == 1

    services.reminders_run(today=date(2026, 12, 17))  # 3 days before
    services.reminders_run(today=date(2026, 12, 21))  # overdue
    services.reminders_run(today=date(2026, 12, 28))  # still overdue: no second overdue reminder
    assert len(mail.outbox) == 3
    stages = list(ReminderDelivery.objects.filter(enrolment__staff=team_of_three[0]).values_list("stage", flat=True))
    assert sorted(stages) == sorted([ReminderStage.DAYS_14, ReminderStage.DAYS_3, ReminderStage.OVERDUE])
    channels = dict(
        ReminderDelivery.objects.filter(stage=ReminderStage.OVERDUE).values_list(
            "enrolment__staff__employee_number", "channel"
        )
    )
    assert channels == {"G-1": ReminderChannel.EMAIL, "G-2": ReminderChannel.SMS, "G-3": ReminderChannel.SITE}


def test_someone_enrolled_late_gets_only_the_stage_due_now(team_of_three):
    services.reminders_run(today=date(2026, 12, 18))
    assert set(ReminderDelivery.objects.values_list("stage", flat=True)) == {ReminderStage.DAYS_3}


def test_finished_programmes_get_no_reminder(team_of_three):
    Enrolment.objects.update(completed_at="2026-12-01T10:00:00Z")
    assert services.reminders_run(today=date(2026, 12, 21)).claimed == 0


def test_a_claim_taken_by_another_run_is_not_sent_again(team_of_three):
    """The row of another run (claimed, maybe never sent because its worker died) blocks this one."""
    enrolment = Enrolment.objects.get(staff=team_of_three[0])
    import uuid

    from django.utils import timezone

    ReminderDelivery.objects.create(
        enrolment=enrolment, stage=ReminderStage.DAYS_14, channel="email", claim=uuid.uuid4(), claimed_at=timezone.now()
    )
    run = services.reminders_run(today=date(2026, 12, 10))
    assert run.claimed == 2 and mail.outbox == []


def test_a_pluggable_sms_backend_is_used(team_of_three, settings):
    settings.SMS_BACKEND = "tests.training.sms_backends.ListSmsBackend"
    from tests.training.sms_backends import SENT

    SENT.clear()
    services.reminders_run(today=date(2026, 12, 6))
    assert [message.to for message in SENT] == ["+32470112233"]


def test_staff_without_e_mail_see_their_reminder_when_they_sign_in(team_of_three, client):
    services.reminders_run(today=date(2026, 12, 21))
    jan = team_of_three[2].user
    jan.set_password("een-lang-wachtwoord-voor-jan")
    jan.save()
    response = client.post(
        "/nl/account/login/", {"username": jan.username, "password": "een-lang-wachtwoord-voor-jan"}, follow=True
    )
    shown = (
        [str(message) for message in response.context["messages"]]
        if response.context and "messages" in response.context
        else []
    )
    if not shown:  # the page after signing in may not show messages; the next page that does shows them
        shown = [str(message) for message in client.get("/nl/training/mine/").context["messages"]]
    assert any("Digitaal veilig op het werk" in sentence and "20/12/2026" in sentence for sentence in shown), shown
    assert ReminderDelivery.objects.get(enrolment__staff=team_of_three[2]).seen_at is not None


def test_the_manager_prints_a_list_of_staff_without_e_mail(team_of_three, client, manager, other_manager):
    from training.selectors import paper_reminders

    listed = paper_reminders(manager=manager, today=date(2026, 12, 18))
    assert [r.staff.employee_number for r in listed] == ["G-3", "G-2"]  # by name; Sofie has e-mail
    assert all(r.days_left == 2 for r in listed)
    assert paper_reminders(manager=manager, today=date(2026, 11, 18)) == []
    assert paper_reminders(manager=other_manager, today=date(2026, 12, 18)) == []
    client.force_login(manager)
    response = client.get("/nl/training/reminders/print/")
    assert response.status_code == 200 and b'class="printable"' in response.content


def test_someone_who_moved_to_a_department_without_the_programme_gets_no_reminder(team_of_three, green):
    from training.models import Department, Team

    library = Department.objects.create(name="Bibliotheek")
    desk = Team.objects.create(department=library, name="Onthaal")
    moved = team_of_three[0]
    moved.department, moved.team = library, desk
    moved.save()
    services.reminders_run(today=date(2026, 12, 6))
    assert not ReminderDelivery.objects.filter(enrolment__staff=moved).exists()
    assert ReminderDelivery.objects.count() == 2


def test_the_daily_reminder_run_happens_in_the_morning_in_brussels_not_24_hours_after_beat_started():
    """Beat runs reminders at a fixed hour of the day (TRAINING_REMINDER_HOUR, 08:00 Brussels time by
    default), so an SMS or e-mail never goes out in the middle of the night."""
    import copy
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from learn.celery import app

    brussels = ZoneInfo("Europe/Brussels")
    schedule = copy.copy(settings.CELERY_BEAT_SCHEDULE["training-reminders"]["schedule"])
    schedule.app = app
    at_night = datetime(2026, 11, 27, 2, 0, tzinfo=brussels)  # beat (re)started at 02:00
    schedule.nowfun = lambda: at_night
    assert not schedule.is_due(at_night).is_due  # not right away
    next_run = at_night + schedule.remaining_estimate(at_night)
    assert next_run.astimezone(brussels) == datetime(2026, 11, 27, 8, 0, tzinfo=brussels)
    after_run = datetime(2026, 11, 27, 8, 0, tzinfo=brussels)
    schedule.nowfun = lambda: after_run
    assert (after_run + schedule.remaining_estimate(after_run)).astimezone(brussels) == datetime(
        2026, 11, 28, 8, 0, tzinfo=brussels
    )
