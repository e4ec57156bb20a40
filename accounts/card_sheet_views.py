"""The pages of sheets of sign-in cards, the same for coaching (a coach's group) and training (a manager's team).

The app's view checks who may see the group or team and the sheet (another person's answers 404), then
hands over here. `app` is the app's URL namespace and template folder: the pages are `<app>:card_sheet`
and `<app>:<scope>_card_sheets`, the templates `<app>/card_sheet.html` and `<app>/card_sheets.html`. The
life of a sheet itself is `accounts.card_sheets`.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import cards
from .forms import form_errors_add
from .models import CardSheetStatus


def own_sheet(sheets, sheet_pk: int):
    """The sheet among the asker's own sheets of the group or team: anything else answers 404."""
    return get_object_or_404(sheets, pk=sheet_pk)


def sheets_page(request, *, app: str, scope, sheets, people, form_class, ask: Callable):
    """Ask for a sheet (everyone on it gets a new secret, so the asker confirms) and list the last ten sheets.

    `people` are who may be on it, `ask(chosen)` makes the sheet (or raises ValidationError), `sheets` are
    the asker's own sheets of `scope`.
    """
    form = form_class(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = ask(form.cleaned_data[form.people_field])
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return redirect(f"{app}:card_sheet", pk=scope.pk, sheet_pk=sheet.pk)
    context = {sheets.model.SCOPE_FIELD: scope, "form": form, "can_choose": people.exists(), "sheets": sheets[:10]}
    return render(request, f"{app}/card_sheets.html", context)


def sheet_page(request, *, app: str, scope, sheet, fragment_template: str = ""):
    """The sheet's status. With `fragment_template`, `?fragment=1` answers only the status box (for a page
    that refreshes itself)."""
    context = {sheet.SCOPE_FIELD: scope, "sheet": sheet}
    if fragment_template and request.GET.get("fragment") == "1":
        return render(request, fragment_template, context)
    return render(request, f"{app}/card_sheet.html", context)


def sheet_removed(request, *, app: str, scope, sheet):
    """After the app removed the printed sheet: say so, back to the list of sheets of the group or team."""
    messages.success(request, _("The sheet is removed."))
    return redirect(f"{app}:{sheet.SCOPE_FIELD}_card_sheets", pk=scope.pk)


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
