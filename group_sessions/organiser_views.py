"""Organisers' pages: their sessions and dates, making and changing a session, cancelling, and seats.

Anonymous visitors go to the sign-in page; signed-in people who organise nothing get 403; a session
someone else organises answers 404 (permissions.managed_sessions), so nobody learns it exists.
The organiser's run page of a date (attendance) is in run_views.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import access_required
from accounts.forms import form_errors_add
from accounts.selectors import coach_learners
from coaching.models import CoachGroup
from lessons.models import HelpPoint

from . import booking, permissions, selectors, services
from .forms import CancelForm, CoachSignUpForm, SessionForm
from .models import BookingStatus, SessionOccurrence

organiser_required = access_required(permissions.may_organise)


def _own_session(request, pk: int):
    return get_object_or_404(permissions.managed_sessions(request.user), pk=pk)


def _own_occurrence(request, pk: int) -> SessionOccurrence:
    return get_object_or_404(
        SessionOccurrence.objects.select_related("session", "session__help_point").filter(
            session__in=permissions.managed_sessions(request.user)
        ),
        pk=pk,
    )


def _help_points(user, language: str):
    points = HelpPoint.objects.filter(pk__in=[point.pk for point in selectors.help_point_choices(language)])
    keys = permissions.help_point_keys_for(user)
    if keys is not None:
        points = points.filter(translation_key__in=keys)
    return points.order_by("sort_order", "name")


def _groups(user):
    if permissions.is_editor(user):
        return CoachGroup.objects.order_by("name", "pk")
    return CoachGroup.objects.filter(coaches=user).order_by("name", "pk")


def _session_form(request, session=None):
    language = translation.get_language()
    return SessionForm(
        request.POST or None,
        initial=SessionForm.initial_for(session, language=language) if session else None,
        user=request.user,
        language=language,
        help_points=_help_points(request.user, language),
        groups=_groups(request.user),
        session=session,
    )


@organiser_required
@require_GET
def organise_home(request):
    sessions = selectors.organiser_sessions(permissions.managed_sessions(request.user))
    return render(request, "group_sessions/organise_home.html", {"sessions": sessions})


def _save(request, form, session=None):
    data = {name: form.cleaned_data.get(name) for name in form.fields}
    try:
        saved = services.session_save(user=request.user, data=data, items=form.items(), session=session)
    except ValidationError as error:
        form_errors_add(form, error)
        return None
    kept = saved.sync.kept_with_bookings
    if kept:
        messages.warning(
            request,
            ngettext(
                "%(count)s date no longer in the rule stays, because people signed up for it. Cancel it if it "
                "does not take place: they will be told.",
                "%(count)s dates no longer in the rule stay, because people signed up for them. Cancel them if "
                "they do not take place: they will be told.",
                kept,
            )
            % {"count": kept},
        )
    return saved.session


@organiser_required
@require_http_methods(["GET", "POST"])
def session_create(request):
    form = _session_form(request)
    if request.method == "POST" and form.is_valid():
        session = _save(request, form)
        if session is not None:
            messages.success(request, _("The session is made, with its dates."))
            return redirect("group_sessions:organise_session", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "group_sessions/session_form.html", {"form": form, "session": None}, status=status)


@organiser_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = _own_session(request, pk)
    if session.cancelled_at:
        messages.error(request, _("This session is cancelled. It cannot be changed."))
        return redirect("group_sessions:organise_session", pk=session.pk)
    form = _session_form(request, session)
    if request.method == "POST" and form.is_valid() and _save(request, form, session) is not None:
        messages.success(request, _("The session is changed."))
        return redirect("group_sessions:organise_session", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "group_sessions/session_form.html", {"form": form, "session": session}, status=status)


@organiser_required
@require_GET
def session_detail(request, pk: int):
    session = _own_session(request, pk)
    context = {"session": session, "dates": selectors.session_dates(session=session), "cancel_form": CancelForm()}
    return render(request, "group_sessions/organise_session.html", context)


@organiser_required
@require_POST
def session_cancel(request, pk: int):
    session = _own_session(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            run = services.session_cancel(user=request.user, session_id=session.pk, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _told(run.claimed, series=True))
            return redirect("group_sessions:organise_session", pk=session.pk)
    context = {"session": session, "dates": selectors.session_dates(session=session), "cancel_form": form}
    return render(request, "group_sessions/organise_session.html", context, status=400)


def _told(count: int, *, series: bool) -> str:
    first = _("The whole series is cancelled.") if series else _("This date is cancelled.")
    told = ngettext("%(count)s person is told.", "%(count)s people are told.", count) % {"count": count}
    return f"{first} {told}"


def _signable_learners(user):
    """A coach's own learners (made by them) and the learners of their groups."""
    from accounts.models import User

    in_groups = CoachGroup.learners.through.objects.filter(coachgroup__coaches=user).values("user_id")
    return User.objects.filter(
        Q(pk__in=coach_learners(coach=user).values("pk")) | Q(pk__in=in_groups), is_active=True
    ).order_by("display_name", "pk")


