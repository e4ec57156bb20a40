"""Training pages: managers' compliance, staff import, printed reminders, certificates; staff's own page.

Every manager view finds teams, departments and certificates through `selectors.manager_*`, so another
manager's ids answer 404. Signed-in people without the training manager role get 403, anonymous visitors
the sign-in page (like coaching). The public check page of a certificate needs no sign-in and shows
only name, programme and date.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import card_sheet_views, roles
from accounts.decorators import role_required
from learn import spreadsheets

from . import cards, selectors, services
from .forms import CardSheetForm, StaffImportForm

manager_required = role_required(roles.TRAINING_MANAGERS)


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


def _export_name(name: str, extension: str) -> str:
    return spreadsheets.export_file_name(prefix="oefenplein-training", name=name, fallback="team", extension=extension)


def _csv_response(rows, name: str):
    rows = selectors.export_rows(rows=rows)
    return spreadsheets.csv_download(header=selectors.export_header, rows=rows, file_name=_export_name(name, "csv"))


def _xlsx_response(rows, name: str):
    return spreadsheets.xlsx_download(
        sheet_title=_("Training"),
        header=selectors.export_header,
        rows=selectors.export_rows(rows=rows),
        file_name=_export_name(name, "xlsx"),
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
    return team, card_sheet_views.own_sheet(selectors.card_sheets(manager=request.user, team=team), sheet_pk)


@manager_required
@require_http_methods(["GET", "POST"])
def team_card_sheets(request, pk: int):
    """Ask for a sheet (everyone on it gets a new PIN, so the manager confirms) and list earlier sheets."""
    team = _own_team(request, pk)
    return card_sheet_views.sheets_page(
        request,
        app="training",
        scope=team,
        sheets=selectors.card_sheets(manager=request.user, team=team),
        people=selectors.card_sheet_staff(team=team),
        form_class=CardSheetForm,
        ask=lambda staff: services.card_sheet_request(manager=request.user, team=team, staff=staff),
    )


@manager_required
@require_safe
def card_sheet(request, pk: int, sheet_pk: int):
    team, sheet = _own_sheet(request, pk, sheet_pk)
    return card_sheet_views.sheet_page(request, app="training", scope=team, sheet=sheet)


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
    return card_sheet_views.sheet_removed(request, app="training", scope=team, sheet=sheet)
