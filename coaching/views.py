"""Coach pages for groups, assignments, the group dashboard and exports.

Every view finds its group through `coach_groups(coach=request.user)`, so another coach's group (or
assignment, or learner) answers 404. Non-coaches get 403 and anonymous visitors the sign-in page
(`accounts.decorators.coach_required`). The rules live in services.py and selectors.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import card_sheet_views
from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.credentials import code_format
from accounts.decorators import coach_required
from accounts.forms import form_errors_add
from learn import spreadsheets

from . import cards, selectors, services
from .forms import (
    AssignmentForm,
    CardSheetForm,
    CoachAddForm,
    GroupForm,
    LearnersAddForm,
    LearnersCreateForm,
    StatusFilterForm,
)


def _own_group(request, pk: int):
    return get_object_or_404(selectors.coach_groups(coach=request.user), pk=pk)


@coach_required
def group_list(request):
    return render(request, "coaching/group_list.html", {"groups": selectors.coach_groups(coach=request.user)})


@coach_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    form = GroupForm(
        request.POST or None, help_points=selectors.help_point_choices(language=translation.get_language())
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                coach=request.user, name=form.cleaned_data["name"], help_point=form.cleaned_data["help_point"]
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("The group is made. Now add learners."))
            return redirect("coaching:group_learners", pk=group.pk)
    return render(request, "coaching/group_create.html", {"form": form})


@coach_required
@require_http_methods(["GET", "POST"])
def group_learners(request, pk: int):
    group = _own_group(request, pk)
    addable = selectors.group_learners_addable(coach=request.user, group=group)
    form = LearnersAddForm(request.POST or None, learners=addable)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_learners_add(coach=request.user, group=group, learners=form.cleaned_data["learners"])
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("The learners are added to the group."))
            return redirect("coaching:group_learners", pk=group.pk)
    context = {
        "group": group,
        "learners": selectors.group_learners(group=group),
        "form": form,
        "can_add": addable.exists(),
    }
    return render(request, "coaching/group_learners.html", context)


@coach_required
@require_http_methods(["GET", "POST"])
def group_coaches(request, pk: int):
    group = _own_group(request, pk)
    form = CoachAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fellow = services.group_coach_add(coach=request.user, group=group, username=form.cleaned_data["username"])
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("%(name)s is now also a coach of this group.") % {"name": fellow})
            return redirect("coaching:group_coaches", pk=group.pk)
    context = {"group": group, "coaches": selectors.group_coaches(group=group), "form": form}
    return render(request, "coaching/group_coaches.html", context)


@coach_required
@require_POST
def group_leave(request, pk: int):
    group = _own_group(request, pk)
    try:
        services.group_leave(coach=request.user, group=group)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("coaching:group_coaches", pk=group.pk)
    messages.success(request, _("You no longer coach %(name)s.") % {"name": group.name})
    return redirect("coaching:group_list")


@coach_required
@require_POST
def group_learner_remove(request, pk: int, learner_pk: int):
    group = _own_group(request, pk)
    learner = get_object_or_404(selectors.group_learners(group=group), pk=learner_pk)
    services.group_learner_remove(coach=request.user, group=group, learner=learner)
    messages.success(request, _("%(name)s is no longer in this group.") % {"name": learner})
    return redirect("coaching:group_learners", pk=group.pk)


@coach_required
@require_http_methods(["GET", "POST"])
def group_learners_create(request, pk: int):
    """Many learner accounts at once; their codes and PINs are on this answer only, never stored readable."""
    group = _own_group(request, pk)
    form = LearnersCreateForm(request.POST or None, initial={"preferred_language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.group_learners_create(
                coach=request.user,
                group=group,
                names=form.cleaned_data["names"],
                language=form.cleaned_data["preferred_language"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            rows = [
                {"learner": new.learner, "code": code_format(code=new.learner.learner_sign_in.code), "pin": new.secret}
                for new in made
            ]
            sheet = None
            if form.cleaned_data["card_sheet"]:
                sheet = services.card_sheet_for_new(coach=request.user, group=group, made=made)
            return render(request, "coaching/group_learners_made.html", {"group": group, "rows": rows, "sheet": sheet})
    return render(request, "coaching/group_learners_create.html", {"group": group, "form": form})


@coach_required
@require_http_methods(["GET", "POST"])
def assignment_create(request, pk: int):
    group = _own_group(request, pk)
    form = AssignmentForm(
        request.POST or None,
        targets=selectors.assignment_targets(language=translation.get_language()),
        learners=selectors.group_learners(group=group),
    )
    if request.method == "POST" and form.is_valid():
        kind, key = form.cleaned_data["target"]
        try:
            services.assignment_create(
                coach=request.user,
                group=group,
                kind=kind,
                target_key=key,
                due=form.cleaned_data["due"],
                note=form.cleaned_data["note"],
                learners=form.cleaned_data["learners"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("The learners see it now in “My learning”."))
            return redirect("coaching:group_dashboard", pk=group.pk)
    return render(request, "coaching/assignment_create.html", {"group": group, "form": form})


@coach_required
@require_http_methods(["GET", "POST"])
def assignment_delete(request, pk: int, assignment_pk: int):
    group = _own_group(request, pk)
    assignment = get_object_or_404(group.assignments, pk=assignment_pk)
    if request.method == "POST":
        services.assignment_delete(coach=request.user, assignment=assignment)
        messages.success(request, _("The task is removed. The learners keep their progress."))
        return redirect("coaching:group_dashboard", pk=group.pk)
    title = selectors.assignment_title(assignment=assignment, language=translation.get_language())
    return render(
        request, "coaching/assignment_delete.html", {"group": group, "assignment": assignment, "title": title}
    )


@coach_required
def group_dashboard(request, pk: int):
    """The grid of learners x tasks. `?fragment=1` answers only the table, for the page's refresh script."""
    group = _own_group(request, pk)
    filter_form = StatusFilterForm(request.GET)
    if not filter_form.is_valid():
        return HttpResponseBadRequest(_("This status does not exist."))
    page = request.GET.get("page", "1")
    dashboard = selectors.group_dashboard(
        group=group,
        language=translation.get_language(),
        status=filter_form.cleaned_data["status"],
        request=request,
        page=int(page) if page.isdigit() else 1,
    )
    context = {
        "group": group,
        "dashboard": dashboard,
        "filter_form": filter_form,
        "status": filter_form.cleaned_data["status"],
        "updated_at": timezone.localtime(),
    }
    if request.GET.get("fragment") == "1":
        return render(request, "coaching/includes/dashboard_live.html", context)
    context["sign_in_locks"] = account_selectors.learners_locked(users=group.learners.all())
    return render(request, "coaching/group_dashboard.html", context)


