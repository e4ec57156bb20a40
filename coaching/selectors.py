"""Reads for coaches: their groups, what the groups were given, and the progress of the group's learners.

Every read is scoped to a coach: a group is only found through `coach_groups`, so another coach's
group is simply not there. Progress is read only through `progress.selectors`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from accounts.credentials import code_format
from accounts.models import User
from accounts.selectors import coach_learners
from lessons.models import HelpPoint, LessonPage, ModulePage
from progress.assignments import AssignedItem
from progress.links import activity_links_for
from progress.models import LessonStatus
from progress.selectors import (
    HELP_IDLE,
    HELP_SAFETY,
    HELP_WRONG,
    NOT_STARTED_CELL,
    ProgressCell,
    group_progress,
    group_statuses,
    learners_needing_help,
    pages_by_translation_key,
    simulator_mistake_screens,
)
from sandboxes.models import Scenario
from sandboxes.selectors import scenario_titles_for, scenarios_for_language

from .models import Assignment, AssignmentKind, CardSheet, CoachGroup

# The status a coach filters on and reads in a cell. "late" is "not finished and past the due date".
NOT_STARTED = "not_started"
BUSY = "busy"
FINISHED = "finished"
LATE = "late"
STATUSES = (NOT_STARTED, BUSY, FINISHED, LATE)
FOR_NAMES_SHOWN = 10  # names shown beside a task given to some learners
DASHBOARD_PAGE_SIZE = 25  # learners per page of the dashboard: what a coach reads at once, and quick
EXPORT_CHUNK = 250  # learners read at a time by the exports, so memory stays flat for any group size
STATUS_ICONS = {NOT_STARTED: "○", BUSY: "◐", FINISHED: "✓", LATE: "!"}


def status_label(status: str) -> str:
    return {NOT_STARTED: _("Not started"), BUSY: _("Busy"), FINISHED: _("Finished"), LATE: _("Late")}[status]


def _status_labels() -> dict:
    """The four labels in the active language, looked up once per page rather than once per cell."""
    language = get_language()
    if _status_labels.cache.get("language") != language:
        _status_labels.cache = {"language": language, **{status: status_label(status) for status in STATUSES}}
    return _status_labels.cache


_status_labels.cache = {}


def coach_groups(*, coach) -> QuerySet:
    return (
        CoachGroup.objects.filter(coaches=coach)
        .select_related("help_point")
        .annotate(learner_count=Count("learners", distinct=True))
        .order_by(Lower("name"), "pk")
    )


def group_learners(*, group) -> QuerySet:
    return group.learners.select_related("learner_sign_in").order_by(Lower("display_name"), "pk")


def group_coaches(*, group) -> QuerySet:
    return group.coaches.order_by(Lower("display_name"), Lower("username"), "pk")


def group_learners_addable(*, coach, group) -> QuerySet:
    """The coach's own learners (accounts' `created_by`) who are not in the group yet."""
    return coach_learners(coach=coach).exclude(pk__in=group.learners.values("pk"))


def card_sheet_learners(*, coach, group) -> QuerySet:
    """Who can be on this coach's card sheet: their own learners in the group who sign in with a code."""
    return group_learners(group=group).filter(created_by=coach, learner_sign_in__isnull=False, is_active=True)


def card_sheets(*, coach, group) -> QuerySet:
    """A coach sees only the sheets they asked for: a sheet shows PINs, even to a fellow coach of the group."""
    return CardSheet.objects.filter(coach=coach, group=group)


def group_assignments(*, group) -> QuerySet:
    # Only what a name needs: a task given to half of a 2,000-learner group loads 1,000 of them.
    names = User.objects.only("pk", "display_name", "first_name", "last_name", "username").order_by("pk")
    return group.assignments.prefetch_related(Prefetch("learners", queryset=names))


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
    for scenario in scenarios_for_language(language):
        targets.append(Target(kind=AssignmentKind.SIMULATOR, key=scenario.translation_key, title=scenario.title))
    return targets


def _titles_and_links(*, keys, language: str, request=None) -> dict:
    """Pages (modules, lessons) and other activities (simulators) by translation key: PageLink each."""
    links = pages_by_translation_key(keys=keys, language=language, request=request)
    missing = set(keys) - set(links)
    if missing:
        links.update(activity_links_for(keys=missing, language=language, request=request))
    return links


