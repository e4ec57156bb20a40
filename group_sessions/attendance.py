"""Running a date of a session: who may, who signed up, who came, walk-ins, and the follow-up tasks.

Who may run a date (`runnable_occurrences`): the session's organisers, the coaches of its group, a
training manager for a staff training moment of a programme that a department with one of their teams
must do, and editors (who organise every session, permissions.py). Everybody else who may organise gets
404 (they cannot tell the date exists); other people get 403 (run_views, organiser_required).

Each write checks that the booking (or date) belongs to the date being run and raises `ValidationError`
with a message an organiser can act on; nothing is saved when a check fails.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.selectors import user_is_coach
from coaching import services as coaching_services
from coaching.models import Assignment, CoachGroup

from . import permissions
from .models import BookingStatus, SeatBooking, SessionItem, SessionKind, SessionOccurrence


def runnable_occurrences(*, user) -> QuerySet:
    """The dates this person may run. A training manager's part follows programme -> department -> team."""
    if not (user.is_authenticated and user.is_active):
        return SessionOccurrence.objects.none()
    if permissions.is_editor(user):  # editors organise every session (permissions.py), so run every date
        return SessionOccurrence.objects.select_related("session", "session__help_point")
    rule = Q(session__organisers=user) | Q(session__coach_group__coaches=user)
    rule |= Q(
        session__kind=SessionKind.STAFF_TRAINING,
        session__programme__assignments__department__teams__managers=user,
    )
    ids = SessionOccurrence.objects.filter(rule).values("pk")
    # A subquery, not .distinct(): the joins above can repeat a date, and callers order and slice freely.
    return SessionOccurrence.objects.filter(pk__in=ids).select_related("session", "session__help_point")


def occurrence_bookings(*, occurrence: SessionOccurrence) -> list[SeatBooking]:
    """Who signed up: learners and confirmed guests (a guest still waiting for the coach is not on the list)."""
    return list(
        occurrence.bookings.filter(status=BookingStatus.CONFIRMED)
        .select_related("learner")
        .order_by("learner__display_name", "guest_first_name", "pk")
    )


def _runnable_check(*, occurrence: SessionOccurrence) -> None:
    if occurrence.cancelled_at is not None:
        raise ValidationError(_("This date is cancelled. You cannot record who came."))
    if timezone.localdate(occurrence.starts) > timezone.localdate():
        raise ValidationError(_("This date is still to come. You can record who came from the day itself."))


def attendance_save(*, occurrence: SessionOccurrence, by, present_ids) -> int:
    """Mark who came (`present_ids`, booking ids) and who did not (every other confirmed booking).

    Any id that is not a confirmed booking of this very date makes the whole list refused: a stale page
    or a tampered form must not change another date. Returns how many came. Sets
    `attendance_recorded_at`; for a staff training moment, the required training is checked again.
    """
    _runnable_check(occurrence=occurrence)
    try:
        wanted = {int(value) for value in present_ids}
    except (TypeError, ValueError):
        raise ValidationError(_("This list of people is not valid. Open the page again and tick once more.")) from None
    with transaction.atomic():
        # Locked so two phones saving the same list at once end with one of the two lists, not a mix.
        bookings = list(
            SeatBooking.objects.select_for_update().filter(occurrence=occurrence, status=BookingStatus.CONFIRMED)
        )
        known = {booking.pk for booking in bookings}
        if wanted - known:
            raise ValidationError(
                _("Someone on this list did not sign up for this date. Open the page again and tick once more.")
            )
        for booking in bookings:
            booking.attended = booking.pk in wanted
        SeatBooking.objects.bulk_update(bookings, ["attended"])
        occurrence.attendance_recorded_at = timezone.now()
        occurrence.save(update_fields=["attendance_recorded_at"])
        if occurrence.session.kind == SessionKind.STAFF_TRAINING and occurrence.session.programme_id:
            _training_check_after_commit(user_ids=[b.learner_id for b in bookings if b.pk in wanted and b.learner_id])
    return len(wanted)


def _training_check_after_commit(*, user_ids: list[int]) -> None:
    """Attendance is evidence for a programme's training-moment item: let training check completion."""
    from training.models import StaffMember

    staff_ids = list(StaffMember.objects.filter(user_id__in=user_ids, active=True).values_list("pk", flat=True))
    if not staff_ids:
        return
    from training.tasks import completion_check

    transaction.on_commit(lambda: [completion_check.delay(staff_id) for staff_id in staff_ids])


def group_for_running(*, occurrence: SessionOccurrence, by) -> CoachGroup:
    """The coaching group that follows up who came: the session's group, or a new one for this organiser.

    A session made without a group gets one the first time its organiser needs it (walk-ins, giving
    tasks): named after the session, at its help point, with the organiser as coach. It is stored on the
    session, so every later date and every co-organiser use the same group and its dashboard.
    Only coaches keep groups; others get a message.
    """
    session = occurrence.session
    if session.coach_group_id:
        group = session.coach_group
        if not group.coaches.filter(pk=by.pk).exists():
            raise ValidationError(
                _("Only a coach of the group %(group)s can do this. Ask them to add you as a coach.")
                % {"group": group.name}
            )
        return group
    if not user_is_coach(user=by):
        raise ValidationError(_("Only a coach can make learner accounts and give tasks. Ask a coach to help you."))
    with transaction.atomic():
        group = coaching_services.group_create(coach=by, name=session.title[:120], help_point=session.help_point)
        session.coach_group = group
        session.save(update_fields=["coach_group"])
    return group


