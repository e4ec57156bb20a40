"""Read-only queries for lesson pages. Each returns a fixed number of queries, whatever the content size."""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from wagtail.models import Locale, Page

# Help points keep their hours in Brussels wall-clock time, whatever the server's time zone.
BRUSSELS = ZoneInfo("Europe/Brussels")


def catalogue_page(*, locale: Locale):
    from .models import ModuleIndexPage

    return ModuleIndexPage.objects.live().filter(locale=locale).first()


def help_page(*, locale: Locale):
    from .models import HelpPointsPage

    return HelpPointsPage.objects.live().filter(locale=locale).first()


def modules_for_catalogue(
    *, locale: Locale, topic: str | None = None, level: str | None = None, target_group: str | None = None
) -> list:
    """Live modules of one language, in catalogue order, optionally filtered.

    Target groups are a JSON list; the catalogue holds dozens of modules, so that filter runs in
    Python rather than with a JSON lookup SQLite lacks.
    """
    from .models import ModulePage

    queryset = ModulePage.objects.live().filter(locale=locale).select_related("cover_image")
    if topic:
        queryset = queryset.filter(topic=topic)
    if level:
        queryset = queryset.filter(level=level)
    modules = list(queryset.order_by("sort_order", "path"))
    if target_group:
        modules = [module for module in modules if target_group in (module.target_groups or [])]
    return modules


def lessons_of_module(*, module: Page) -> QuerySet:
    from .models import LessonPage

    return LessonPage.objects.live().child_of(module).order_by("path")


def lesson_navigation(*, lesson) -> dict:
    """Module, position ("lesson 2 of 5"), previous and next lesson, in two queries."""
    from .models import LessonPage, ModulePage

    module = ModulePage.objects.parent_of(lesson).first()
    siblings = list(LessonPage.objects.live().sibling_of(lesson, inclusive=True).order_by("path"))
    ids = [sibling.pk for sibling in siblings]
    index = ids.index(lesson.pk) if lesson.pk in ids else 0
    return {
        "module": module,
        "lesson_number": index + 1,
        "lesson_count": len(siblings) or 1,
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
    }


def questions_of_lesson(*, lesson) -> dict:
    """Map each question block's id to its value, for checking a submitted answer."""
    return {block.id: block.value for block in lesson.body if block.block_type == "question"}


def help_points(*, locale: Locale, district: str | None = None, order: str | None = None) -> list:
    """Help points of one language with their opening times (two queries), optionally of one area.

    `order` is "postcode" or "district" (then the usual order within each), else the editors' order.
    """
    from .choices import District
    from .models import HelpPoint

    queryset = HelpPoint.objects.filter(locale=locale).prefetch_related("opening_times")
    if district:
        queryset = queryset.filter(district=district)
    points = list(queryset.order_by("sort_order", "name"))
    if order == "postcode":
        points.sort(key=lambda point: point.postcode)
    elif order == "district":
        names = {value: str(label) for value, label in District.choices}
        points.sort(key=lambda point: names.get(point.district, point.district))
    return points


@dataclass(frozen=True)
class OpeningStatus:
    """Whether a help point is open at one moment, and when it closes or opens next (Brussels time)."""

    known: bool
    open_now: bool = False
    closes: time | None = None
    next_day: int | None = None  # 0 = Monday, as datetime.weekday()
    next_opens: time | None = None
    next_in_days: int | None = None  # 0 = later today, 1 = tomorrow

    @property
    def next_day_name(self) -> str:
        return "" if self.next_day is None else str(WEEKDAYS[self.next_day])


def help_point_opening_status(*, times, now: datetime) -> OpeningStatus:
    """Open or closed at `now`, from (weekday, opens, closes) rows in Brussels wall-clock time.

    `now` is converted to Brussels time first, so summer and winter time need nothing special: 10:00
    means 10:00 on the clock at the help point, whatever the UTC offset that day.
    """
    rows = sorted(((row.weekday, row.opens, row.closes) for row in times), key=lambda row: (row[0], row[1]))
    if not rows:
        return OpeningStatus(known=False)
    local = now.astimezone(BRUSSELS)
    weekday, clock = local.weekday(), local.time().replace(tzinfo=None)
    for day, opens, closes in rows:
        if day == weekday and opens <= clock < closes:
            return OpeningStatus(known=True, open_now=True, closes=closes)
    for in_days in range(8):
        day = (weekday + in_days) % 7
        for row_day, opens, _closes in rows:
            if row_day == day and (in_days > 0 or opens > clock):
                return OpeningStatus(known=True, next_day=day, next_opens=opens, next_in_days=in_days)
    return OpeningStatus(known=True)


def help_points_opening(*, help_points: list, now: datetime | None = None) -> dict:
    """Opening status per help point id, at `now` (by default: this request's moment)."""
    now = now or timezone.now()
    return {point.pk: help_point_opening_status(times=point.opening_times.all(), now=now) for point in help_points}


def lessons_matching(*, query: str, locale: Locale):
    """Live lessons in one language whose title, summary or text match the query, best first."""
    from .models import LessonPage

    return LessonPage.objects.live().filter(locale=locale).search(query, operator="and")
