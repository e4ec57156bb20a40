"""Group sessions: a workshop, a digidokter hour, a webinar or a staff training moment.

A `GroupSession` is what an organiser makes once: what, where, for whom, how many seats, and when it
repeats. Each date it takes place is a `SessionOccurrence`, made from the session's rule, so a seat, a
cancellation or attendance always belongs to one date. A `SeatBooking` is one person's seat on one date:
a learner with an account, or a guest who left a first name and a phone number and waits for a coach to
confirm. What the session covers is named by Wagtail translation key, as in coaching.Assignment, so it
follows a learner who reads in another language.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lessons.choices import TargetGroup
from progress.item_kinds import item_kinds


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    DIGIDOKTER = "digidokter", _("Digidokter hour")
    WEBINAR = "webinar", _("Webinar")
    STAFF_TRAINING = "staff_training", _("Training moment for staff")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Every month on the same weekday (for example the first Tuesday)")


CoveredKind = item_kinds("CoveredKind", module=__name__)


class GroupSession(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("what you do there"), blank=True)
    # A session takes place at a help point, or online (a webinar), never neither (checked in the form and
    # the database).
    help_point = models.ForeignKey(
        "lessons.HelpPoint",
        verbose_name=_("help point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online_link = models.URLField(_("link to the online session"), blank=True)
    # Brussels time (TIME_ZONE); `first_date` + `starts_at` is the first occurrence.
    first_date = models.DateField(_("first date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    recurrence = models.CharField(_("repeats"), max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE)
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    # Language codes of settings.LANGUAGES spoken in the session; JSON so SQLite and PostgreSQL agree.
    languages = models.JSONField(_("languages"), default=list)
    target_groups = models.JSONField(_("who it is for"), default=list, help_text=_("Values of TargetGroup."))
    # The coaching group that follows up the learners who came (its dashboard), if the organiser has one.
    coach_group = models.ForeignKey(
        "coaching.CoachGroup", verbose_name=_("group"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # A staff training moment counts for this required programme when the manager records attendance.
    programme = models.ForeignKey(
        "training.Programme", verbose_name=_("training programme"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_sessions", verbose_name=_("organisers")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The whole series is stopped: no new dates are made from the rule any more (services.session_cancel).
    cancelled_at = models.DateTimeField(_("series cancelled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["first_date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(help_point__isnull=False) | ~models.Q(online_link=""),
                name="group_session_has_a_place",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="group_session_has_seats"),
        ]

    def __str__(self):
        return self.title

    @property
    def target_group_labels(self) -> list[str]:
        return [TargetGroup(value).label for value in self.target_groups if value in TargetGroup.values]


class SessionItem(models.Model):
    """A module, lesson or simulator the session covers: practised before or after, assigned to who came."""

    class When(models.TextChoices):
        BEFORE = "before", _("Practise before")
        AFTER = "after", _("Practise after")

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=CoveredKind.choices)
    target_key = models.UUIDField(_("module, lesson or simulator"))
    when = models.CharField(_("when"), max_length=10, choices=When.choices, default=When.AFTER)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "kind", "target_key"], name="group_session_item_once")
        ]

    def __str__(self):
        return f"{self.session} {self.kind} {self.target_key}"


class SessionOccurrence(models.Model):
    """One date of a session. Made from the session's rule (services), never by hand."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="occurrences")
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=300, blank=True)
    # Set once when everyone signed up was told of the cancellation, so nobody is told twice.
    cancel_notified_at = models.DateTimeField(null=True, blank=True)
    # Set when the organiser has gone through the attendance list.
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "starts"], name="group_session_date_once")]
        indexes = [models.Index(fields=["starts"])]

    def __str__(self):
        return f"{self.session} {self.starts:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked, waiting for the coach")
    CONFIRMED = "confirmed", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")


class SeatBooking(models.Model):
    occurrence = models.ForeignKey(SessionOccurrence, on_delete=models.CASCADE, related_name="bookings")
    # A learner with an account, or a guest (first name + phone) whom a coach confirms.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="seat_bookings"
    )
    guest_first_name = models.CharField(_("first name"), max_length=60, blank=True)
    guest_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED)
    attended = models.BooleanField(_("was there"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One seat per learner per date (a cancelled booking is reopened, not doubled).
            models.UniqueConstraint(
                fields=["occurrence", "learner"], condition=models.Q(learner__isnull=False), name="one_seat_per_learner"
            ),
            models.CheckConstraint(
                condition=models.Q(learner__isnull=False) | ~models.Q(guest_first_name=""),
                name="seat_booking_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.occurrence} {self.learner_id or self.guest_first_name}"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    SIGN_IN = "sign_in", _("At the next sign-in")


class SessionNotice(models.Model):
    """A reminder or a cancellation notice to one booking, on one channel: sent at most once (unique)."""

    class Reason(models.TextChoices):
        REMINDER = "reminder", _("Reminder the day before")
        CANCELLED = "cancelled", _("The session is cancelled")

    booking = models.ForeignKey(SeatBooking, on_delete=models.CASCADE, related_name="notices")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # For the sign-in channel: when the learner saw it.
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["booking", "reason", "channel"], name="session_notice_once")]

    def __str__(self):
        return f"{self.booking} {self.reason} {self.channel}"
