"""Sessions, dates and seats made straight with the ORM, so these tests do not depend on the organiser services."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from group_sessions.models import BookingStatus, GroupSession, SeatBooking, SessionItem, SessionKind, SessionOccurrence
from lessons.models import HelpPoint


def help_point(language: str = "nl"):
    return HelpPoint.objects.filter(locale__language_code=language).order_by("pk").first()


def make_session(*, organiser=None, title="Werken met itsme", kind=SessionKind.WORKSHOP, point=None, **fields):
    defaults = {
        "kind": kind,
        "title": title,
        "help_point": point or help_point(),
        "first_date": timezone.localdate(),
        "starts_at": time(10, 0),
        "ends_at": time(12, 0),
        "seats": 12,
        "languages": ["nl"],
        "target_groups": [],
    }
    defaults.update(fields)
    session = GroupSession.objects.create(**defaults, created_by=organiser)
    if organiser is not None:
        session.organisers.add(organiser)
    return session


def make_occurrence(session, *, days: int = 0, hour: int = 10, **fields):
    """A date `days` from today (negative: in the past), two hours long, Brussels time."""
    day = timezone.localdate() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return SessionOccurrence.objects.create(session=session, starts=starts, ends=starts + timedelta(hours=2), **fields)


def book(occurrence, learner=None, *, guest: str = "", status=BookingStatus.CONFIRMED, **fields):
    return SeatBooking.objects.create(
        occurrence=occurrence, learner=learner, guest_first_name=guest, status=status, **fields
    )


def cover(session, page_or_key, *, kind="lesson", when=SessionItem.When.AFTER, order: int = 0):
    key = getattr(page_or_key, "translation_key", page_or_key)
    return SessionItem.objects.create(session=session, kind=kind, target_key=key, when=when, sort_order=order)
