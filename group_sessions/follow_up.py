"""Reads for a learner's "My learning": the next date they joined and what to practise before it.

Registered with progress (progress.agenda) in apps.py; progress works out which items are finished.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import HelpPoint
from progress.agenda import AgendaItem

from .models import BookingStatus, SeatBooking, SessionItem


def _place(session, language: str) -> str:
    """The help point's name and address in the learner's language where translated, else "Online"."""
    point = session.help_point
    if point is None:
        return _("Online")
    for code in (language, settings.LANGUAGE_CODE):
        local = HelpPoint.objects.filter(translation_key=point.translation_key, locale__language_code=code).first()
        if local is not None:
            point = local
            break
    return f"{point.name}, {point.street}, {point.postcode} {point.city}"


def next_session_for(*, user, language: str) -> list[AgendaItem]:
    """The next date (not over, not cancelled) the learner has a confirmed seat for; at most one."""
    if not user.is_authenticated:
        return []
    booking = (
        SeatBooking.objects.filter(
            learner=user,
            status=BookingStatus.CONFIRMED,
            occurrence__cancelled_at__isnull=True,
            occurrence__session__cancelled_at__isnull=True,
            occurrence__ends__gte=timezone.now(),
        )
        .select_related("occurrence__session__help_point")
        .order_by("occurrence__starts", "pk")
        .first()
    )
    if booking is None:
        return []
    occurrence, session = booking.occurrence, booking.occurrence.session
    before = SessionItem.objects.filter(session=session, when=SessionItem.When.BEFORE).order_by("sort_order", "pk")
    return [
        AgendaItem(
            title=session.title,
            starts=timezone.localtime(occurrence.starts),
            ends=timezone.localtime(occurrence.ends),
            place=_place(session, language),
            url=reverse("group_sessions:occurrence", kwargs={"pk": occurrence.pk}),
            online_link=session.online_link,
            prepare=tuple(before.values_list("target_key", flat=True)),
        )
    ]
