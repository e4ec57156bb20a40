"""Reads of group sessions: the list of upcoming dates, one date's page, an organiser's sessions.

Help points are translatable snippets; a session names one of them, and pages show the help point in the
reader's language through its translation key. Progress is read only through `progress.selectors`.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from lessons.models import HelpPoint
from progress.links import activity_links_for
from progress.models import LessonStatus
from progress.selectors import group_statuses, pages_by_translation_key

from .booking import with_seats_taken
from .models import BookingStatus, CoveredKind, GroupSession, SeatBooking, SessionItem, SessionKind, SessionOccurrence

LIST_LIMIT = 100  # dates on one page of the list: six months of a city's offer, and still a light page


def help_points_in(language: str) -> dict:
    """{translation_key: HelpPoint} in `language`, else in the source language."""
    points: dict = {}
    for point in HelpPoint.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE}):
        if point.translation_key not in points or point.locale.language_code == language:
            points[point.translation_key] = point
    return points


def help_point_choices(language: str) -> list:
    """The help points in the reader's language, for a filter or a form: [(pk, name)] in display order."""
    from coaching.selectors import help_point_choices as coaching_choices

    return list(coaching_choices(language=language))


def upcoming(*, filters: dict, include_staff: bool = False) -> QuerySet:
    """Dates still to come, not cancelled, with `taken` seats; filtered as the learner asked."""
    rows = SessionOccurrence.objects.filter(
        starts__gt=timezone.now(), cancelled_at__isnull=True, session__cancelled_at__isnull=True
    ).select_related("session", "session__help_point")
    if not include_staff:
        rows = rows.exclude(session__kind=SessionKind.STAFF_TRAINING)
    point = filters.get("help_point")
    if point == "online":
        rows = rows.filter(session__help_point__isnull=True)
    elif point:
        rows = rows.filter(session__help_point__translation_key=point.translation_key)
    if filters.get("district"):
        rows = rows.filter(session__help_point__district=filters["district"])
    if filters.get("language"):
        rows = rows.filter(session__languages__contains=[filters["language"]])
    if filters.get("target_group"):
        rows = rows.filter(session__target_groups__contains=[filters["target_group"]])
    if filters.get("kind"):
        rows = rows.filter(session__kind=filters["kind"])
    if filters.get("topic"):
        rows = rows.filter(session__in=GroupSession.objects.filter(items__target_key__in=topic_keys(filters["topic"])))
    return with_seats_taken(rows).order_by("starts", "pk")


def topic_keys(topic: str) -> set:
    """Translation keys of the modules of a catalogue topic and of their lessons: a session is "about" the
    topic when it covers one of them."""
    from lessons.models import LessonPage, ModulePage

    modules = ModulePage.objects.live().filter(topic=topic)
    keys = set(modules.values_list("translation_key", flat=True))
    for module in modules.filter(locale__language_code=settings.LANGUAGE_CODE):
        keys |= set(LessonPage.objects.live().child_of(module).values_list("translation_key", flat=True))
    return keys


def decorate(occurrences, *, language: str) -> list:
    """Each date gets `point` (its help point in `language`, or None online) and `seats_left`."""
    points = help_points_in(language)
    rows = list(occurrences)
    for row in rows:
        session = row.session
        row.point = points.get(session.help_point.translation_key) if session.help_point_id else None
        row.seats_left = max(session.seats - row.taken, 0)
    return rows


def occurrence_public(pk: int, *, include_staff: bool = False):
    rows = SessionOccurrence.objects.filter(pk=pk).select_related("session", "session__help_point")
    if not include_staff:
        rows = rows.exclude(session__kind=SessionKind.STAFF_TRAINING)
    return with_seats_taken(rows).first()


@dataclass(frozen=True)
class CoveredItem:
    kind: str
    when: str
    title: str
    url: str
    language: str
    direction: str
    finished: bool | None  # None: nobody signed in to say it for


@dataclass
class Practice:
    before: list[CoveredItem] = field(default_factory=list)
    after: list[CoveredItem] = field(default_factory=list)


def practice_for(*, session: GroupSession, language: str, user=None, request=None) -> Practice:
    """What to practise before and after the session, with links in the reader's language, and for a
    signed-in learner whether they finished each one. Items whose page is gone are left out."""
    items = list(session.items.all())
    keys = {item.target_key for item in items}
    links = pages_by_translation_key(keys=keys, language=language, request=request)
    missing = keys - set(links)
    if missing:
        links.update(activity_links_for(keys=missing, language=language, request=request))
    statuses = {}
    if user is not None and user.is_authenticated:
        by_kind = {kind: [item.target_key for item in items if item.kind == kind] for kind in CoveredKind.values}
        statuses = group_statuses(
            user_ids=[user.pk],
            lesson_keys=by_kind[CoveredKind.LESSON],
            module_keys=by_kind[CoveredKind.MODULE],
            simulator_keys=by_kind[CoveredKind.SIMULATOR],
        )
    practice = Practice()
    for item in items:
        link = links.get(item.target_key)
        if link is None:
            continue
        finished = None
        if user is not None and user.is_authenticated:
            finished = statuses.get((user.pk, item.target_key)) == LessonStatus.COMPLETED
        entry = CoveredItem(
            kind=item.kind,
            when=item.when,
            title=link.title,
            url=link.url,
            language=link.language,
            direction=link.direction,
            finished=finished,
        )
        (practice.before if item.when == SessionItem.When.BEFORE else practice.after).append(entry)
    return practice


def booking_of(*, occurrence, user) -> SeatBooking | None:
    if not user.is_authenticated:
        return None
    return occurrence.bookings.filter(learner=user).exclude(status=BookingStatus.CANCELLED).first()


def is_staff_member(user) -> bool:
    if not user.is_authenticated:
        return False
    from training.models import StaffMember

    return StaffMember.objects.filter(user=user, active=True).exists()


def organiser_sessions(sessions: QuerySet) -> QuerySet:
    # Sessions still running first, then the cancelled ones.
    return sessions.select_related("help_point").order_by(
        F("cancelled_at").asc(nulls_first=True), "first_date", "starts_at", "pk"
    )


def session_dates(*, session: GroupSession) -> QuerySet:
    """A session's dates from yesterday on, with seats taken and guests waiting."""
    since = timezone.now() - timedelta(days=1)
    return (
        with_seats_taken(session.occurrences.filter(starts__gte=since))
        .annotate(waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.REQUESTED)))
        .order_by("starts", "pk")
    )


def occurrence_bookings(*, occurrence) -> QuerySet:
    return occurrence.bookings.exclude(status=BookingStatus.CANCELLED).select_related("learner").order_by("pk")
