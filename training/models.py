"""Required training for city staff: who works where, what they must do by when, reminders, certificates.

Staff are `accounts.User` rows with a `StaffMember` profile. Progress itself lives in `progress` and is
read through `progress.selectors`; this app owns only its own data. Programme items name their target by
Wagtail translation key (like `coaching.Assignment`), so progress counts in whatever language a person reads.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.models import Orderable

from accounts.models import CardSheetBase, CardSheetStatus
from progress.item_kinds import item_kinds

from .storage import certificate_storage


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        verbose_name = _("department")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Team(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    # Training managers who follow this team. A manager sees only the teams they manage.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True, verbose_name=_("managers")
    )

    panels = [FieldPanel("department"), FieldPanel("name"), FieldPanel("managers")]

    class Meta:
        verbose_name = _("team")
        ordering = ["department__name", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="training_team_unique_name")]

    def __str__(self):
        return f"{self.department} – {self.name}"


class StaffMember(models.Model):
    """A city staff member. `employee_number` is the key of the staff CSV: a re-import updates this row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member")
    employee_number = models.CharField(_("employee number"), max_length=40, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="staff")
    start_date = models.DateField(_("start date"))
    # Many staff have no e-mail address or phone: they get reminders on the site and on paper.
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    active = models.BooleanField(_("works here"), default=True)
    # When the person left (marked left, or missing from a full re-import); the record is removed
    # PRIVACY_STAFF_LEFT_DAYS later (training.retention).
    left_at = models.DateTimeField(_("left on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("staff member")
        ordering = ["team", "user__display_name", "pk"]
        indexes = [models.Index(fields=["department", "active"])]

    def __str__(self):
        return str(self.user)


class Programme(ClusterableModel):
    """Built in the Wagtail admin (Snippets): its ordered items and the departments that must do it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is about"), blank=True)
    # H5P exercises score in the learner's browser: the server cannot check them. Off, a lesson counts
    # for the certificate only when it is finished on checked evidence too (its questions and
    # simulators, or read long enough when it has nothing else); see progress LessonProgress.
    player_results_count = models.BooleanField(
        _("H5P results count for the certificate"),
        default=False,
        help_text=_(
            "The score of an H5P exercise comes from the learner's browser and cannot be checked. "
            "Off: the certificate needs the lessons' own questions, simulators or reading time. "
            "On: H5P results count too."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("player_results_count"),
        InlinePanel("items", label=_("Modules, lessons and simulators, in order"), min_num=1),
        InlinePanel("assignments", label=_("Required in these departments")),
    ]

    class Meta:
        verbose_name = _("programme")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


# A module, lesson or simulator, or being at a staff training moment (a group session of this programme),
# recorded by who ran it.
ItemKind = item_kinds("ItemKind", module=__name__, extra=[("SESSION", ("session", _("Training moment")))])


class ProgrammeItem(Orderable):
    """A module, lesson or simulator scenario, named by translation key like progress names it.

    In the admin an editor picks a page or a scenario (`sandboxes.Scenario`, a translatable snippet);
    the kind and key are taken from it, so the item keeps pointing at the same content in every
    language, even if the page is moved. A simulator counts as done once an attempt passed.
    """

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("module or lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scenario = models.ForeignKey(
        "sandboxes.Scenario",
        verbose_name=_("or a simulator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Or: be at one training moment of this programme (training.moments); its key is made once, here.
    training_moment = models.BooleanField(
        _("or be at a training moment"),
        default=False,
        help_text=_(
            "Done when the person was at a training moment (a group session) of this programme, "
            "and the manager ticked them present."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    target_key = models.UUIDField(_("module, lesson or simulator"))

    panels = [
        PageChooserPanel("page", ["lessons.ModulePage", "lessons.LessonPage"]),
        FieldPanel("scenario"),
        FieldPanel("training_moment"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("programme item")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "target_key"], name="training_item_once"),
        ]

    def __str__(self):
        return f"{self.programme} {self.sort_order} {self.kind}"

    def clean(self):
        if self.training_moment:
            if self.page_id is not None or self.scenario_id is not None:
                raise ValidationError(
                    {"training_moment": _("Choose a module, a lesson, a simulator or a training moment: only one.")}
                )
            if self.kind != ItemKind.SESSION or not self.target_key:
                self.kind, self.target_key = ItemKind.SESSION, uuid.uuid4()
            return
        if self.page_id is not None and self.scenario_id is not None:
            raise ValidationError({"scenario": _("Choose a module, a lesson or a simulator: only one per item.")})
        if self.scenario_id is not None:
            self.kind, self.target_key = ItemKind.SIMULATOR, self.scenario.translation_key
            return
        if self.page_id is None:
            if not self.target_key:
                raise ValidationError({"page": _("Choose a module, a lesson or a simulator.")})
            return
        kinds = {"modulepage": ItemKind.MODULE, "lessonpage": ItemKind.LESSON}
        kind = kinds.get(self.page.specific_class._meta.model_name)
        if kind is None:
            raise ValidationError({"page": _("Choose a module or a lesson.")})
        self.kind, self.target_key = kind, self.page.translation_key


class ProgrammeAssignment(models.Model):
    """A programme required for everyone in a department.

    Staff present at the start must finish by `deadline`; someone who starts later gets
    `new_staff_days` from their start date (whichever is later). With `recurrence_months` the programme
    comes back that many months after each completion (for example every 24 months).
    """

    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="programme_assignments")
    deadline = models.DateField(_("finish by"))
    recurrence_months = models.PositiveIntegerField(_("repeat every (months)"), null=True, blank=True)
    new_staff_days = models.PositiveIntegerField(_("days for new staff"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("department"),
        FieldPanel("deadline"),
        FieldPanel("recurrence_months"),
        FieldPanel("new_staff_days"),
    ]

    class Meta:
        verbose_name = _("required programme")
        ordering = ["department", "programme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "department"], name="training_assignment_once"),
        ]

    def __str__(self):
        return f"{self.programme} → {self.department}"


class Enrolment(models.Model):
    """One person, one programme, one cycle (1, then 2 after a recurrence...), with its own due date."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="enrolments")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    cycle = models.PositiveIntegerField(default=1)
    # The cycle counts work done from this date on (a recurrence asks for the lessons again).
    opened_on = models.DateField()
    due = models.DateField(_("finish by"))
    completed_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "programme", "cycle"], name="training_enrolment_once"),
        ]
        indexes = [models.Index(fields=["completed_at", "due"])]

    def __str__(self):
        return f"{self.staff_id} {self.programme_id} #{self.cycle}"


