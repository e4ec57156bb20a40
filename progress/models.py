"""Learning records.

`Statement` is the append-only log of xAPI statements, one row per statement id. The aggregates
(`LessonProgress`, `ModuleProgress`) are updated in the same transaction as the insert, so pages
and dashboards read them and never scan the log. Aggregates are keyed by the Wagtail
translation key, so progress follows a learner who switches language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class Statement(models.Model):
    id = models.UUIDField(primary_key=True, editable=False)  # the statement id chosen by the client
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statements")
    verb = models.CharField(max_length=200)
    object_id = models.CharField(max_length=500)
    activity_kind = models.CharField(max_length=20)
    lesson_key = models.UUIDField(null=True, blank=True)
    module_key = models.UUIDField(null=True, blank=True)
    success = models.BooleanField(null=True)
    score_scaled = models.FloatField(null=True)
    duration_seconds = models.PositiveIntegerField(default=0)
    hints = models.PositiveIntegerField(default=0)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField(auto_now_add=True)
    data = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["user", "stored"])]
        verbose_name = _("learning record")

    def __str__(self):
        return f"{self.verb.rsplit('/', 1)[-1]} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Learning records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Learning records are removed only with their learner's account.")


class LessonStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("Busy")
    COMPLETED = "completed", _("Finished")


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson_key = models.UUIDField()
    module_key = models.UUIDField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=LessonStatus.choices, default=LessonStatus.IN_PROGRESS)
    first_score = models.FloatField(null=True)
    best_score = models.FloatField(null=True)
    last_score = models.FloatField(null=True)
    attempts = models.PositiveIntegerField(default=0)
    hints = models.PositiveIntegerField(default=0)
    wrong_answers = models.PositiveIntegerField(default=0)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    # How many questions the lesson had when the learner last worked on it: "2 of 3 right".
    question_count = models.PositiveIntegerField(default=0)
    # Per exercise: {"<block id>": {"first": bool, "last": bool, "right_once": bool, "done": bool,
    # "kind": "question"|"h5p"|"simulator", "evidence": "checked"|"reported", "score": float}}; the
    # scores and the completion are derived from it (progress/services.py). "first"/"last" are None
    # while an H5P player reported no result.
    answers = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    # Finished: on the evidence of every exercise of one version of the lesson (player-reported H5P
    # results included), or for a lesson without exercises once it was read (`read_at`).
    completed_at = models.DateTimeField(null=True)
    # Finished on evidence the server checked alone (H5P results left out): what a training programme
    # counts unless it lets H5P results count too.
    checked_completed_at = models.DateTimeField(null=True)
    # Server clock: when the learner opened the lesson (the first "experienced" of this visit), and
    # when they said they were done after keeping it open long enough to read it.
    opened_at = models.DateTimeField(null=True)
    read_at = models.DateTimeField(null=True)
    last_activity_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson_key"], name="one_progress_per_lesson")]
        indexes = [models.Index(fields=["user", "-last_activity_at"])]

    def __str__(self):
        return f"{self.user_id} {self.lesson_key} {self.status}"


class ModuleProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress")
    module_key = models.UUIDField()
    lessons_completed = models.PositiveIntegerField(default=0)
    lessons_total = models.PositiveIntegerField(default=0)
    last_lesson_key = models.UUIDField(null=True)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True)
    # Every lesson finished on evidence the server checked (LessonProgress.checked_completed_at).
    checked_completed_at = models.DateTimeField(null=True)
    last_activity_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module_key"], name="one_progress_per_module")]
        indexes = [models.Index(fields=["user", "-last_activity_at"])]

    def __str__(self):
        return f"{self.user_id} {self.module_key} {self.lessons_completed}/{self.lessons_total}"

    @property
    def percent(self) -> int:
        if not self.lessons_total:
            return 0
        return min(100, round(100 * self.lessons_completed / self.lessons_total))


class SimulatorAttempt(models.Model):
    """One attempt at a simulator scenario (one xAPI registration), kept up to date from its statements.

    The counts come from the learner's own actions as the server received them. Whether the attempt
    passed, and its score, come from replaying its `trail` over the scenario on the server
    (progress/attempts.py, sandboxes/replay.py), so a browser cannot claim a run it did not have.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="simulator_attempts")
    registration = models.UUIDField()
    scenario_key = models.UUIDField()
    lesson_key = models.UUIDField(null=True, blank=True)
    mode = models.CharField(max_length=10, blank=True)
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True)
    passed = models.BooleanField(null=True)  # None while unfinished
    score = models.PositiveSmallIntegerField(null=True)  # 0..100
    actions = models.PositiveIntegerField(default=0)
    wrong_actions = models.PositiveIntegerField(default=0)
    hints = models.PositiveIntegerField(default=0)
    safety_errors = models.PositiveIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(default=0)
    # {screen id: wrong actions and safety errors on that screen}: where a group gets stuck.
    mistakes = models.JSONField(default=dict)
    # Every recorded action in the order done: [{"screen", "element", "outcome"}]. Never what was typed.
    trail = models.JSONField(default=list)
    # The language the scenario was played in (its texts differ per language, its graph does not).
    language = models.CharField(max_length=10, blank=True)
    # {screen id: safety errors on that screen}, a part of `mistakes`: a coach reads them apart.
    safety_mistakes = models.JSONField(default=dict)
    # The latest action (by its time): the screen it was on and its outcome ("right", "wrong", "safety",
    # "hint", ...). It tells a learner stopped by a safety error from one who is stuck on a screen.
    last_screen = models.CharField(max_length=40, blank=True)
    last_outcome = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "registration"], name="one_row_per_simulator_attempt")]
        indexes = [models.Index(fields=["scenario_key", "user"]), models.Index(fields=["user", "-last_activity_at"])]

    def __str__(self):
        return f"{self.user_id} {self.scenario_key} {self.registration}"


class StatementSummary(models.Model):
    """What is left of learning records older than PRIVACY_STATEMENT_DAYS: counts per month and activity.

    Made by `progress.retention.statements_reduce`, which deletes the statements it counted. No person
    is in it (no user, no statement data), so it may be kept for the programme's long-term reports.
    The city figures (`progress.figures`) read the per-learner aggregates, which stay until the account
    goes, so reducing old statements changes no figure.
    """

    month = models.DateField()  # the first day of the month the statements were stored in
    verb = models.CharField(max_length=200)
    activity_kind = models.CharField(max_length=20)
    lesson_key = models.UUIDField(null=True, blank=True)
    module_key = models.UUIDField(null=True, blank=True)
    statements = models.PositiveIntegerField(default=0)
    successes = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    duration_seconds = models.PositiveBigIntegerField(default=0)
    hints = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("summary of old learning records")
        indexes = [models.Index(fields=["month", "lesson_key"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.verb.rsplit('/', 1)[-1]} {self.statements}"
