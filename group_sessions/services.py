"""Organising sessions: make or change one (and its dates), cancel a date or the whole series, reminders.

Seats are in booking.py, the dates from the rule in occurrences.py, telling people in notices.py.
Every service checks who asks (permissions.py) and raises ValidationError with a message for them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notices, permissions
from .booking import ACTIVE
from .models import BookingStatus, GroupSession, SeatBooking, SessionItem, SessionNotice, SessionOccurrence
from .occurrences import SyncResult, occurrences_sync

SESSION_FIELDS = (
    "kind",
    "title",
    "description",
    "help_point",
    "online_link",
    "first_date",
    "starts_at",
    "ends_at",
    "recurrence",
    "repeat_until",
    "seats",
    "languages",
    "target_groups",
    "coach_group",
)


@dataclass
class SavedSession:
    session: GroupSession
    sync: SyncResult


def _check(*, user, data: dict, session: GroupSession | None) -> None:
    if not permissions.may_organise(user):
        raise ValidationError(_("You may not organise sessions."), code="role")
    if data["kind"] not in permissions.kinds_for(user):
        raise ValidationError({"kind": _("You may not organise this kind of session.")}, code="kind")
    if not data.get("help_point") and not data.get("online_link"):
        raise ValidationError({"help_point": _("Choose a help point, or give the link to the online session.")})
    if not permissions.help_point_allowed(user, kind=data["kind"], help_point=data.get("help_point")):
        raise ValidationError(
            {"help_point": _("You can only organise sessions at the help points of your own groups, or online.")}
        )
    if data["ends_at"] <= data["starts_at"]:
        raise ValidationError({"ends_at": _("The end time must be after the start time.")})
    first_date_changed = session is None or session.first_date != data["first_date"]
    if first_date_changed and data["first_date"] < timezone.localdate():
        raise ValidationError({"first_date": _("The first date cannot be in the past.")})
    if data.get("repeat_until") and data["repeat_until"] < data["first_date"]:
        raise ValidationError({"repeat_until": _("Repeat until must be on or after the first date.")})
    group = data.get("coach_group")
    if group is not None and not (permissions.is_editor(user) or group.coaches.filter(pk=user.pk).exists()):
        raise ValidationError({"coach_group": _("Choose one of your own groups.")})


def session_save(*, user, data: dict, items: list[tuple[str, object, str]], session: GroupSession | None = None):
    """Make a session (or change one this person organises) and its dates. `items`: (kind, key, when).

    Changing the rule keeps the dates people signed up for: SavedSession.sync says how many.
    """
    if session is not None and not permissions.may_manage(user, session):
        raise ValidationError(_("You do not organise this session."), code="not_yours")
    if session is not None and session.cancelled_at:
        raise ValidationError(_("This session is cancelled. It cannot be changed."), code="cancelled")
    _check(user=user, data=data, session=session)
    with transaction.atomic():
        new = session is None
        if new:
            session = GroupSession(created_by=user)
        for name in SESSION_FIELDS:
            setattr(session, name, data.get(name))
        session.online_link = session.online_link or ""
        session.description = session.description or ""
        if session.recurrence == "once":
            session.repeat_until = None
        # languages and target groups may be empty lists (checked by the form), which full_clean calls blank.
        session.full_clean(exclude=["organisers", "programme", "languages", "target_groups"])
        session.save()
        if new:  # an editor changing someone's session does not become its organiser
            session.organisers.add(user)
        session.items.all().delete()
        SessionItem.objects.bulk_create(
            [
                SessionItem(session=session, kind=kind, target_key=key, when=when, sort_order=order)
                for order, (kind, key, when) in enumerate(dict.fromkeys(items))
            ],
            ignore_conflicts=True,
        )
        sync = occurrences_sync(session=session)
    return SavedSession(session=session, sync=sync)


def _own_occurrence(*, user, occurrence_id: int) -> SessionOccurrence:
    occurrence = SessionOccurrence.objects.select_related("session").filter(pk=occurrence_id).first()
    if occurrence is None or not permissions.may_manage(user, occurrence.session):
        raise ValidationError(_("You do not organise this session."), code="not_yours")
    return occurrence


def _tell_cancelled(occurrence_ids: list[int]) -> notices.NoticeRun:
    bookings = SeatBooking.objects.filter(occurrence_id__in=occurrence_ids, status__in=ACTIVE)
    run = notices.notices_send(bookings=bookings, reason=SessionNotice.Reason.CANCELLED)
    SessionOccurrence.objects.filter(pk__in=occurrence_ids, cancel_notified_at__isnull=True).update(
        cancel_notified_at=timezone.now()
    )
    return run


def occurrence_cancel(*, user, occurrence_id: int, reason: str) -> notices.NoticeRun:
    """Cancel one date; everyone signed up (or waiting for a confirmation) is told once."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled. The people signed up read it.")})
    with transaction.atomic():
        occurrence = _own_occurrence(user=user, occurrence_id=occurrence_id)
        occurrence = SessionOccurrence.objects.select_for_update().get(pk=occurrence.pk)
        if occurrence.cancelled_at:
            raise ValidationError(_("This date is already cancelled."), code="cancelled")
        if occurrence.starts <= timezone.now():
            raise ValidationError(_("This session has already started or is over."), code="past")
        occurrence.cancelled_at, occurrence.cancel_reason = timezone.now(), reason[:300]
        occurrence.save(update_fields=["cancelled_at", "cancel_reason"])
    return _tell_cancelled([occurrence.pk])