def assignment_title(*, assignment, language: str) -> str:
    pages = _titles_and_links(keys={assignment.target_key}, language=language)
    return pages[assignment.target_key].title if assignment.target_key in pages else _("(page removed)")


def target_is_live(*, kind: str, key) -> bool:
    if kind == AssignmentKind.SIMULATOR:
        return Scenario.objects.filter(translation_key=key).exists()
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
    for_names: tuple = ()  # the first FOR_NAMES_SHOWN of them

    @property
    def for_more(self) -> int:
        return len(self.for_user_ids or ()) - len(self.for_names)


@lru_cache(maxsize=8)
def _cell_words(language: str) -> dict:
    """The words of a dashboard cell in one language, translated and HTML-escaped once.

    A page has 25 learners x 30 tasks = 750 cells; translating and escaping the same few sentences and
    month names for each of them was most of the dashboard's server time (bench/RESULTS.md). Only
    numbers (which need no escaping) and these escaped words go into a cell.
    """
    with override(language):
        return {
            "labels": {status: escape(status_label(status)) for status in STATUSES},
            "lessons": escape(_("%(done)s of %(total)s lessons")),
            "score": escape(_("Score: first %(first)s%%, best %(best)s%%")),
            "hints": escape(_("Hints: %(hints)s, attempts: %(attempts)s")),
            "last": escape(_("Last active: %(when)s")),
            "clicks": escape(_("Wrong clicks: %(wrong)s, safety errors: %(safety)s")),
            "wrong_screen": escape(_("Most wrong clicks on: %(screen)s")),
            "safety_screen": escape(_("Safety error on: %(screen)s")),
            "months": {number: escape(str(name)) for number, name in MONTHS.items()},
            "none": escape(_("Not for this learner")),
        }


@dataclass(frozen=True)
class Cell:
    status: str
    progress: ProgressCell
    # Simulators: the titles (coach's language) of the screens with most wrong clicks / safety errors.
    wrong_screen: str = ""
    safety_screen: str = ""

    @property
    def label(self) -> str:
        return _status_labels()[self.status]

    @property
    def html(self) -> str:
        """The cell's content (status in words and icon, then its facts), built in one go: 750 cells a page."""
        words = _cell_words(get_language())
        facts = self._facts(words)
        listed = '<ul class="cell-facts">' + "".join(f"<li>{fact}</li>" for fact in facts) + "</ul>" if facts else ""
        return mark_safe(  # noqa: S308 - only escaped words and numbers, see _cell_words
            f'<span class="cell-status cell-{self.status}"><span aria-hidden="true" class="cell-icon">'
            f"{self.icon}</span> {words['labels'][self.status]}</span>{listed}"
        )

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

    @property
    def facts(self) -> list[str]:
        """The lines under the status, in the coach's language (HTML-escaped)."""
        return self._facts(_cell_words(get_language()))

    def _facts(self, words: dict) -> list[str]:
        progress = self.progress
        if not progress.last_activity_at:
            return []
        lines = []
        if progress.lessons_total:
            lines.append(words["lessons"] % {"done": progress.lessons_completed, "total": progress.lessons_total})
        if self.first_percent is not None:
            lines.append(words["score"] % {"first": self.first_percent, "best": self.best_percent})
        lines.append(words["hints"] % {"hints": progress.hints, "attempts": progress.attempts})
        if progress.safety_errors is not None:  # a simulator: wrong clicks and safety errors apart
            lines.append(words["clicks"] % {"wrong": progress.wrong_answers, "safety": progress.safety_errors})
            if self.wrong_screen:
                lines.append(words["wrong_screen"] % {"screen": escape(self.wrong_screen)})
            if self.safety_screen:
                lines.append(words["safety_screen"] % {"screen": escape(self.safety_screen)})
        when = timezone.localtime(progress.last_activity_at)
        # The same as date_format(when, "j F H:i"), without a formatter object per cell.
        lines.append(words["last"] % {"when": f"{when.day} {words['months'][when.month]} {when:%H:%M}"})
        return lines