class ReminderStage(models.TextChoices):
    DAYS_14 = "before_14", _("14 days before")
    DAYS_3 = "before_3", _("3 days before")
    OVERDUE = "overdue", _("Overdue")


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    SITE = "site", _("On the site and on paper")


class ReminderDelivery(models.Model):
    """A reminder for one enrolment (person + programme + cycle) and stage: the row exists at most once.

    At most once: the reminder run first *claims* the row (an INSERT that the unique constraint lets
    only one run win, tagged with that run's `claim` token) and commits, and only then sends. A second
    run, or the same task delivered twice, finds the row taken and sends nothing. A worker that dies
    between claim and send leaves `sent_at` empty ("not confirmed"; `sent_at` is set per batch after the
    backend accepted it): such a message is lost rather than sent twice, and the person still sees the
    reminder in "My learning" and, without e-mail, on their manager's printed list.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20, choices=ReminderStage.choices)
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    claim = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # For site reminders: when the person saw it after signing in.
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        ordering = ["claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "stage"], name="training_reminder_once"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.stage} {self.channel}"


def certificate_path(instance, filename):
    return f"certificates/{instance.uuid.hex}.pdf"


class Certificate(models.Model):
    """Proof of completion. Name, programme and date are kept as they were on the day it was made.

    The PDF lives in private storage (never under MEDIA_ROOT, which may be served publicly): only the
    staff member and their managers download it through a view that checks who asks.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="certificate")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="certificates")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="certificates")
    holder_name = models.CharField(max_length=200)
    programme_title = models.CharField(max_length=200)
    completed_on = models.DateField()
    pdf = models.FileField(storage=certificate_storage, upload_to=certificate_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-completed_on", "pk"]

    def __str__(self):
        return f"{self.holder_name} {self.programme_title} {self.completed_on}"


class StaffCardSheet(CardSheetBase):
    """A PDF sheet of sign-in cards for staff of one team, made by `training.tasks.card_sheet_render_task`.

    The task gives each person a new PIN (their old one stops working) and renders the cards with
    `accounts.cards`. The fields every sheet has, and the rules for the PDF, are
    `accounts.models.CardSheetBase`; the folder is `training.cards`.
    """

    OWNER_FIELD = "manager"
    SCOPE_FIELD = "team"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="card_sheets")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_card_sheets")
    staff = models.ManyToManyField(StaffMember, related_name="+")
    status = models.CharField(max_length=20, choices=CardSheetStatus.choices, default=CardSheetStatus.WAITING)
