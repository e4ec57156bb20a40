"""Reads for coaches: their groups, what the groups were given, and the progress of the group's learners.

Every read is scoped to a coach: a group is only found through `coach_groups`, so another coach's
group is simply not there. Progress is read only through `progress.selectors`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.credentials import code_format
from accounts.models import User
from accounts.selectors import coach_learners
from lessons.models import HelpPoint, LessonPage, ModulePage
from progress.assignments import AssignedItem
from progress.models import LessonStatus
from progress.selectors import (
    HELP_WRONG,
    NOT_STARTED_CELL,
    ProgressCell,
    group_progress,
    learners_needing_help,
    pages_by_translation_key,
)

from .models import Assignment, AssignmentKind, CoachGroup

# The status a coach filters on and reads in a cell. "late" is "not finished and past the due date".
NOT_STARTED = "not_started"
BUSY = "busy"
FINISHED = "finished"
LATE = "late"
STATUSES = (NOT_STARTED, BUSY, FINISHED, LATE)
STATUS_ICONS = {NOT_STARTED: "○", BUSY: "◐", FINISHED: "✓", LATE: "!"}


def status_label(status: str) -> str:
    return {NOT_STARTED: _("Not started"), BUSY: _("Busy"), FINISHED: _("Finished"), LATE: _("Late")}[status]


def coach_groups(*, coach) -> QuerySet:
    return (
        CoachGroup.objects.filter(coaches=coach)
        .select_related("help_point")
        .annotate(learner_count=Count("learners", distinct=True))
        .order_by(Lower("name"), "pk")
    )


def group_learners(*, group) -> QuerySet:
    return group.learners.select_related("learner_sign_in").order_by(Lower("display_name"), "pk")


def group_learners_addable(*, coach, group) -> QuerySet:
    """The coach's own learners (accounts' `created_by`) who are not in the group yet."""
    return coach_learners(coach=coach).exclude(pk__in=group.learners.values("pk"))


def group_assignments(*, group) -> QuerySet:
    return group.assignments.prefetch_related(Prefetch("learners", queryset=User.objects.order_by("pk")))


def help_point_choices(*, language: str) -> QuerySet:
    """Help points in the coach's language, or in the source language when there is no translation."""
    points = HelpPoint.objects.filter(locale__language_code=language)
    if not points.exists():
        points = HelpPoint.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    return points.order_by("sort_order", "name")


@dataclass(frozen=True)
class Target:
    kind: str
    key: object
    title: str
    module_title: str = ""


def assignment_targets(*, language: str) -> list[Target]:
    """Live modules and their lessons, in tree order, in `language` where it has them, else in Dutch."""
    targets: list[Target] = []
    for code in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        modules = list(ModulePage.objects.live().filter(locale__language_code=code).order_by("path"))
        if not modules:
            continue
        lessons = LessonPage.objects.live().filter(locale__language_code=code).order_by("path")
        by_parent: dict = {}
        for lesson in lessons:
            by_parent.setdefault(lesson.path[: -lesson.steplen], []).append(lesson)
        for module in modules:
            targets.append(Target(kind=AssignmentKind.MODULE, key=module.translation_key, title=module.title))
            for lesson in by_parent.get(module.path, []):
                targets.append(
                    Target(
                        kind=AssignmentKind.LESSON,
                        key=lesson.translation_key,
                        title=lesson.title,
                        module_title=module.title,
                    )
                )
        break
    return targets


def assignment_title(*, assignment, language: str) -> str:
    pages = pages_by_translation_key(keys={assignment.target_key}, language=language)
    return pages[assignment.target_key].title if assignment.target_key in pages else _("(page removed)")


def target_is_live(*, kind: str, key) -> bool:
    model = {AssignmentKind.MODULE: ModulePage, AssignmentKind.LESSON: LessonPage}.get(kind)
    return bool(model and model.objects.live().filter(translation_key=key).exists())


def assigned_items_for(*, user) -> list[AssignedItem]:
    """The provider "My learning" calls: assignments to the whole group or to this learner. One query."""
    if not user.is_authenticated:
        return []
    rows = (
        Assignment.objects.filter(group__learners=user)
        .filter(Q(learners__isnull=True) | Q(learners=user))
        .distinct()
        .order_by("due", "pk")
    )
    return [AssignedItem(translation_key=row.target_key, due=row.due, note=row.note) for row in rows]


# --- Dashboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    assignment: Assignment
    title: str
    url: str
    for_user_ids: frozenset | None  # None: the whole group