@dataclass(frozen=True)
class Row:
    learner: User
    cells: list  # Cell, or None where the item is not for this learner

    @property
    def cells_html(self) -> str:
        """The row's <td> cells in one string: a template loop over 750 cells costs more than the page."""
        none = f'<td><span class="cell-none">{_cell_words(get_language())["none"]}</span></td>'
        return mark_safe(  # noqa: S308 - Cell.html is escaped words and numbers
            "".join(f"<td>{cell.html}</td>" if cell else none for cell in self.cells)
        )


@dataclass(frozen=True)
class HelpNeeded:
    learner: User
    title: str
    wrong: bool
    wrong_answers: int  # a simulator: wrong clicks only
    last_activity_at: object
    reason: str = HELP_WRONG  # HELP_WRONG, HELP_IDLE or HELP_SAFETY
    simulator: bool = False
    safety_errors: int = 0
    screen: str = ""  # a simulator: the title of the screen it is about, in the coach's language
    went_on: bool = False  # after the safety Stop the learner tried the step again and went on

    @property
    def screen_isolated(self) -> str:
        """The screen title in <bdi>: a Dutch or English title inside an Arabic sentence keeps its place."""
        return format_html("<bdi>{}</bdi>", self.screen)

    @property
    def idle(self) -> bool:
        return self.reason == HELP_IDLE

    @property
    def safety(self) -> bool:
        """Stopped by a safety error: a talk about safety, not "stuck"."""
        return self.reason == HELP_SAFETY


@dataclass(frozen=True)
class MistakeScreen:
    title: str
    wrong: int  # wrong clicks
    safety: int  # safety errors, counted apart
    learners: int  # how many learners made them

    @property
    def count(self) -> int:
        return self.wrong + self.safety


@dataclass(frozen=True)
class SimulatorMistakes:
    """For one simulator the group played: the screens where its learners made most mistakes."""

    title: str
    screens: list[MistakeScreen]
    assigned: bool = True


@dataclass(frozen=True)
class Dashboard:
    items: list[Item]
    rows: list[Row]
    needs_help: list[HelpNeeded]
    learner_count: int
    simulator_mistakes: list = ()
    page: int = 1
    page_count: int = 1
    matching: int = 0  # learners with the chosen status (all learners without a status)

    @property
    def previous_page(self):
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self):
        return self.page + 1 if self.page < self.page_count else None


def _status_of(progress_status: str, due: date | None, today: date) -> str:
    if progress_status == LessonStatus.COMPLETED:
        return FINISHED
    if due and due < today:
        return LATE
    return BUSY if progress_status == LessonStatus.IN_PROGRESS else NOT_STARTED


def _cell_status(progress: ProgressCell, due: date | None, today: date) -> str:
    return _status_of(progress.status, due, today)


def _dashboard_items(*, group, language: str, request=None, extra_keys=()) -> tuple[list[Item], dict]:
    """The group's tasks with their titles and links: assignments (+ their learners) and one lookup of
    titles, which also covers `extra_keys` (the lessons of "needs help now")."""
    assignments = list(group.assignments.all())
    # Who each task is for, as plain tuples in one query: a task for 1,000 learners would otherwise
    # build 1,000 user objects. Names are kept for the first few only, to show beside the task.
    given: dict = {}
    names: dict = {}
    through = Assignment.learners.through.objects.filter(assignment__group=group).order_by("user_id")
    for assignment_id, user_id, display_name, username in through.values_list(
        "assignment_id", "user_id", "user__display_name", "user__username"
    ):
        given.setdefault(assignment_id, set()).add(user_id)
        if len(names.setdefault(assignment_id, [])) < FOR_NAMES_SHOWN:
            names[assignment_id].append(display_name or username)
    pages = _titles_and_links(
        keys={assignment.target_key for assignment in assignments} | set(extra_keys),
        language=language,
        request=request,
    )
    items = [
        Item(
            assignment=assignment,
            title=pages[assignment.target_key].title if assignment.target_key in pages else _("(page removed)"),
            url=pages[assignment.target_key].url if assignment.target_key in pages else "",
            for_user_ids=frozenset(given[assignment.pk]) if assignment.pk in given else None,
            for_names=tuple(names.get(assignment.pk, ())),
        )
        for assignment in assignments
    ]
    return items, pages


