"""View helpers for sheets of sign-in cards, shared by coaching and training (see `accounts.card_sheets`)."""

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import slugify

from . import cards
from .models import CardSheetStatus


def sheet_download(sheet, *, folder: str) -> FileResponse:
    """The PDF of a ready sheet; anything else answers 404.

    The app's view has already checked that `sheet` is the asker's own: the PDF shows readable PINs.
    """
    if sheet.status != CardSheetStatus.READY or not sheet.file_name:
        raise Http404
    try:
        handle = cards.sheet_path(folder, sheet.file_name).open("rb")
    except (OSError, ValueError) as error:
        raise Http404 from error
    # A name that cannot be slugged falls back to what it names: "group" or "team".
    scope = slugify(sheet.scope.name) or sheet.SCOPE_FIELD
    name = f"oefenplein-cards-{scope}-{timezone.localdate():%Y-%m-%d}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "no-store, private"
    return response