@dataclass(frozen=True)
class Cell:
    status: str
    progress: ProgressCell

    @property
    def label(self) -> str:
        return status_label(self.status)

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]

    @property
    def first_percent(self):
        return None if self.progress.first_score is None else round(100 * self.progress.first_score)

    @property
    def best_percent(self):
        return None if self.progress.best_score is None else round(100 * self.progress.best_score)

    @property
    def minutes(self) -> int:
        return round(self.progress.time_spent_seconds / 60)


@dataclass(frozen=True)
class Row:
    learner: User
    cells: list  # Cell, or None where the item is not for this learner


@dataclass(frozen=True)
class HelpNeeded:
    learner: User
    title: str
    wrong: bool
    wrong_answers: int
    last_activity_at: object


@dataclass(frozen=True)
class Dashboard:
    items: list[Item]
    rows: list[Row]
    needs_help: list[HelpNeeded]
    learner_count: int


def _cell_status(progress: ProgressCell, due: date | None, today: date) -> str:
    if progress.status == LessonStatus.COMPLETED:
        return FINISHED
    if due and due < today:
        return LATE
    return BUSY if progress.status == LessonStatus.IN_PROGRESS else NOT_STARTED


def group_dashboard(*, group, language: str, status: str = "", request=None, now=None) -> Dashboard:
    """Learners x assignments with their progress, and who needs help now.

    A fixed number of queries: learners, assignments (+ their learners), one page lookup for the
    titles, the three of `group_progress` and one for `learners_needing_help`.
    `status` keeps only learners with at least one item in that status.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    learners = list(group_learners(group=group))
    assignments = list(group_assignments(group=group))
    keys = {assignment.target_key for assignment in assignments}
    pages = pages_by_translation_key(keys=keys, language=language, request=request)
    items = [
        Item(
            assignment=assignment,
            title=pages[assignment.target_key].title if assignment.target_key in pages else _("(page removed)"),
            url=pages[assignment.target_key].url if assignment.target_key in pages else "",
            for_user_ids=frozenset(learner.pk for learner in assignment.learners.all()) or None,
        )
        for assignment in assignments
    ]
    user_ids = [learner.pk for learner in learners]
    cells = group_progress(
        user_ids=user_ids,
        lesson_keys={a.target_key for a in assignments if a.kind == AssignmentKind.LESSON},
        module_keys={a.target_key for a in assignments if a.kind == AssignmentKind.MODULE},
    )
    rows = []
    for learner in learners:
        row_cells = []
        for item in items:
            if item.for_user_ids is not None and learner.pk not in item.for_user_ids:
                row_cells.append(None)
                continue
            progress = cells.get((learner.pk, item.assignment.target_key), NOT_STARTED_CELL)
            row_cells.append(Cell(status=_cell_status(progress, item.assignment.due, today), progress=progress))
        if status and not any(cell and cell.status == status for cell in row_cells):
            continue
        rows.append(Row(learner=learner, cells=row_cells))
    signals = learners_needing_help(user_ids=user_ids, now=now)
    by_id = {learner.pk: learner for learner in learners}
    help_pages = pages_by_translation_key(
        keys={signal.lesson_key for signal in signals} - keys, language=language, request=request
    )
    help_pages.update(pages)
    needs_help = [
        HelpNeeded(
            learner=by_id[signal.user_id],
            title=help_pages[signal.lesson_key].title if signal.lesson_key in help_pages else _("(page removed)"),
            wrong=signal.reason == HELP_WRONG,
            wrong_answers=signal.wrong_answers,
            last_activity_at=signal.last_activity_at,
        )
        for signal in signals
    ]
    return Dashboard(items=items, rows=rows, needs_help=needs_help, learner_count=len(learners))


# --- Exports ---------------------------------------------------------------------------------------


def export_header() -> list[str]:
    return [
        _("Learner name"),
        _("Learner code"),
        _("Module or lesson"),
        _("Status"),
        _("First score (%)"),
        _("Best score (%)"),
        _("Hints"),
        _("Attempts"),
        _("Time spent (minutes)"),
        _("Last activity"),
    ]


def group_export_rows(*, group, language: str, now=None) -> Iterator[list]:
    """One row per learner and item that is for them, as plain values (no header)."""
    dashboard = group_dashboard(group=group, language=language, now=now)
    for row in dashboard.rows:
        sign_in = getattr(row.learner, "learner_sign_in", None)
        code = code_format(code=sign_in.code) if sign_in else ""
        for item, cell in zip(dashboard.items, row.cells, strict=True):
            if cell is None:
                continue
            last = cell.progress.last_activity_at
            yield [
                str(row.learner),
                code,
                item.title,
                cell.label,
                cell.first_percent,
                cell.best_percent,
                cell.progress.hints,
                cell.progress.attempts,
                cell.minutes,
                timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
            ]