def _dashboard_rows(*, learners: list, items: list[Item], today: date, scenarios: dict | None = None) -> list[Row]:
    """Rows of cells for these learners: the queries of `group_progress`, whatever their number.

    `scenarios` ({key: ScenarioTitles}) names the screens in simulator cells; without it they are left out.
    """
    scenarios = scenarios or {}
    assignments = [item.assignment for item in items]
    cells = group_progress(
        user_ids=[learner.pk for learner in learners],
        lesson_keys={a.target_key for a in assignments if a.kind == AssignmentKind.LESSON},
        module_keys={a.target_key for a in assignments if a.kind == AssignmentKind.MODULE},
        simulator_keys={a.target_key for a in assignments if a.kind == AssignmentKind.SIMULATOR},
        simulator_screens=bool(scenarios),
    )
    rows = []
    for learner in learners:
        row_cells = []
        for item in items:
            if item.for_user_ids is not None and learner.pk not in item.for_user_ids:
                row_cells.append(None)
                continue
            key = item.assignment.target_key
            progress = cells.get((learner.pk, key), NOT_STARTED_CELL)
            screens = scenarios[key].screens if key in scenarios else {}
            row_cells.append(
                Cell(
                    status=_cell_status(progress, item.assignment.due, today),
                    progress=progress,
                    wrong_screen=screens.get(progress.wrong_screen, "") if progress.wrong_screen else "",
                    safety_screen=screens.get(progress.safety_screen, "") if progress.safety_screen else "",
                )
            )
        rows.append(Row(learner=learner, cells=row_cells))
    return rows


def _learner_ids_with_status(*, group, items: list[Item], today: date, status: str) -> list[int]:
    """The group's learners, in dashboard order, with at least one task in `status`.

    Looks at every learner of the group, but reads only ids and statuses (`group_statuses`): four
    queries and plain tuples, whatever the size of the group.
    """
    assignments = [item.assignment for item in items]
    statuses = group_statuses(
        user_ids=group.learners.values("pk"),
        lesson_keys={a.target_key for a in assignments if a.kind == AssignmentKind.LESSON},
        module_keys={a.target_key for a in assignments if a.kind == AssignmentKind.MODULE},
        simulator_keys={a.target_key for a in assignments if a.kind == AssignmentKind.SIMULATOR},
    )
    matching = []
    for user_id in group_learners(group=group).values_list("pk", flat=True):
        for item in items:
            if item.for_user_ids is not None and user_id not in item.for_user_ids:
                continue
            key, due = item.assignment.target_key, item.assignment.due
            if _status_of(statuses.get((user_id, key), LessonStatus.NOT_STARTED), due, today) == status:
                matching.append(user_id)
                break
    return matching