@dataclass
class WalkIns:
    group: CoachGroup
    made: list  # accounts.services.NewSecret, the secrets shown once
    sheet: object | None


def walk_ins_possible(*, occurrence: SessionOccurrence, user) -> bool:
    """Whether the run page offers walk-in accounts: coaches make learner accounts, and staff have one."""
    return occurrence.session.kind != SessionKind.STAFF_TRAINING and user_is_coach(user=user)


def walk_ins_add(*, occurrence: SessionOccurrence, by, names: list[str], language: str, card_sheet: bool) -> WalkIns:
    """People who came without signing up: a learner account each (coaching's bulk creation), on the list as present.

    Seats do not limit walk-ins: they are already in the room.
    """
    _runnable_check(occurrence=occurrence)
    if occurrence.session.kind == SessionKind.STAFF_TRAINING:
        raise ValidationError(_("Staff already have an account. Ask the training manager to add them to a team."))
    with transaction.atomic():
        group = group_for_running(occurrence=occurrence, by=by)
        made = coaching_services.group_learners_create(coach=by, group=group, names=names, language=language)
        SeatBooking.objects.bulk_create(
            [
                SeatBooking(
                    occurrence=occurrence,
                    learner=new.learner,
                    status=BookingStatus.CONFIRMED,
                    attended=True,
                    booked_by=by,
                )
                for new in made
            ]
        )
        occurrence.attendance_recorded_at = timezone.now()
        occurrence.save(update_fields=["attendance_recorded_at"])
        sheet = coaching_services.card_sheet_for_new(coach=by, group=group, made=made) if card_sheet else None
    return WalkIns(group=group, made=made, sheet=sheet)


@dataclass
class Given:
    group: CoachGroup
    learners: int
    items: int
    skipped: int  # covered items that are not on the site (any more)


def covered_items_give(*, occurrence: SessionOccurrence, by) -> Given:
    """Give what the session covered to everyone who came, in one step, in the session's group.

    Learners who came join the group (they signed up for this group's session and came, so its coaches
    follow them up: issue 19, point 3); guests without an account cannot get tasks. Each covered item
    becomes one assignment for exactly these learners; pressing again adds newcomers to the same
    assignment instead of giving it twice.
    """
    if occurrence.session.kind == SessionKind.STAFF_TRAINING:
        raise ValidationError(
            _("Staff follow their required training in “My learning” already. There is nothing to give here.")
        )
    if occurrence.attendance_recorded_at is None:
        raise ValidationError(_("First save who came. Then you can give them what you practised."))
    items = list(SessionItem.objects.filter(session=occurrence.session))
    if not items:
        raise ValidationError(_("This session has no modules, lessons or simulators to give."))
    present = list(
        User.objects.filter(
            is_active=True,
            groups__name=roles.LEARNERS,
            seat_bookings__occurrence=occurrence,
            seat_bookings__status=BookingStatus.CONFIRMED,
            seat_bookings__attended=True,
        ).distinct()
    )
    if not present:
        raise ValidationError(_("Nobody with a learner account came. Tick who came first."))
    note = _("We practised this together on %(date)s: %(title)s") % {
        "date": timezone.localtime(occurrence.starts).strftime("%d/%m/%Y"),
        "title": occurrence.session.title,
    }
    given = skipped = 0
    with transaction.atomic():
        group = group_for_running(occurrence=occurrence, by=by)
        group.learners.add(*present)
        for item in items:
            existing = (
                Assignment.objects.filter(group=group, kind=item.kind, target_key=item.target_key)
                .filter(learners__isnull=False)
                .distinct()
                .first()
            )
            if existing is not None:
                existing.learners.add(*present)
                given += 1
                continue
            try:
                coaching_services.assignment_create(
                    coach=by, group=group, kind=item.kind, target_key=item.target_key, note=note[:300], learners=present
                )
            except ValidationError:
                skipped += 1  # unpublished since the session was made: the others are still given
                continue
            given += 1
    if not given:
        raise ValidationError(_("None of the modules, lessons or simulators of this session is on the site now."))
    return Given(group=group, learners=len(present), items=given, skipped=skipped)


def staff_moments_attended(*, user_ids, programme_ids) -> dict:
    """training.moments provider: {(user id, programme id): start of the latest moment they were ticked at}.

    Only dates whose attendance was saved by who ran them, not cancelled, of staff training moments.
    """
    rows = (
        SeatBooking.objects.filter(
            learner_id__in=list(user_ids),
            status=BookingStatus.CONFIRMED,
            attended=True,
            occurrence__attendance_recorded_at__isnull=False,
            occurrence__cancelled_at__isnull=True,
            occurrence__session__kind=SessionKind.STAFF_TRAINING,
            occurrence__session__programme_id__in=list(programme_ids),
        )
        .values("learner_id", "occurrence__session__programme_id")
        .annotate(last=Max("occurrence__starts"))
        .order_by()
    )
    return {(row["learner_id"], row["occurrence__session__programme_id"]): row["last"] for row in rows}
