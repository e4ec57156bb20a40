"""Retention of guests' data: a guest's phone number is kept only for their booking.

The day after the date (GUEST_PHONE_DAYS after its end), the number is erased: it was asked only to
confirm the seat and to send a reminder. The first name stays on the booking (the attendance list and
the counts need a row), and alone it names nobody. Run nightly by Celery beat
(`group_sessions.tasks.guest_phones_erase_task`); a second run finds nothing more.
"""

from datetime import timedelta

from django.utils import timezone

from .models import SeatBooking

GUEST_PHONE_DAYS = 1


def guest_phones_erase(*, now=None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=GUEST_PHONE_DAYS)
    return (
        SeatBooking.objects.filter(learner__isnull=True, occurrence__ends__lte=cutoff)
        .exclude(guest_phone="")
        .update(guest_phone="")
    )
