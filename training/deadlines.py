"""Date rules of required training, as plain functions: easy to test, used by services and selectors."""

import calendar
from datetime import date, timedelta

from .models import ReminderStage

# Reminder stages: this many days (or fewer) before the due date. The overdue stage comes after it.
STAGE_DAYS = ((ReminderStage.DAYS_3, 3), (ReminderStage.DAYS_14, 14))
# A recurring programme opens again this many days before its next due date, so a refresher is visible
# in time; work done from that day on counts for the new cycle.
REFRESH_OPENS_DAYS_BEFORE = 90


def months_add(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_due(*, deadline: date, new_staff_days: int, start_date: date | None) -> date:
    """Staff present when the programme is required finish by the deadline; later starters get their days."""
    if start_date is None:
        return deadline
    return max(deadline, start_date + timedelta(days=new_staff_days))


def next_cycle(*, completed_on: date, recurrence_months: int) -> tuple[date, date]:
    """(opens on, due) of the cycle after one finished on `completed_on`."""
    due = months_add(completed_on, recurrence_months)
    opens = max(completed_on + timedelta(days=1), due - timedelta(days=REFRESH_OPENS_DAYS_BEFORE))
    return opens, due


def reminder_stage(*, due: date, today: date) -> str | None:
    """The reminder due now for an unfinished programme, or None when it is not yet time."""
    days_left = (due - today).days
    if days_left < 0:
        return ReminderStage.OVERDUE
    for stage, days in STAGE_DAYS:
        if days_left <= days:
            return stage
    return None
