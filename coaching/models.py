"""Coaches' own data: groups of learners and what they gave a group to do.

Progress itself lives in `progress`; a group only says whose progress a coach may read. An
assignment names its target by Wagtail translation key, like the progress aggregates, so it
follows a learner who reads in another language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class AssignmentKind(models.TextChoices):
    MODULE = "module", _("Module")
    LESSON = "lesson", _("Lesson")
    # Simulators get their own kind when the simulator issue gives them a translation key.


class Assignment(models.Model):
    group = models.ForeignKey(CoachGroup, on_delete=models.CASCADE, related_name="assignments")
    # Empty means the whole group, also learners who join later.
    learners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coach_assignments", blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AssignmentKind.choices)
    target_key = models.UUIDField(_("module or lesson"))
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
