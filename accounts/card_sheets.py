"""The life of a sheet of sign-in cards, the same for coaching (a coach's group) and training (a manager's team).

A sheet is a row of a model made on `accounts.models.CardSheetBase` and, once made, a PDF in the app's
own folder under PRIVATE_MEDIA_ROOT (`accounts.cards`, which also has the security rules). The app asks
for sheets and says who is on one; these functions make the PDF in the app's Celery task, and remove
it when the person who asked has printed it, or a day later.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learn.queueing import send_after_commit

from . import cards
from .models import CardSheetStatus
from .privacy import DataSection, iso_or_none

logger = logging.getLogger(__name__)

CARD_SHEET_KEEP = timedelta(hours=24)  # a ready sheet (with readable PINs) is removed after this
CARD_SHEET_STUCK = timedelta(hours=1)  # a sheet still not made after this failed (a worker died)


class SheetProblem(Exception):
    """A reason the person who asked for the sheet can read and act on."""


def sheet_language(person) -> str:
    """The language of the sheet's title and messages: the asker's own, if the site has it."""
    language = person.preferred_language or translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def sheet_make(*, model, sheet_id: int, folder: str, cards_for: Callable) -> str:
    """Make the PDF of a waiting sheet; answer its status. Run by the app's Celery task, once per sheet.

    `cards_for(sheet)` answers the cards and the title, in the asker's language, or raises `SheetProblem`.
    It runs in the transaction that also writes the PDF and the status, so when it gives new secrets and
    anything later fails, nobody's old card stops working.
    """
    file_name = ""
    language = settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            # The row lock, not a "busy" status, says a run has the sheet: when a worker dies mid-run (kill -9),
            # PostgreSQL rolls its transaction back and frees the row, so the broker's second delivery of the
            # same message makes the sheet. A run that finds the row locked leaves it to the one that holds it.
            sheet = (
                model.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(model.SCOPE_FIELD, model.OWNER_FIELD)
                .filter(pk=sheet_id, status__in=[CardSheetStatus.WAITING, CardSheetStatus.BUSY])
                .first()
            )
            if sheet is None:  # already made, removed, or being made by another delivery of the same message
                return model.objects.filter(pk=sheet_id).values_list("status", flat=True).first() or "gone"
            language = sheet_language(sheet.owner)
            with translation.override(language):
                made, title = cards_for(sheet)
            pdf, pages = cards.sheet_render(cards=made, language=language, title=title)
            file_name = cards.sheet_write(folder, sheet_id=sheet.pk, pdf=pdf)
            model.objects.filter(pk=sheet.pk).update(
                status=CardSheetStatus.READY,
                file_name=file_name,
                card_count=len(made),
                page_count=pages,
                finished_at=timezone.now(),
            )
        return CardSheetStatus.READY
    except Exception as error:
        cards.sheet_remove(folder, file_name)
        if isinstance(error, SheetProblem):
            problem = str(error)
        else:
            logger.exception("%s %s could not be made", model._meta.label, sheet_id)
            with translation.override(language):
                problem = _("Something went wrong while making the sheet. Nobody got a new PIN. Try again.")
        model.objects.filter(pk=sheet_id).update(
            status=CardSheetStatus.FAILED, problem=problem[:300], finished_at=timezone.now()
        )
        return CardSheetStatus.FAILED


def card_sheet_not_queued(*, sheet) -> None:
    """The sheet could not be handed to a worker (the broker is away): say so now, so the asker tries again."""
    with translation.override(sheet_language(sheet.owner)):
        problem = _("The sheet could not be started just now. Nobody got a new PIN. Try again in a few minutes.")
    type(sheet).objects.filter(pk=sheet.pk, status=CardSheetStatus.WAITING).update(
        status=CardSheetStatus.FAILED, problem=problem[:300], finished_at=timezone.now()
    )


def sheet_enqueue(*, sheet, task_name: str) -> None:
    """Hand the new sheet to the app's Celery task (by its registered name) once the transaction commits.

    Only the id goes to the broker; the task reads everything else from the database. Broker away: the
    sheet says "not made, try again" at once (nobody got a new PIN: the task gives them).
    """
    send_after_commit(task_name, sheet.pk, on_failure=lambda: card_sheet_not_queued(sheet=sheet))


def sheet_remove(*, person, sheet, folder: str) -> None:
    """The person who asked printed the sheet: remove the file now instead of tomorrow."""
    if sheet.owner_id != person.pk:
        raise ValidationError(_("You can only remove your own sheets."))
    cards.sheet_remove(folder, sheet.file_name)
    type(sheet).objects.filter(pk=sheet.pk).update(status=CardSheetStatus.REMOVED, file_name="")


def sheets_stuck(*, model, now: datetime):
    """Sheets still not made an hour after they were asked for: the worker that had them died."""
    return model.objects.filter(
        status__in=[CardSheetStatus.WAITING, CardSheetStatus.BUSY], created_at__lt=now - CARD_SHEET_STUCK
    )


def sheets_clean(*, model, folder: str, now: datetime) -> int:
    """Remove the sheets older than a day and mark the stuck ones failed; answer how many were removed."""
    removed = 0
    for sheet in model.objects.filter(status=CardSheetStatus.READY, finished_at__lt=now - CARD_SHEET_KEEP):
        cards.sheet_remove(folder, sheet.file_name)
        model.objects.filter(pk=sheet.pk).update(status=CardSheetStatus.REMOVED, file_name="")
        removed += 1
    sheets_stuck(model=model, now=now).update(status=CardSheetStatus.FAILED, finished_at=now)
    return removed


def sheets_data_section(*, sheets, user, key: str, title: str, scope_label: str, on_it: bool = False) -> DataSection:
    """The sheets a person asked for or is on, for their data download (`accounts.privacy`).

    The column of the group or team is named after the model's SCOPE_FIELD and labelled `scope_label`. With
    `on_it`, a last column says whether the person is on the sheet or asked for it.
    """
    scope = sheets.model.SCOPE_FIELD
    labels = {scope: scope_label, "asked_on": _("Asked for on"), "status": _("Status")}
    if on_it:
        labels["on_it"] = _("You")
    rows = []
    for sheet in sheets.select_related(scope).distinct().order_by("created_at", "pk"):
        row = {scope: sheet.scope.name, "asked_on": iso_or_none(sheet.created_at), "status": sheet.get_status_display()}
        if on_it:
            row["on_it"] = _("You are on it") if sheet.owner_id != user.pk else _("You asked for it")
        rows.append(row)
    return DataSection(key=key, title=title, labels=labels, rows=rows)


def sheets_erase(*, sheets, folder: str) -> list[Callable[[], None]]:
    """A person is erased: every sheet that names them (or that they asked for) goes, with its PDF.

    A sheet holds several people, so the whole sheet is removed; the rows say "Removed", and the files
    are removed once the erasure's rows are gone (the answered functions).
    """
    names = [name for name in sheets.exclude(file_name="").values_list("file_name", flat=True)]
    sheets.model.objects.filter(pk__in=list(sheets.values_list("pk", flat=True))).update(
        status=CardSheetStatus.REMOVED, file_name=""
    )
    return [lambda name=name: cards.sheet_remove(folder, name) for name in names]
