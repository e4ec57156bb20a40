"""Deadlines: the programme's date, new staff's days from their start date, recurrence, reminder stages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from training import services
from training.deadlines import first_due, months_add, next_cycle, reminder_stage
from training.models import Enrolment, ReminderStage

from .conftest import TODAY, lesson_done, make_staff, module_done


def test_staff_present_at_the_start_get_the_programme_deadline():
    assert first_due(deadline=date(2026, 12, 20), new_staff_days=60, start_date=date(2020, 1, 6)) == date(2026, 12, 20)


def test_new_staff_get_days_from_their_start_date_when_that_is_later():
    assert first_due(deadline=date(2026, 12, 20), new_staff_days=60, start_date=date(2026, 12, 1)) == date(2027, 1, 30)


def test_months_are_added_without_an_impossible_date():
    assert months_add(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert months_add(date(2026, 11, 26), 24) == date(2028, 11, 26)


def test_a_recurring_programme_opens_90_days_before_it_is_due_again():
    opens, due = next_cycle(completed_on=date(2026, 11, 26), recurrence_months=24)
    assert due == date(2028, 11, 26)
    assert opens == due - timedelta(days=90)


@pytest.mark.parametrize(
    "days_left,stage",
    [
        (30, None),
        (15, None),
        (14, ReminderStage.DAYS_14),
        (4, ReminderStage.DAYS_14),
        (3, ReminderStage.DAYS_3),
        (0, ReminderStage.DAYS_3),
        (-1, ReminderStage.OVERDUE),
    ],
)
def test_reminder_stages(days_left, stage):
    assert reminder_stage(due=TODAY + timedelta(days=days_left), today=TODAY) == stage


def test_sync_enrols_the_department_with_the_right_due_dates(django_user_model, required, park_team, programme):
    old = make_staff(django_user_model, park_team, "G-1", "Karim")
    new = make_staff(django_user_model, park_team, "G-2", "Jan", start=date(2026, 12, 1))
    assert services.enrolments_sync(today=TODAY) == 2
    assert Enrolment.objects.get(staff=old).due == date(2026, 12, 20)
    assert Enrolment.objects.get(staff=new).due == date(2027, 1, 30)
    assert services.enrolments_sync(today=TODAY) == 0  # a second run adds nothing
    assert Enrolment.objects.count() == 2


def test_after_completion_the_next_cycle_comes_when_it_opens(
    django_user_model, required, park_team, programme, lessons, other_module
):
    staff = make_staff(django_user_model, park_team, "G-1", "Karim")
    services.enrolments_sync(today=TODAY)
    lesson_done(staff.user, lessons[0].translation_key)
    module_done(staff.user, other_module.translation_key)
    finished = timezone.make_aware(timezone.datetime(2026, 11, 26, 10, 0))
    assert len(services.completions_update(now=finished)) == 1

    services.enrolments_sync(today=date(2028, 8, 1))  # before it opens (28 August 2028)
    assert Enrolment.objects.filter(staff=staff).count() == 1
    services.enrolments_sync(today=date(2028, 9, 1))
    second = Enrolment.objects.get(staff=staff, cycle=2)
    assert second.due == date(2028, 11, 26)
    # The old completion does not count for the new round: work must be done again since it opened.
    assert services.completions_update(now=finished) == []
    later = timezone.make_aware(timezone.datetime(2028, 9, 10, 10, 0))
    lesson_done(staff.user, lessons[0].translation_key, when=later)
    module_done(staff.user, other_module.translation_key, when=later)
    assert services.completions_update(now=later) == [second.pk]


def test_staff_who_left_get_no_programme(django_user_model, required, park_team):
    staff = make_staff(django_user_model, park_team, "G-1", "Karim")
    staff.active = False
    staff.save()
    assert services.enrolments_sync(today=TODAY) == 0
