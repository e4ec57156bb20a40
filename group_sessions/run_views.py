"""Running a date of a session (/<lang>/sessions/run/): the attendance list, walk-ins, tasks for who came.

Anonymous visitors go to the sign-in page; people who may not organise (learners, the coordinator) get
403 (organiser_views.organiser_required, shared with the organisers' pages); an organiser who may not run
this date gets 404 (`attendance.runnable_occurrences`). The rules
live in attendance.py.
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.credentials import code_format

from . import attendance, permissions
from .models import SessionKind
from .organiser_views import organiser_required
from .run_forms import AttendanceForm, WalkInForm


def _own_occurrence(request, pk: int):
    return get_object_or_404(attendance.runnable_occurrences(user=request.user), pk=pk)


@organiser_required
def run_list(request):
    """The dates this person runs: today's first, then the last weeks' (to fill in later) and the next ones."""
    today = timezone.localdate()
    dates = attendance.runnable_occurrences(user=request.user).filter(cancelled_at__isnull=True)
    since = timezone.make_aware(datetime.combine(today - timedelta(days=28), time.min))
    context = {
        "past": list(dates.filter(starts__gte=since, starts__date__lt=today).order_by("-starts")[:20]),
        "today": list(dates.filter(starts__date=today).order_by("starts")),
        "coming": list(dates.filter(starts__date__gt=today).order_by("starts")[:10]),
    }
    return render(request, "group_sessions/run_list.html", context)


def _page(request, occurrence, *, form=None, walk_in_form=None, status=200):
    bookings = attendance.occurrence_bookings(occurrence=occurrence)
    if form is None:
        form = AttendanceForm(
            bookings=bookings, initial={"present": [booking.pk for booking in bookings if booking.attended]}
        )
    ticked = {int(value) for value in (form["present"].value() or []) if str(value).isdigit()}
    context = {
        "occurrence": occurrence,
        "session": occurrence.session,
        "rows": [{"booking": booking, "ticked": booking.pk in ticked} for booking in bookings],
        "form": form,
        "walk_in_form": walk_in_form
        or WalkInForm(initial={"preferred_language": translation.get_language()}, auto_id="walk_in_%s"),
        "present_count": sum(1 for booking in bookings if booking.attended),
        "items": list(occurrence.session.items.all()),
        "walk_ins": attendance.walk_ins_possible(occurrence=occurrence, user=request.user),
        "staff_moment": occurrence.session.kind == SessionKind.STAFF_TRAINING,
        "may_manage": permissions.may_manage(request.user, occurrence.session),
        "can_run": occurrence.cancelled_at is None and timezone.localdate(occurrence.starts) <= timezone.localdate(),
    }
    return render(request, "group_sessions/run_occurrence.html", context, status=status)


@organiser_required
@require_http_methods(["GET", "POST"])
def run_occurrence(request, pk: int):
    occurrence = _own_occurrence(request, pk)
    if request.method == "GET":
        return _page(request, occurrence)
    bookings = attendance.occurrence_bookings(occurrence=occurrence)
    form = AttendanceForm(request.POST, bookings=bookings)
    # run.js saves on every tap: it gets 204, or 400 with the reason, and no message for the next page.
    by_script = request.headers.get("X-Requested-With") == "fetch"
    if form.is_valid():
        try:
            came = attendance.attendance_save(
                occurrence=occurrence, by=request.user, present_ids=form.cleaned_data["present"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            if by_script:
                return HttpResponse(status=204)
            messages.success(
                request,
                ngettext("Saved: %(count)s person came.", "Saved: %(count)s people came.", came) % {"count": came},
            )
            return redirect("group_sessions:run_occurrence", pk=occurrence.pk)
    if by_script:
        errors = form.non_field_errors() or form.errors.get("present") or [_("This did not work.")]
        return JsonResponse({"error": str(errors[0])}, status=400)
    return _page(request, occurrence, form=form, status=400)


@organiser_required
@require_POST
def run_walk_ins(request, pk: int):
    """New learner accounts for people who came without signing up; their codes and PINs are shown once."""
    occurrence = _own_occurrence(request, pk)
    form = WalkInForm(request.POST, auto_id="walk_in_%s")
    if form.is_valid():
        try:
            walk_ins = attendance.walk_ins_add(
                occurrence=occurrence,
                by=request.user,
                names=form.cleaned_data["names"],
                language=form.cleaned_data["preferred_language"],
                card_sheet=form.cleaned_data["card_sheet"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            rows = [
                {"learner": new.learner, "code": code_format(code=new.learner.learner_sign_in.code), "pin": new.secret}
                for new in walk_ins.made
            ]
            context = {"occurrence": occurrence, "group": walk_ins.group, "rows": rows, "sheet": walk_ins.sheet}
            return render(request, "group_sessions/run_walk_ins_made.html", context)
    return _page(request, occurrence, walk_in_form=form, status=400)


@organiser_required
@require_POST
def run_give(request, pk: int):
    """Give what the session covered to everyone who came: the group's dashboard follows them from now on."""
    occurrence = _own_occurrence(request, pk)
    try:
        given = attendance.covered_items_give(occurrence=occurrence, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("group_sessions:run_occurrence", pk=occurrence.pk)
    text = ngettext(
        "%(learners)s learner got what you practised. They see it in “My learning”.",
        "%(learners)s learners got what you practised. They see it in “My learning”.",
        given.learners,
    ) % {"learners": given.learners}
    if given.skipped:
        text += " " + ngettext(
            "%(count)s item is not on the site any more and was left out.",
            "%(count)s items are not on the site any more and were left out.",
            given.skipped,
        ) % {"count": given.skipped}
    messages.success(request, text)
    return redirect("coaching:group_dashboard", pk=given.group.pk)
