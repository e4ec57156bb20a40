"""Seats: signing up, a guest asking a seat, an organiser confirming it, and cancelling a seat.

Only confirmed seats count. A guest's request does not take a seat until an organiser confirms it, so a
request can never push out a learner who signed up; confirming fails when the session is full by then.

Every change of a seat locks the date's row first (`select_for_update`), so two people asking for the
last seat at the same moment are served one after the other: one gets it, the other hears it is full.
Bad input raises ValidationError with a message for the person, and changes nothing.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BookingStatus, SeatBooking, SessionOccurrence

ACTIVE = (BookingStatus.CONFIRMED, BookingStatus.REQUESTED)


def seats_taken(occurrence) -> int:
    return occurrence.bookings.filter(status=BookingStatus.CONFIRMED).count()


def with_seats_taken(occurrences):
    """Annotate `taken` (confirmed seats) on a queryset of dates: one query for a whole list."""
    return occurrences.annotate(taken=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)))


def phone_normalise(text: str) -> str:
    """A phone number in international form (+32...), or ValidationError. Belgian numbers may start with 0."""
    number = re.sub(r"[\s./()\-]", "", text or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+32" + number[1:]
    valid = re.fullmatch(r"\+[1-9]\d{7,14}", number)
    if valid and number.startswith("+32"):
        valid = 8 <= len(number) - 3 <= 9
    if not valid:
        raise ValidationError(
            _("This is not a phone number we can use. Write it like this: 0470 12 34 56."), code="phone"
        )
    return number


def _open_occurrence(occurrence_id: int) -> SessionOccurrence:
    """The date, locked for this transaction; refused when cancelled or already begun."""
    occurrence = (
        SessionOccurrence.objects.select_for_update(of=("self",))
        .select_related("session")
        .filter(pk=occurrence_id)
        .first()
    )
    if occurrence is None:
        raise ValidationError(_("This session does not exist."), code="missing")
    if occurrence.cancelled_at or occurrence.session.cancelled_at:
        raise ValidationError(_("This session is cancelled. You cannot sign up for it."), code="cancelled")
    if occurrence.starts <= timezone.now():
        raise ValidationError(_("This session has already started or is over."), code="past")
    return occurrence


def _check_seat(occurrence) -> None:
    if seats_taken(occurrence) >= occurrence.session.seats:
        raise ValidationError(_("This session is full. Choose another date."), code="full")


def seat_book(*, occurrence_id: int, learner, booked_by=None) -> SeatBooking:
    """A learner's seat (they signed up themselves, or a coach did). A cancelled seat is reopened."""
    try:
        with transaction.atomic():
            occurrence = _open_occurrence(occurrence_id)
            booking = SeatBooking.objects.select_for_update().filter(occurrence=occurrence, learner=learner).first()
            if booking is not None and booking.status in ACTIVE:
                raise ValidationError(_("You are already signed up for this date."), code="twice")
            _check_seat(occurrence)
            if booking is None:
                booking = SeatBooking.objects.create(
                    occurrence=occurrence, learner=learner, booked_by=booked_by or learner
                )
            else:
                booking.status, booking.booked_by = BookingStatus.CONFIRMED, booked_by or learner
                booking.save(update_fields=["status", "booked_by", "updated_at"])
            return booking
    except IntegrityError as error:  # the unique seat per learner, should a second request slip past the lock
        raise ValidationError(_("You are already signed up for this date."), code="twice") from error


def guest_request(*, occurrence_id: int, first_name: str, phone: str) -> SeatBooking:
    """A guest asks a seat with a first name and phone number; it waits for an organiser to confirm."""
    first_name = " ".join((first_name or "").split())
    if not first_name:
        raise ValidationError(_("Write your first name."), code="name")
    phone = phone_normalise(phone)
    with transaction.atomic():
        occurrence = _open_occurrence(occurrence_id)
        if occurrence.bookings.filter(learner__isnull=True, guest_phone=phone, status__in=ACTIVE).exists():
            raise ValidationError(_("You already asked a seat for this date with this phone number."), code="twice")
        _check_seat(occurrence)
        return SeatBooking.objects.create(
            occurrence=occurrence, guest_first_name=first_name, guest_phone=phone, status=BookingStatus.REQUESTED
        )


def guest_confirm(*, booking_id: int, by) -> SeatBooking:
    with transaction.atomic():
        booking = SeatBooking.objects.select_related("occurrence").get(pk=booking_id)
        occurrence = _open_occurrence(booking.occurrence_id)
        booking = SeatBooking.objects.select_for_update().get(pk=booking_id)
        if booking.status != BookingStatus.REQUESTED:
            raise ValidationError(_("This request was already handled."), code="handled")
        _check_seat(occurrence)
        booking.status, booking.booked_by = BookingStatus.CONFIRMED, by
        booking.save(update_fields=["status", "booked_by", "updated_at"])
        return booking


def booking_cancel(*, booking_id: int) -> SeatBooking:
    """A seat given back (by the learner, or an organiser refusing a guest's request)."""
    with transaction.atomic():
        booking = SeatBooking.objects.select_for_update().select_related("occurrence").get(pk=booking_id)
        if booking.status == BookingStatus.CANCELLED:
            raise ValidationError(_("This seat was already cancelled."), code="handled")
        if booking.occurrence.starts <= timezone.now():
            raise ValidationError(_("This session has already started or is over."), code="past")
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        return booking