def _occurrence_context(request, occurrence, **forms) -> dict:
    learners = _signable_learners(request.user)
    return {
        "occurrence": occurrence,
        "session": occurrence.session,
        "bookings": selectors.occurrence_bookings(occurrence=occurrence),
        "taken": booking.seats_taken(occurrence),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "sign_up_form": forms.get("sign_up_form") or CoachSignUpForm(learners=learners),
        "can_sign_up": learners.exists(),
        "learners": learners,
    }


@organiser_required
@require_GET
def occurrence_manage(request, pk: int):
    occurrence = _own_occurrence(request, pk)
    return render(request, "group_sessions/organise_occurrence.html", _occurrence_context(request, occurrence))


@organiser_required
@require_POST
def occurrence_cancel(request, pk: int):
    occurrence = _own_occurrence(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            run = services.occurrence_cancel(
                user=request.user, occurrence_id=occurrence.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _told(run.claimed, series=False))
            return redirect("group_sessions:organise_occurrence", pk=occurrence.pk)
    context = _occurrence_context(request, occurrence, cancel_form=form)
    return render(request, "group_sessions/organise_occurrence.html", context, status=400)


@organiser_required
@require_POST
def occurrence_sign_up(request, pk: int):
    occurrence = _own_occurrence(request, pk)
    context = _occurrence_context(request, occurrence)
    form = CoachSignUpForm(request.POST, learners=context["learners"])
    if form.is_valid():
        try:
            services.coach_sign_up(user=request.user, occurrence_id=occurrence.pk, learner=form.cleaned_data["learner"])
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("%(name)s is signed up.") % {"name": form.cleaned_data["learner"]})
            return redirect("group_sessions:organise_occurrence", pk=occurrence.pk)
    context["sign_up_form"] = form
    return render(request, "group_sessions/organise_occurrence.html", context, status=400)


def _own_booking(request, occurrence, booking_pk: int):
    return get_object_or_404(occurrence.bookings.exclude(status=BookingStatus.CANCELLED), pk=booking_pk)


@organiser_required
@require_POST
def guest_confirm(request, pk: int, booking_pk: int):
    occurrence = _own_occurrence(request, pk)
    seat = _own_booking(request, occurrence, booking_pk)
    try:
        booking.guest_confirm(booking_id=seat.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The seat of %(name)s is confirmed.") % {"name": seat.guest_first_name})
    return redirect("group_sessions:organise_occurrence", pk=occurrence.pk)


@organiser_required
@require_POST
def booking_refuse(request, pk: int, booking_pk: int):
    occurrence = _own_occurrence(request, pk)
    seat = _own_booking(request, occurrence, booking_pk)
    try:
        booking.booking_cancel(booking_id=seat.pk)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The seat is given back."))
    return redirect("group_sessions:organise_occurrence", pk=occurrence.pk)
