"""Writes for coaches: groups, their learners, and assignments.

Each function checks that the coach may touch what it is given and raises `ValidationError` with a
message a coach can act on; nothing is saved when a check fails.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import SignInKind, User
from accounts.selectors import coach_learners

from .models import Assignment, AssignmentKind, CoachGroup
from .selectors import target_is_live

MAX_BULK_LEARNERS = 40


def _coach_check(*, coach, group: CoachGroup) -> None:
    if not group.coaches.filter(pk=coach.pk).exists():
        raise ValidationError(_("You are not a coach of this group."))


def group_create(*, coach: User, name: str, help_point=None) -> CoachGroup:
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the group a name."))
    with transaction.atomic():
        group = CoachGroup.objects.create(name=name, help_point=help_point)
        group.coaches.add(coach)
    return group


def group_learners_add(*, coach: User, group: CoachGroup, learners) -> None:
    """Only learners this coach made (accounts' `created_by`) can join their groups."""
    _coach_check(coach=coach, group=group)
    ids = {learner.pk for learner in learners}
    own = set(coach_learners(coach=coach).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - own:
        raise ValidationError(_("You can only add learners you made yourself."))
    group.learners.add(*ids)


def group_learner_remove(*, coach: User, group: CoachGroup, learner: User) -> None:
    """The learner leaves the group and the assignments given to them personally in it."""
    _coach_check(coach=coach, group=group)
    with transaction.atomic():
        group.learners.remove(learner)
        for assignment in group.assignments.filter(learners=learner):
            assignment.learners.remove(learner)
            if not assignment.learners.exists():
                # Given only to this learner: an empty list would now mean the whole group.
                assignment.delete()


def group_learners_create(
    *, coach: User, group: CoachGroup, names: list[str], language: str, kind: str = SignInKind.PIN
) -> list[account_services.NewSecret]:
    """Make one learner account per name and put them in the group; the secrets are shown once."""
    _coach_check(coach=coach, group=group)
    names = [name.strip() for name in names if name.strip()]
    if not names:
        raise ValidationError(_("Write at least one name."))
    if len(names) > MAX_BULK_LEARNERS:
        raise ValidationError(_("Write at most %(count)s names at a time.") % {"count": MAX_BULK_LEARNERS})
    if any(len(name) > 80 for name in names):
        raise ValidationError(_("A name can be at most 80 characters long."))
    with transaction.atomic():
        made = [
            account_services.learner_create(coach=coach, display_name=name, language=language, kind=kind)
            for name in names
        ]
        group.learners.add(*(new.learner for new in made))
    return made


def assignment_create(
    *,
    coach: User,
    group: CoachGroup,
    kind: str,
    target_key,
    due: date | None = None,
    note: str = "",
    learners=(),
) -> Assignment:
    """Give the group (or some of its learners) a module or lesson.

    The target must be a live page of that kind; the due date cannot be in the past; chosen learners
    must be in the group. No learners chosen means the whole group.
    """
    _coach_check(coach=coach, group=group)
    errors = {}
    if kind not in AssignmentKind.values or not target_is_live(kind=kind, key=target_key):
        errors["target"] = _("Choose a module or lesson that is on the site.")
    if due is not None and due < timezone.localdate():
        errors["due"] = _("The date to finish by cannot be in the past.")
    ids = {learner.pk for learner in learners}
    if ids and ids - set(group.learners.filter(pk__in=ids).values_list("pk", flat=True)):
        errors["learners"] = _("You can only choose learners of this group.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            group=group, kind=kind, target_key=target_key, due=due, note=note.strip(), created_by=coach
        )
        if ids:
            assignment.learners.add(*ids)
    return assignment


def assignment_delete(*, coach: User, assignment: Assignment) -> None:
    _coach_check(coach=coach, group=assignment.group)
    assignment.delete()
