"""Telling people signed up: the reminder the day before, and a cancellation. At most once per channel.

Each person is told on one channel: e-mail when they have an address (their account, or their staff
record), else a text message when there is a phone number (a guest, or staff with a mobile number), else
a message at their next sign-in. Claim, commit, then send (as training's reminders): the notice row is
made first, and the unique (booking, reason, channel) row means a second run, or a run at the same time,
finds it taken and sends nothing. A mail server that is down loses that message rather than sending twice.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from training.sms import SmsMessage, sms_backend

from .models import ReminderChannel, SeatBooking, SessionNotice

logger = logging.getLogger(__name__)


@dataclass
class NoticeRun:
    claimed: int = 0
    email: int = 0
    sms: int = 0
    sign_in: int = 0
    failed: int = 0


def _staff_contact(user_id: int) -> tuple[str, str]:
    from training.models import StaffMember

    row = StaffMember.objects.filter(user_id=user_id, active=True).values_list("email", "phone").first()
    return row or ("", "")


def channel_and_address(booking: SeatBooking) -> tuple[str, str]:
    if booking.learner_id is None:
        return ReminderChannel.SMS, booking.guest_phone
    staff_email, staff_phone = _staff_contact(booking.learner_id)
    email = booking.learner.email or staff_email
    if email:
        return ReminderChannel.EMAIL, email
    if staff_phone:
        return ReminderChannel.SMS, staff_phone
    return ReminderChannel.SIGN_IN, ""


def _language(booking: SeatBooking) -> str:
    codes = dict(settings.LANGUAGES)
    if booking.learner_id and booking.learner.preferred_language in codes:
        return booking.learner.preferred_language
    spoken = [code for code in booking.occurrence.session.languages if code in codes]
    return spoken[0] if spoken else settings.LANGUAGE_CODE


def _place(session) -> str:
    return session.help_point.name if session.help_point_id else _("online")


def notice_text(*, booking: SeatBooking, reason: str) -> tuple[str, str]:
    """(subject, body) in the active language."""
    occurrence = booking.occurrence
    session = occurrence.session
    starts = timezone.localtime(occurrence.starts)
    values = {
        "title": session.title,
        "date": formats.date_format(starts, "DATE_FORMAT"),
        "time": starts.strftime("%H:%M"),
        "place": _place(session),
    }
    if reason == SessionNotice.Reason.CANCELLED:
        subject = _("Cancelled: “%(title)s” on %(date)s") % values
        body = _("“%(title)s” on %(date)s at %(time)s does not take place.") % values
        if occurrence.cancel_reason:
            body += " " + _("Why: %(reason)s") % {"reason": occurrence.cancel_reason}
    else:
        subject = _("Tomorrow: “%(title)s”") % values
        body = _("Do not forget: “%(title)s” is tomorrow, %(date)s at %(time)s, %(place)s.") % values
    return subject, body


def _claim(booking: SeatBooking, reason: str, channel: str) -> SessionNotice | None:
    try:
        with transaction.atomic():
            return SessionNotice.objects.create(booking=booking, reason=reason, channel=channel)
    except IntegrityError:  # someone else claimed it first: theirs to send
        return None


def notices_send(*, bookings, reason: str) -> NoticeRun:
    """Tell each booking once on its channel. Call outside a transaction: each claim commits on its own."""
    run = NoticeRun()
    emails, texts, sign_in = [], [], []
    for booking in bookings.select_related("learner", "occurrence__session__help_point"):
        channel, address = channel_and_address(booking)
        # A channel already used for this reason (e.g. by an earlier run) means this person was told.
        if SessionNotice.objects.filter(booking=booking, reason=reason).exists():
            continue
        notice = _claim(booking, reason, channel)
        if notice is None:
            continue
        run.claimed += 1
        if channel == ReminderChannel.SIGN_IN:
            sign_in.append(notice.pk)
            continue
        with translation.override(_language(booking)):
            subject, body = notice_text(booking=booking, reason=reason)
        if channel == ReminderChannel.EMAIL:
            emails.append((notice.pk, EmailMessage(subject=subject, body=body, to=[address])))
        else:
            texts.append((notice.pk, SmsMessage(to=address, body=f"{body} {settings.SITE_ORIGIN}/")))
    sent = list(sign_in)
    run.sign_in = len(sign_in)
    if emails:
        try:
            get_connection().send_messages([message for _pk, message in emails])
        except Exception:  # claimed and not sent: never sent twice (at most once)
            logger.exception("Session notices: %s e-mails were not sent", len(emails))
            run.failed += len(emails)
        else:
            sent += [pk for pk, _message in emails]
            run.email = len(emails)
    if texts:
        try:
            sms_backend().send_messages([message for _pk, message in texts])
        except Exception:
            logger.exception("Session notices: %s SMS were not sent", len(texts))
            run.failed += len(texts)
        else:
            sent += [pk for pk, _message in texts]
            run.sms = len(texts)
    if sent:
        SessionNotice.objects.filter(pk__in=sent).update(sent_at=timezone.now())
    return run


def sign_in_notices_take(*, user) -> list[str]:
    """The messages waiting for this person's sign-in, as sentences; they count as seen from now."""
    rows = list(
        SessionNotice.objects.filter(
            booking__learner=user, channel=ReminderChannel.SIGN_IN, seen_at__isnull=True
        ).select_related("booking__learner", "booking__occurrence__session__help_point")
    )
    now = timezone.now()
    sentences = []
    for row in rows:
        # A reminder read after the session is no use; a cancellation still explains why it did not happen.
        if row.reason == SessionNotice.Reason.REMINDER and row.booking.occurrence.starts <= now:
            continue
        sentences.append(notice_text(booking=row.booking, reason=row.reason)[1])
    if rows:
        SessionNotice.objects.filter(pk__in=[row.pk for row in rows]).update(seen_at=now)
    return sentences