@coach_required
@require_POST
def group_learner_unlock(request, pk: int, learner_pk: int):
    """Lift the sign-in pause of a learner of this group (any coach of the group may; see the dashboard)."""
    group = _own_group(request, pk)
    learner = get_object_or_404(group.learners.filter(learner_sign_in__isnull=False), pk=learner_pk)
    account_services.learner_unlock(learner=learner)
    messages.success(request, _("%(name)s can sign in again.") % {"name": learner})
    return redirect("coaching:group_dashboard", pk=group.pk)


def _export_name(group, extension: str) -> str:
    return spreadsheets.export_file_name(prefix="oefenplein", name=group.name, fallback="group", extension=extension)


@coach_required
def group_export_csv(request, pk: int):
    group = _own_group(request, pk)
    rows = selectors.group_export_rows(group=group, language=translation.get_language())
    return spreadsheets.csv_download(header=selectors.export_header, rows=rows, file_name=_export_name(group, "csv"))


@coach_required
def group_export_xlsx(request, pk: int):
    group = _own_group(request, pk)
    return spreadsheets.xlsx_download(
        sheet_title=_("Progress"),
        header=selectors.export_header,
        rows=selectors.group_export_rows(group=group, language=translation.get_language()),
        file_name=_export_name(group, "xlsx"),
    )


# --- Sign-in card sheets ---------------------------------------------------------------------------


def _own_sheet(request, pk: int, sheet_pk: int):
    """The group must be the coach's and the sheet their own: anything else answers 404."""
    group = _own_group(request, pk)
    return group, card_sheet_views.own_sheet(selectors.card_sheets(coach=request.user, group=group), sheet_pk)


@coach_required
@require_http_methods(["GET", "POST"])
def group_card_sheets(request, pk: int):
    """Ask for a sheet for existing learners (they get new secrets, so the coach confirms) and list sheets."""
    group = _own_group(request, pk)
    return card_sheet_views.sheets_page(
        request,
        app="coaching",
        scope=group,
        sheets=selectors.card_sheets(coach=request.user, group=group),
        people=selectors.card_sheet_learners(coach=request.user, group=group),
        form_class=CardSheetForm,
        ask=lambda learners: services.card_sheet_request(coach=request.user, group=group, learners=learners),
    )


@coach_required
def card_sheet(request, pk: int, sheet_pk: int):
    """The sheet's status. `?fragment=1` answers only the status box, for the page's refresh script."""
    group, sheet = _own_sheet(request, pk, sheet_pk)
    fragment = "coaching/includes/card_sheet_status.html"
    return card_sheet_views.sheet_page(request, app="coaching", scope=group, sheet=sheet, fragment_template=fragment)


@coach_required
def card_sheet_download(request, pk: int, sheet_pk: int):
    _group, sheet = _own_sheet(request, pk, sheet_pk)
    return card_sheet_views.sheet_download(sheet, folder=cards.FOLDER)


@coach_required
@require_POST
def card_sheet_remove(request, pk: int, sheet_pk: int):
    group, sheet = _own_sheet(request, pk, sheet_pk)
    services.card_sheet_remove(coach=request.user, sheet=sheet)
    return card_sheet_views.sheet_removed(request, app="coaching", scope=group, sheet=sheet)