def session_cancel(*, user, session_id: int, reason: str) -> notices.NoticeRun:
    """Cancel the whole series: every future date, and no new dates from the rule."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled. The people signed up read it.")})
    session = GroupSession.objects.filter(pk=session_id).first()
    if session is None or not permissions.may_manage(user, session):
        raise ValidationError(_("You do not organise this session."), code="not_yours")
    if session.cancelled_at:
        raise ValidationError(_("This session is already cancelled."), code="cancelled")
    now = timezone.now()
    with transaction.atomic():
        GroupSession.objects.filter(pk=session.pk).update(cancelled_at=now)
        future = SessionOccurrence.objects.select_for_update().filter(
            session=session, starts__gt=now, cancelled_at__isnull=True
        )
        ids = list(future.values_list("pk", flat=True))
        SessionOccurrence.objects.filter(pk__in=ids).update(cancelled_at=now, cancel_reason=reason[:300])
    return _tell_cancelled(ids)


def coach_sign_up(*, user, occurrence_id: int, learner):
    """A coach signs up one of their own learners (accounts' created_by, or a learner of their groups)."""
    from accounts.selectors import coach_learners
    from coaching.models import CoachGroup

    from .booking import seat_book

    _own_occurrence(user=user, occurrence_id=occurrence_id)
    own = (
        coach_learners(coach=user).filter(pk=learner.pk).exists()
        or CoachGroup.objects.filter(coaches=user, learners=learner).exists()
    )
    if not own:
        raise ValidationError(_("You can only sign up your own learners."), code="not_yours")
    try:
        return seat_book(occurrence_id=occurrence_id, learner=learner, booked_by=user)
    except ValidationError as error:
        if error.code == "twice":
            raise ValidationError(_("This learner is already signed up for this date."), code="twice") from error
        raise


def reminders_run(*, today: date | None = None) -> notices.NoticeRun:
    """Celery beat, daily: everyone with a confirmed seat for tomorrow is reminded, once."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    bookings = SeatBooking.objects.filter(
        status=BookingStatus.CONFIRMED,
        occurrence__starts__date=tomorrow,
        occurrence__cancelled_at__isnull=True,
    )
    return notices.notices_send(bookings=bookings, reason=SessionNotice.Reason.REMINDER)
