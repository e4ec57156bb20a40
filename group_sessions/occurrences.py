"""The dates of a session, made from its rule (once, weekly, monthly on the same weekday).

Dates are made up to HORIZON_DAYS ahead; a daily Celery beat task (`tasks.occurrences_extend`) moves the
horizon on, so a recurring session never runs out of dates and the table never fills with years of them.
Times are Brussels wall-clock times: 14:00 stays 14:00 across the change to and from summer time.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import BookingStatus, GroupSession, Recurrence, SessionOccurrence

HORIZON_DAYS = 183  # about six months: what a learner looks ahead, and what a coach plans


def brussels() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1-4) weekday of a month; nth 5 means the last one, so "fifth Tuesday" never skips a month."""
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    if nth >= 5:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    return day + timedelta(weeks=nth - 1)


def week_of_month(day: date) -> int:
    """1 for the first Tuesday (say) of the month, ... 5 for a fifth one."""
    return (day.day - 1) // 7 + 1


def rule_dates(*, first_date: date, recurrence: str, repeat_until: date | None, until: date) -> list[date]:
    """Every date of the rule from `first_date` to the earlier of `repeat_until` and `until`."""
    last = min(repeat_until, until) if repeat_until and recurrence != Recurrence.ONCE else until
    if recurrence == Recurrence.ONCE:
        return [first_date] if first_date <= until else []
    days = []
    if recurrence == Recurrence.WEEKLY:
        day = first_date
        while day <= last:
            days.append(day)
            day += timedelta(weeks=1)
        return days
    nth, weekday = week_of_month(first_date), first_date.weekday()
    year, month = first_date.year, first_date.month
    while True:
        day = _nth_weekday(year, month, weekday, nth)
        if day > last:
            return days
        if day >= first_date:
            days.append(day)
        month += 1
        if month == 13:
            year, month = year + 1, 1


def local_datetime(day: date, time) -> datetime:
    """A Brussels wall-clock time as an aware datetime (zoneinfo picks summer or winter time)."""
    return datetime.combine(day, time).replace(tzinfo=brussels())


@dataclass
class SyncResult:
    made: int = 0
    removed: int = 0
    kept_with_bookings: int = 0  # dates no longer in the rule that stay, because people signed up


def occurrences_sync(*, session: GroupSession, today: date | None = None) -> SyncResult:
    """Make the session's dates match its rule, up to HORIZON_DAYS ahead. Past dates are never touched.

    A future date the rule no longer has is removed, unless someone signed up for it: that date stays
    (the organiser is told, and can cancel it, which tells the people signed up).
    """
    today = today or timezone.localdate()
    result = SyncResult()
    if session.cancelled_at:
        return result
    now = timezone.now()
    wanted = {
        local_datetime(day, session.starts_at): local_datetime(day, session.ends_at)
        for day in rule_dates(
            first_date=session.first_date,
            recurrence=session.recurrence,
            repeat_until=session.repeat_until,
            until=today + timedelta(days=HORIZON_DAYS),
        )
    }
    with transaction.atomic():
        existing = {row.starts: row for row in SessionOccurrence.objects.select_for_update().filter(session=session)}
        for starts, row in existing.items():
            if starts in wanted or starts <= now:
                if starts in wanted and row.ends != wanted[starts]:
                    row.ends = wanted[starts]
                    row.save(update_fields=["ends"])
                continue
            if row.bookings.filter(status__in=[BookingStatus.CONFIRMED, BookingStatus.REQUESTED]).exists():
                result.kept_with_bookings += 1
            else:
                row.delete()
                result.removed += 1
        new = [
            SessionOccurrence(session=session, starts=starts, ends=ends)
            for starts, ends in wanted.items()
            if starts not in existing and starts > now
        ]
        SessionOccurrence.objects.bulk_create(new, ignore_conflicts=True)
        result.made = len(new)
    return result


def occurrences_extend(*, today: date | None = None) -> int:
    """Celery beat, daily: recurring sessions get their dates up to the new horizon. Safe to run twice."""
    today = today or timezone.localdate()
    made = 0
    sessions = GroupSession.objects.filter(cancelled_at__isnull=True).exclude(recurrence=Recurrence.ONCE)
    for session in sessions.exclude(repeat_until__lt=today):
        made += occurrences_sync(session=session, today=today).made
    return made
