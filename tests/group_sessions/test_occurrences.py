"""The dates made from a session's rule: first Tuesday of the month, weekly, across summer time."""

from datetime import date, time, timedelta

from django.utils import timezone

from group_sessions import services
from group_sessions.models import BookingStatus, SeatBooking
from group_sessions.occurrences import HORIZON_DAYS, local_datetime, occurrences_extend, rule_dates

from .conftest import session_data


def test_first_tuesday_of_every_month_across_the_year_end():
    days = rule_dates(
        first_date=date(2026, 11, 3),
        recurrence="monthly_weekday",
        repeat_until=date(2027, 3, 31),
        until=date(2030, 1, 1),
    )
    assert days == [date(2026, 11, 3), date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)]
    assert all(day.weekday() == 1 and day.day <= 7 for day in days)


def test_a_fifth_weekday_becomes_the_last_one_so_no_month_is_skipped():
    days = rule_dates(
        first_date=date(2026, 12, 29),
        recurrence="monthly_weekday",
        repeat_until=date(2027, 2, 28),
        until=date(2030, 1, 1),
    )
    assert days == [date(2026, 12, 29), date(2027, 1, 26), date(2027, 2, 23)]


def test_weekly_stops_at_repeat_until_and_once_is_one_date():
    weekly = rule_dates(
        first_date=date(2027, 1, 5), recurrence="weekly", repeat_until=date(2027, 1, 26), until=date(2030, 1, 1)
    )
    assert weekly == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19), date(2027, 1, 26)]
    once = rule_dates(
        first_date=date(2027, 1, 5), recurrence="once", repeat_until=date(2027, 3, 1), until=date(2030, 1, 1)
    )
    assert once == [date(2027, 1, 5)]


def test_brussels_wall_clock_time_stays_the_same_across_summer_time():
    winter = local_datetime(date(2027, 3, 23), time(14, 0))
    summer = local_datetime(date(2027, 3, 30), time(14, 0))
    assert winter.utcoffset() == timedelta(hours=1) and summer.utcoffset() == timedelta(hours=2)
    assert timezone.localtime(winter).hour == timezone.localtime(summer).hour == 14


def test_a_monthly_session_gets_dates_up_to_six_months_and_the_beat_task_extends_them(coach, library):
    first = timezone.localdate() + timedelta(days=1)
    saved = services.session_save(
        user=coach,
        data=session_data(
            help_point=library, recurrence="monthly_weekday", first_date=first, repeat_until=first + timedelta(days=800)
        ),
        items=[],
    )
    session = saved.session
    starts = [timezone.localtime(row.starts) for row in session.occurrences.all()]
    assert 6 <= len(starts) <= 7
    assert all(start.hour == 14 and start.weekday() == first.weekday() for start in starts)
    assert max(start.date() for start in starts) <= timezone.localdate() + timedelta(days=HORIZON_DAYS)
    # A month later the beat task adds the next date, once.
    later = timezone.localdate() + timedelta(days=40)
    assert occurrences_extend(today=later) >= 1
    count = session.occurrences.count()
    assert occurrences_extend(today=later) == 0
    assert session.occurrences.count() == count


def test_changing_the_rule_keeps_dates_with_bookings_and_says_so(coach, library, learner):
    first = timezone.localdate() + timedelta(days=2)
    data = session_data(
        help_point=library, recurrence="weekly", first_date=first, repeat_until=first + timedelta(weeks=3)
    )
    session = services.session_save(user=coach, data=data, items=[]).session
    assert session.occurrences.count() == 4
    last = session.occurrences.order_by("starts").last()
    SeatBooking.objects.create(occurrence=last, learner=learner, status=BookingStatus.CONFIRMED)
    data["repeat_until"] = first + timedelta(weeks=1)
    saved = services.session_save(user=coach, data=data, items=[], session=session)
    assert saved.sync.kept_with_bookings == 1
    assert saved.sync.removed == 1
    assert session.occurrences.count() == 3
    assert session.occurrences.filter(pk=last.pk).exists()
