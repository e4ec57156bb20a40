"""Training pages: managers' compliance, staff import, printed reminders, certificates; staff's own page.

Every manager view finds teams, departments and certificates through `selectors.manager_*`, so another
manager's ids answer 404. Signed-in people without the training manager role get 403, anonymous visitors
the sign-in page (like coaching). The public check page of a certificate needs no sign-in and shows
only name, programme and date.
"""

import csv
import tempfile
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import card_sheet_views
from learn.spreadsheets import row_neutralise

from . import cards, selectors, services
from .forms import CardSheetForm, StaffImportForm


def manager_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.user_is_training_manager(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _own_team(request, pk: int):
    return get_object_or_404(selectors.manager_teams(manager=request.user), pk=pk)


def _own_department(request, pk: int):
    return get_object_or_404(selectors.manager_departments(manager=request.user), pk=pk)


@manager_required
@require_safe
def manager_home(request):
    departments = []
    for department in selectors.manager_departments(manager=request.user):
        departments.append(
            {
                "department": department,
                "teams": selectors.department_compliance(manager=request.user, department=department),
            }
        )
    return render(request, "training/manager_home.html", {"departments": departments})


@manager_required
@require_safe
def team_compliance(request, pk: int):
    team = _own_team(request, pk)
    compliance = selectors.team_compliance(team=team)
    return render(request, "training/team_compliance.html", {"team": team, "compliance": compliance})


@manager_required
@require_safe
def department_compliance(request, pk: int):
    department = _own_department(request, pk)
    teams = selectors.department_compliance(manager=request.user, department=department)
    return render(request, "training/department_compliance.html", {"department": department, "teams": teams})


class _Echo:
    def write(self, value):
        return value


def _export_name(name: str, extension: str) -> str:
    return f"oefenplein-training-{slugify(name) or 'team'}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _csv_response(rows, name: str):
    language = translation.get_language()

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        with translation.override(language):
            yield writer.writerow(row_neutralise(row=selectors.export_header()))
            for row in selectors.export_rows(rows=rows):
                yield writer.writerow(row_neutralise(row=row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(name, "csv")}"'
    return response


def _xlsx_response(rows, name: str):
    """Written row by row (openpyxl's write-only mode) to a temporary file that spills to disk when big."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Training")[:31])
    sheet.append(row_neutralise(row=selectors.export_header()))
    for row in selectors.export_rows(rows=rows):
        sheet.append(row_neutralise(row=row))
    output = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 — FileResponse closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=_export_name(name, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@manager_required
@require_safe
def team_export_csv(request, pk: int):
    team = _own_team(request, pk)
    return _csv_response(selectors.team_compliance(team=team).rows, team.name)


@manager_required
@require_safe
def team_export_xlsx(request, pk: int):
    team = _own_team(request, pk)
    return _xlsx_response(selectors.team_compliance(team=team).rows, team.name)


def _department_rows(request, department):
    teams = selectors.department_compliance(manager=request.user, department=department)
    return [row for team in teams for row in team.rows]


@manager_required
@require_safe
def department_export_csv(request, pk: int):
    department = _own_department(request, pk)
    return _csv_response(_department_rows(request, department), department.name)


@manager_required
@require_safe
def department_export_xlsx(request, pk: int):
    department = _own_department(request, pk)
    return _xlsx_response(_department_rows(request, department), department.name)


@manager_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    form = StaffImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.staff_import(
                manager=request.user,
                name=upload.name,
                data=upload.read(services.MAX_IMPORT_BYTES + 1),
                complete=form.cleaned_data["complete"],
            )
        except services.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            saved = report.created + report.updated + report.unchanged
            messages.success(
                request,
                ngettext("%(count)s person is in the list now.", "%(count)s people are in the list now.", saved)
                % {"count": saved},
            )
    return render(request, "training/staff_import.html", {"form": form, "report": report})


@manager_required
@require_safe
def paper_reminders(request):
    today = timezone.localdate()
    reminders = selectors.paper_reminders(manager=request.user, today=today)
    return render(request, "training/paper_reminders.html", {"reminders": reminders, "today": today})


@manager_required
@require_safe
def certificate_list(request):
    certificates = selectors.manager_certificates(manager=request.user)
    return render(request, "training/certificate_list.html", {"certificates": certificates})


@require_safe
@never_cache
@login_required
def certificate_download(request, uuid):
    certificate = selectors.certificate_downloadable(user=request.user, certificate_uuid=uuid)
    if certificate is None:
        raise Http404
    name = f"certificate-{slugify(certificate.programme_title) or 'training'}-{certificate.completed_on}.pdf"
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@require_safe
@never_cache
@login_required
def my_training(request):
    rows = selectors.own_enrolments(user=request.user)
    certificates = {c.enrolment_id: c for c in selectors.own_certificates(user=request.user)}
    return render(
        request,
        "training/my_training.html",
        {
            "rows": rows,
            "certificates": certificates,
            "staff": selectors.staff_member_for(user=request.user),
            "all_certificates": list(certificates.values()),
        },
    )


@require_safe
def certificate_verify(request, token: str):
    certificate = selectors.certificate_for_token(token=token)
    if certificate is None:
        # Still a 404 (there is no such certificate), but in words for whoever checks it: not valid.
        return render(request, "training/certificate_invalid.html", status=404)
    return render(request, "training/certificate_verify.html", {"certificate": certificate})


# --- Sign-in card sheets for a team ----------------------------------------------------------------------


def _own_sheet(request, pk: int, sheet_pk: int):
    """The team must be the manager's and the sheet their own: anything else answers 404."""
    team = _own_team(request, pk)
    return team, get_object_or_404(selectors.card_sheets(manager=request.user, team=team), pk=sheet_pk)


@manager_required
@require_http_methods(["GET", "POST"])
def team_card_sheets(request, pk: int):
    """Ask for a sheet (everyone on it gets a new PIN, so the manager confirms) and list earlier sheets."""
    team = _own_team(request, pk)
    choosable = selectors.card_sheet_staff(team=team)
    form = CardSheetForm(request.POST or None, people=choosable)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.card_sheet_request(manager=request.user, team=team, staff=form.cleaned_data["staff"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("training:card_sheet", pk=team.pk, sheet_pk=sheet.pk)
    context = {
        "team": team,
        "form": form,
        "can_choose": choosable.exists(),
        "sheets": selectors.card_sheets(manager=request.user, team=team)[:10],
    }
    return render(request, "training/card_sheets.html", context)


@manager_required
@require_safe
def card_sheet(request, pk: int, sheet_pk: int):
    team, sheet = _own_sheet(request, pk, sheet_pk)
    return render(request, "training/card_sheet.html", {"team": team, "sheet": sheet})


@manager_required
@require_safe
def card_sheet_download(request, pk: int, sheet_pk: int):
    _team, sheet = _own_sheet(request, pk, sheet_pk)
    return card_sheet_views.sheet_download(sheet, folder=cards.FOLDER)


@manager_required
@require_POST
def card_sheet_remove(request, pk: int, sheet_pk: int):
    team, sheet = _own_sheet(request, pk, sheet_pk)
    services.card_sheet_remove(manager=request.user, sheet=sheet)
    messages.success(request, _("The sheet is removed."))
    return redirect("training:team_card_sheets", pk=team.pk)
