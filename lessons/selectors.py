"""Read-only queries for lesson pages. Each returns a fixed number of queries, whatever the content size."""

from django.db.models import QuerySet
from wagtail.models import Locale, Page


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


def help_points(*, locale: Locale) -> QuerySet:
    from .models import HelpPoint

    return HelpPoint.objects.filter(locale=locale).order_by("sort_order", "name")


def lessons_matching(*, query: str, locale: Locale):
    """Live lessons in one language whose title, summary or text match the query, best first."""
    from .models import LessonPage

    return LessonPage.objects.live().filter(locale=locale).search(query, operator="and")
