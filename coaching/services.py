"""Writes for coaches: groups, their learners, and assignments.

Each function checks that the coach may touch what it is given and raises `ValidationError` with a
message a coach can act on; nothing is saved when a check fails.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import card_sheets
from accounts import services as account_services
from accounts.models import SignInKind, User
from accounts.selectors import coach_learners, user_is_coach

from . import cards
from .models import Assignment, AssignmentKind, CardSheet, CardSheetSecrets, CardSheetStatus, CoachGroup
from .selectors import card_sheet_learners, target_is_live

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


def group_coach_add(*, coach: User, group: CoachGroup, username: str) -> User:
    """Share the group with a fellow coach (a volunteer taking over on Thursdays, say), by user name.

    An unknown name and a person who is not a coach get the same answer, so this cannot be used to
    find out who has an account.
    """
    _coach_check(coach=coach, group=group)
    fellow = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if fellow is None or not user_is_coach(user=fellow):
        raise ValidationError({"username": _("There is no coach with this user name. Check the spelling.")})
    if group.coaches.filter(pk=fellow.pk).exists():
        raise ValidationError({"username": _("%(name)s is already a coach of this group.") % {"name": fellow}})
    group.coaches.add(fellow)
    return fellow


def group_leave(*, coach: User, group: CoachGroup) -> None:
    """The coach stops coaching the group; the group, its learners and tasks stay with the other coaches."""
    _coach_check(coach=coach, group=group)
    with transaction.atomic():
        # Lock the group so two coaches leaving at once cannot leave it with nobody.
        CoachGroup.objects.select_for_update().filter(pk=group.pk).first()
        if group.coaches.count() < 2:
            raise ValidationError(
                _("You are the only coach of this group. Add another coach first, so the learners keep a coach.")
            )
        group.coaches.remove(coach)


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
        raise ValidationError(
            ngettext(
                "Write at most %(count)s name at a time.", "Write at most %(count)s names at a time.", MAX_BULK_LEARNERS
            )
            % {"count": MAX_BULK_LEARNERS}
        )
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


# --- Sign-in card sheets (see cards.py for where the secrets are) ------------------------------------


RENDER_TASK = "coaching.card_sheet_render"  # coaching.tasks.card_sheet_render_task, sent by name


def card_sheet_request(*, coach: User, group: CoachGroup, learners) -> CardSheet:
    """A sheet for learners who already have an account: the task gives each a new PIN or new pictures.

    Only the coach's own learners in this group who sign in with a code can be on it.
    """
    _coach_check(coach=coach, group=group)
    ids = {learner.pk for learner in learners}
    if not ids:
        raise ValidationError({"learners": _("Choose at least one learner.")})
    if ids - set(card_sheet_learners(coach=coach, group=group).filter(pk__in=ids).values_list("pk", flat=True)):
        raise ValidationError({"learners": _("You can only choose your own learners of this group.")})
    with transaction.atomic():
        sheet = CardSheet.objects.create(group=group, coach=coach, secrets=CardSheetSecrets.NEW, card_count=len(ids))
        sheet.learners.add(*ids)
        card_sheets.sheet_enqueue(sheet=sheet, task_name=RENDER_TASK)
    return sheet


def card_sheet_for_new(*, coach: User, group: CoachGroup, made: list[account_services.NewSecret]) -> CardSheet:
    """A sheet for learners made a moment ago, with the secrets the coach was just shown (no second reset)."""
    _coach_check(coach=coach, group=group)
    with transaction.atomic():
        sheet = CardSheet.objects.create(
            group=group, coach=coach, secrets=CardSheetSecrets.JUST_MADE, card_count=len(made)
        )
        sheet.learners.add(*(new.learner for new in made))
        cards.secrets_keep(sheet_id=sheet.pk, secrets={new.learner.pk: (new.kind, new.secret) for new in made})
        card_sheets.sheet_enqueue(sheet=sheet, task_name=RENDER_TASK)
    return sheet


def _sheet_learners(sheet: CardSheet):
    # Checked again here: a learner taken out of the group, or deleted, since the request is left out.
    return list(
        sheet.learners.filter(learner_groups=sheet.group, created_by=sheet.coach, is_active=True)
        .filter(learner_sign_in__isnull=False)
        .select_related("learner_sign_in")
        .order_by("display_name", "pk")
    )


def _sheet_cards(sheet: CardSheet) -> tuple[list[cards.Card], str]:
    """The cards and title of a sheet, for `card_sheets.sheet_make` (in the coach's language, in its transaction).

    Existing learners get new secrets here; learners made a moment ago get the secrets kept for the sheet.
    """
    kept = cards.secrets_take(sheet_id=sheet.pk) if sheet.secrets == CardSheetSecrets.JUST_MADE else {}
    if kept is None:
        raise card_sheets.SheetProblem(
            _("The PINs were kept for 15 minutes only. Make a new sheet: it gives new PINs.")
        )
    made = []
    for learner in _sheet_learners(sheet):
        if sheet.secrets == CardSheetSecrets.NEW:
            made.append(cards.card_renew(learner=learner))
        elif learner.pk in kept:
            kind, secret = kept[learner.pk]
            made.append(cards.card_build(learner=learner, kind=kind, secret=secret))
    if not made:
        raise card_sheets.SheetProblem(_("None of these learners is still in the group."))
    return made, _("Sign-in cards: %(group)s") % {"group": sheet.group.name}


def card_sheet_render(*, sheet_id: int) -> str:
    """Make the PDF of a waiting sheet; answer its status. Run by the Celery task, once per sheet.

    For existing learners the new secrets, the PDF and the status are written in one transaction:
    when rendering fails, nobody's old card stops working.
    """
    try:
        status = card_sheets.sheet_make(model=CardSheet, sheet_id=sheet_id, folder=cards.FOLDER, cards_for=_sheet_cards)
    except BaseException:
        cards.secrets_forget(sheet_id=sheet_id)
        raise
    # Made or failed: the kept secrets never wait any longer. Still waiting means another delivery of the same
    # message holds the sheet right now and still needs them.
    if status not in (CardSheetStatus.WAITING, CardSheetStatus.BUSY):
        cards.secrets_forget(sheet_id=sheet_id)
    return status


def card_sheet_remove(*, coach: User, sheet: CardSheet) -> None:
    """The coach printed the sheet: remove the file now instead of tomorrow."""
    card_sheets.sheet_remove(person=coach, sheet=sheet, folder=cards.FOLDER)
    cards.secrets_forget(sheet_id=sheet.pk)


def card_sheets_clean(*, now=None) -> int:
    """Celery beat, every hour: remove sheets older than a day; mark sheets a dead worker left as failed."""
    now = now or timezone.now()
    for sheet_id in card_sheets.sheets_stuck(model=CardSheet, now=now).values_list("pk", flat=True):
        cards.secrets_forget(sheet_id=sheet_id)
    return card_sheets.sheets_clean(model=CardSheet, folder=cards.FOLDER, now=now)
