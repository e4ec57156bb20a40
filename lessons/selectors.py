"""Read-only queries for lesson pages. Each returns a fixed number of queries, whatever the content size.

The queries a page needs to render itself are the page models' own (lessons/models.py: a Wagtail page
is its own view, and a model never imports its readers); this module is the read interface for
everything else (views, template tags, other apps, tests) and never duplicates them.
"""

from django.db.models import QuerySet
from wagtail.models import Locale, Page

from .models import HelpPoint, HelpPointsPage, LessonPage, ModuleIndexPage, ModulePage
from .opening import BRUSSELS as BRUSSELS
from .opening import OpeningStatus as OpeningStatus
from .opening import help_point_opening_status as help_point_opening_status
from .opening import help_points_opening as help_points_opening


def catalogue_page(*, locale: Locale):
    return ModuleIndexPage.for_locale(locale)


def help_page(*, locale: Locale):
    return HelpPointsPage.for_locale(locale)


def modules_for_catalogue(
    *, locale: Locale, topic: str | None = None, level: str | None = None, target_group: str | None = None
) -> list:
    """Live modules of one language, in catalogue order, optionally filtered (ModulePage.catalogue)."""
    return ModulePage.catalogue(locale=locale, topic=topic, level=level, target_group=target_group)


def lessons_of_module(*, module: Page) -> QuerySet:
    return LessonPage.of_module(module)


def lesson_navigation(*, lesson) -> dict:
    """Module, position ("lesson 2 of 5"), previous and next lesson, in two queries."""
    return lesson.navigation()


def questions_of_lesson(*, lesson) -> dict:
    """Map each question block's id to its value, for checking a submitted answer."""
    return {block.id: block.value for block in lesson.body if block.block_type == "question"}


def help_points(*, locale: Locale, district: str | None = None, order: str | None = None) -> list:
    """Help points of one language with their opening times (two queries), optionally of one area."""
    return HelpPoint.listed(locale=locale, district=district, order=order)


def lessons_matching(*, query: str, locale: Locale):
    """Live lessons in one language whose title, summary or text match the query, best first."""
    return LessonPage.objects.live().filter(locale=locale).search(query, operator="and")