def group_dashboard(
    *,
    group,
    language: str,
    status: str = "",
    request=None,
    now=None,
    page: int = 1,
    per_page: int = DASHBOARD_PAGE_SIZE,
) -> Dashboard:
    """Learners x assignments with their progress, one page of learners at a time, and who needs help now.

    The same number of queries whatever the number of learners or tasks (bench/RESULTS.md lists them):
    the two of `learners_needing_help` over the whole group, assignments (+ their learners), one
    lookup of titles for the tasks and the lessons of "needs help now", the learner count and one page of
    learners, the queries of `group_progress` for the learners on the page (one per kind of task, two for
    simulators), the names of those who need help, the mistakes in every simulator the group played (one
    query), and one lookup of scenario and screen titles when any simulator is on the page.
    Only the page's learners are read and rendered: a table of 2,000 learners would be neither quick nor
    readable. `status` keeps only learners with at least one task in that status; it looks at every
    learner of the group, reading only their statuses (`_learner_ids_with_status`).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    group_ids = group.learners.values("pk")
    signals = learners_needing_help(user_ids=group_ids, now=now)
    items, pages = _dashboard_items(
        group=group,
        language=language,
        request=request,
        extra_keys={signal.lesson_key for signal in signals if not signal.simulator},
    )
    mistakes = simulator_mistake_screens(user_ids=group_ids)
    # Scenarios named on the page: assigned ones (their cells), played ones, those of "needs help now".
    scenario_keys = {item.assignment.target_key for item in items if item.assignment.kind == AssignmentKind.SIMULATOR}
    scenario_keys |= set(mistakes) | {signal.lesson_key for signal in signals if signal.simulator}
    scenarios = scenario_titles_for(translation_keys=scenario_keys, language=language)
    learners_query = group_learners(group=group)
    learner_count = learners_query.count()
    if status:
        matching_ids = _learner_ids_with_status(group=group, items=items, today=today, status=status)
        matching = len(matching_ids)
    else:
        matching = learner_count
    page_count = max(1, -(-matching // per_page))
    page = min(max(1, page), page_count)
    offset = (page - 1) * per_page
    if status:
        page_learners = list(learners_query.filter(pk__in=matching_ids[offset : offset + per_page]))
    else:
        page_learners = list(learners_query[offset : offset + per_page])
    rows = _dashboard_rows(learners=page_learners, items=items, today=today, scenarios=scenarios)
    # Also learners on other pages: one query, run whenever somebody needs help.
    by_id = User.objects.in_bulk({signal.user_id for signal in signals})
    return Dashboard(
        simulator_mistakes=_simulator_mistakes(items=items, mistakes=mistakes, scenarios=scenarios),
        items=items,
        rows=rows,
        needs_help=[_help_needed(signal, by_id[signal.user_id], pages, scenarios) for signal in signals],
        learner_count=learner_count,
        page=page,
        page_count=page_count,
        matching=matching,
    )


def _help_needed(signal, learner, pages: dict, scenarios: dict) -> HelpNeeded:
    """A signal in the coach's words: the lesson or simulator, and for a simulator the screen by its title."""
    if signal.simulator:
        scenario = scenarios.get(signal.lesson_key)
        title = scenario.title if scenario else _("(simulator removed)")
        screen = (scenario.screens.get(signal.screen, "") if scenario else "") if signal.screen else ""
    else:
        title = pages[signal.lesson_key].title if signal.lesson_key in pages else _("(page removed)")
        screen = ""
    return HelpNeeded(
        learner=learner,
        title=title,
        wrong=signal.reason == HELP_WRONG,
        wrong_answers=signal.wrong_answers,
        last_activity_at=signal.last_activity_at,
        reason=signal.reason,
        simulator=signal.simulator,
        safety_errors=signal.safety_errors,
        screen=screen,
        went_on=signal.went_on,
    )


def _simulator_mistakes(*, items: list[Item], mistakes: dict, scenarios: dict) -> list[SimulatorMistakes]:
    """Every simulator the group was given or played: the screens with most mistakes, given ones first."""
    given = [item.assignment.target_key for item in items if item.assignment.kind == AssignmentKind.SIMULATOR]
    played = sorted(
        (key for key in mistakes if key not in given and key in scenarios),
        key=lambda key: scenarios[key].title.lower(),
    )
    titles = {item.assignment.target_key: item.title for item in items}
    result = []
    for key in dict.fromkeys(given + played):
        scenario = scenarios.get(key)
        screen_titles = scenario.screens if scenario else {}
        screens = [
            MistakeScreen(
                title=screen_titles.get(count.screen, count.screen),
                wrong=count.wrong,
                safety=count.safety,
                learners=count.learners,
            )
            for count in mistakes.get(key, [])
        ]
        title = titles.get(key) or (scenario.title if scenario else _("(simulator removed)"))
        result.append(SimulatorMistakes(title=title, screens=screens, assigned=key in titles))
    return result


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
    """One row per learner and item that is for them, as plain values (no header).

    Learners are read `EXPORT_CHUNK` at a time (with their progress), so a group of any size is
    written with the memory of one chunk; rows are produced as they are needed.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    items, _pages = _dashboard_items(group=group, language=language)
    ids = list(group.learners.order_by(Lower("display_name"), "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        by_id = {learner.pk: learner for learner in group_learners(group=group).filter(pk__in=chunk)}
        learners = [by_id[pk] for pk in chunk if pk in by_id]
        for row in _dashboard_rows(learners=learners, items=items, today=today):
            sign_in = getattr(row.learner, "learner_sign_in", None)
            code = code_format(code=sign_in.code) if sign_in else ""
            for item, cell in zip(items, row.cells, strict=True):
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
