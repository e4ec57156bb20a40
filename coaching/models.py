"""Coaches' own data: groups of learners and what they gave a group to do.

Progress itself lives in `progress`; a group only says whose progress a coach may read. An
assignment names its target by Wagtail translation key, like the progress aggregates, so it
follows a learner who reads in another language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import CardSheetBase, card_sheet_statuses
from progress.item_kinds import item_kinds


class CoachGroup(models.Model):
    name = models.CharField(_("name of the group"), max_length=120)
    coaches = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coach_groups", verbose_name=_("coaches"))
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="learner_groups", blank=True, verbose_name=_("learners")
    )
    help_point = models.ForeignKey(
        "lessons.HelpPoint",
        verbose_name=_("help point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


AssignmentKind = item_kinds("AssignmentKind", module=__name__)


class Assignment(models.Model):
    group = models.ForeignKey(CoachGroup, on_delete=models.CASCADE, related_name="assignments")
    # Empty means the whole group, also learners who join later.
    learners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coach_assignments", blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentKind.choices)
    target_key = models.UUIDField(_("module, lesson or simulator"))
    due = models.DateField(_("finish by"), null=True, blank=True)
    note = models.CharField(_("note for the learners"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="assignments_given"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        ordering = ["created_at", "pk"]  # the order the coach gave them, the same on every database

    def __str__(self):
        return f"{self.group} {self.kind} {self.target_key}"


CardSheetStatus = card_sheet_statuses(failed=_("Not made"), module=__name__)


class CardSheetSecrets(models.TextChoices):
    # The learners were just made: their secrets wait (briefly, in the cache) for the sheet.
    JUST_MADE = "just_made", _("Just made")
    # Existing learners: the task gives each a new PIN or new pictures while it renders the sheet.
    NEW = "new", _("New PIN or pictures")


class CardSheet(CardSheetBase):
    """A sheet of sign-in cards for learners of a group, made by `coaching.tasks.card_sheet_render_task`.

    The fields they all have, and the rules for the PDF, are `accounts.models.CardSheetBase`; the
    folder is `coaching.cards.sheet_root`.
    """

    OWNER_FIELD = "coach"
    SCOPE_FIELD = "group"

    group = models.ForeignKey(CoachGroup, on_delete=models.CASCADE, related_name="card_sheets")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_sheets")
    learners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    secrets = models.CharField(max_length=20, choices=CardSheetSecrets.choices)
    status = models.CharField(max_length=20, choices=CardSheetStatus.choices, default=CardSheetStatus.WAITING)
