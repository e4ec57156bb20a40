"""Learners' pages: the list of upcoming dates, one date's page, signing up, a guest's request, the .ics file.

Anyone may read the list and a date's page. Signing up needs an account: someone not signed in is sent
to the usual sign-in page (learner code and PIN or pictures, with its throttling) and comes back to the
date, so this app never checks a learner code itself and never tells whether a code exists. A guest
without an account asks a seat with a first name and phone number instead. Staff training moments are
shown only to staff and organisers.

Every page here is `never_cache`: seats left change with each sign-up, so the anonymous page cache
(learn/middleware.py) must never keep a copy that says "2 seats" when the date is full.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learn.errors import bad_request_response

from . import booking, permissions, selectors
from .forms import GuestRequestForm, SessionFilterForm
from .ics import occurrence_ics


def _include_staff(user) -> bool:
    return permissions.may_organise(user) or selectors.is_staff_member(user)


def _first_message(error: ValidationError) -> str:
    return error.messages[0] if error.messages else _("This did not work.")


@never_cache
@require_GET
def session_list(request):
    language = translation.get_language()
    form = SessionFilterForm(request.GET or None, help_points=selectors.help_point_choices(language))
    if request.GET and not form.is_valid():
        return bad_request_response(request, form.error_message())
    filters = form.cleaned_data if form.is_bound else {}
    dates = selectors.upcoming(filters=filters, include_staff=_include_staff(request.user))[: selectors.LIST_LIMIT]
    context = {
        "form": form,
        "dates": selectors.decorate(dates, language=language),
        "filtered": any(filters.values()) if filters else False,
    }
    return render(request, "group_sessions/session_list.html", context)


def _occurrence_or_404(request, pk: int):
    occurrence = selectors.occurrence_public(pk, include_staff=_include_staff(request.user))
    if occurrence is None:
        raise Http404
    return occurrence


def _detail_context(request, occurrence, guest_form=None) -> dict:
    language = translation.get_language()
    session = occurrence.session
    point = selectors.help_points_in(language).get(session.help_point.translation_key) if session.help_point else None
    return {
        "occurrence": occurrence,
        "session": session,
        "point": point,
        "seats_left": max(session.seats - occurrence.taken, 0),
        "is_past": occurrence.starts <= timezone.now(),
        "is_cancelled": bool(occurrence.cancelled_at or session.cancelled_at),
        "practice": selectors.practice_for(session=session, language=language, user=request.user, request=request),
        "my_booking": selectors.booking_of(occurrence=occurrence, user=request.user),
        "guest_form": guest_form or GuestRequestForm(),
        "may_manage": permissions.may_manage(request.user, session),
        "languages": [settings.LANGUAGE_SELF_NAMES.get(code, code) for code in session.languages],
    }


@never_cache
@require_GET
def occurrence_detail(request, pk: int):
    occurrence = _occurrence_or_404(request, pk)
    return render(request, "group_sessions/occurrence_detail.html", _detail_context(request, occurrence))


@require_POST
def sign_up(request, pk: int):
    occurrence = _occurrence_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("group_sessions:occurrence", args=[occurrence.pk]))
    try:
        booking.seat_book(occurrence_id=occurrence.pk, learner=request.user)
    except ValidationError as error:
        messages.error(request, _first_message(error))
    else:
        messages.success(request, _("You are signed up. See you there!"))
    return redirect("group_sessions:occurrence", pk=occurrence.pk)


@require_POST
def seat_cancel(request, pk: int):
    occurrence = _occurrence_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("group_sessions:occurrence", args=[occurrence.pk]))
    mine = occurrence.bookings.filter(learner=request.user, status__in=booking.ACTIVE).first()
    if mine is None:
        messages.error(request, _("You are not signed up for this date."))
        return redirect("group_sessions:occurrence", pk=occurrence.pk)
    try:
        booking.booking_cancel(booking_id=mine.pk)
    except ValidationError as error:
        messages.error(request, _first_message(error))
    else:
        messages.success(request, _("Your seat is cancelled. Someone else can take it now."))
    return redirect("group_sessions:occurrence", pk=occurrence.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def guest_request(request, pk: int):
    occurrence = _occurrence_or_404(request, pk)
    form = GuestRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking.guest_request(
                occurrence_id=occurrence.pk,
                first_name=form.cleaned_data["first_name"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as error:
            form.add_error("phone" if error.code == "phone" else None, _first_message(error))
        else:
            messages.success(request, _("Thank you. The coach confirms your seat by phone or text message."))
            return redirect("group_sessions:occurrence", pk=occurrence.pk)
    status = 400 if request.method == "POST" else 200
    context = _detail_context(request, occurrence, guest_form=form)
    return render(request, "group_sessions/occurrence_detail.html", context, status=status)


@never_cache
@require_GET
def occurrence_calendar(request, pk: int):
    occurrence = _occurrence_or_404(request, pk)
    language = translation.get_language()
    session = occurrence.session
    point = selectors.help_points_in(language).get(session.help_point.translation_key) if session.help_point else None
    place = f"{point.name}, {point.street}, {point.postcode} {point.city}" if point else session.online_link
    url = request.build_absolute_uri(reverse("group_sessions:occurrence", args=[occurrence.pk]))
    body = occurrence_ics(occurrence=occurrence, place=place, url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(session.title) or "session"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localtime(occurrence.starts):%Y-%m-%d}.ics"'
    )
    return response
