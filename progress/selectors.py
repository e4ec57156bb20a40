"""Reads of learning records for learner pages and, later, coach and manager dashboards.

Everything reads the aggregates; nothing here scans the statement log except the learner's own
data export.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import Avg, Case, Count, F, Field, Max, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import get_language_info
from wagtail.models import Page

from .agenda import AgendaItem, agenda_for
from .assignments import AssignedItem, assignments_for
from .links import activity_links_for
from .models import LessonProgress, LessonStatus, ModuleProgress, SimulatorAttempt, Statement


@dataclass
class LearnerOverview:
    modules: list  # ModuleProgress, most recent first
    lessons: dict  # lesson_key -> LessonProgress
    resume_lesson_key: UUID | None
    completed_lessons: list  # LessonProgress, most recent first


def learner_overview(*, user, limit: int = 200) -> LearnerOverview:
    """Two queries, whatever the number of modules and lessons."""
    modules = list(ModuleProgress.objects.filter(user=user).order_by("-last_activity_at")[:limit])
    lessons = {
        row.lesson_key: row
        for row in LessonProgress.objects.filter(user=user).order_by("-last_activity_at")[: limit * 20]
    }
    resume = next((row.lesson_key for row in lessons.values() if row.status != LessonStatus.COMPLETED), None)
    completed = [row for row in lessons.values() if row.status == LessonStatus.COMPLETED]
    return LearnerOverview(modules=modules, lessons=lessons, resume_lesson_key=resume, completed_lessons=completed)


def lesson_progress_for(*, user, lesson_keys) -> dict:
    return {row.lesson_key: row for row in LessonProgress.objects.filter(user=user, lesson_key__in=list(lesson_keys))}


@dataclass(frozen=True)
class PageLink:
    """A page in the learner's language, or in the source language when it is not translated."""

    title: str
    url: str
    language: str
    direction: str


@dataclass
class LessonEntry:
    page: PageLink
    progress: LessonProgress
    module: PageLink | None

    @property
    def right_first_time(self) -> int:
        return sum(1 for answer in self.progress.answers.values() if answer.get("first"))

    @property
    def question_count(self) -> int:
        # Older records lack the count; then the answered questions are the best we know.
        return max(self.progress.question_count, len(self.progress.answers))

    @property
    def minutes(self) -> int:
        return round(self.progress.time_spent_seconds / 60)


@dataclass
class ModuleEntry:
    page: PageLink
    progress: ModuleProgress


@dataclass
class AssignedEntry:
    page: PageLink
    due: date | None
    note: str
    done: bool
    started: bool

    @property
    def overdue(self) -> bool:
        return bool(self.due and not self.done and self.due < timezone.localdate())


@dataclass
class AgendaEntry:
    item: AgendaItem
    prepare: list[AssignedEntry]  # not finished yet, in the organiser's order


RECENT_COMPLETED = 12


@dataclass
class MyLearning:
    resume: LessonEntry | None
    modules: list[ModuleEntry]
    completed_lessons: list[LessonEntry]
    # One entry per scenario practised (SimulatorEntry), most recent first.
    simulator_attempts: list = field(default_factory=list)
    # Only the most recent finished lessons are listed; the page says how many there are in all.
    completed_count: int = 0
    # Tasks from a coach, and required staff training: shown first, apart, each by its date.
    assigned: list[AssignedEntry] = field(default_factory=list)
    required: list[AssignedEntry] = field(default_factory=list)
    # The next group session the learner joined, and what to practise for it that is not done yet.
    next_session: "AgendaEntry | None" = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.next_session
            or self.resume
            or self.modules
            or self.completed_lessons
            or self.simulator_attempts
            or self.assigned
            or self.required
        )


def pages_by_translation_key(*, keys, language: str, request=None) -> dict:
    """Live pages for Wagtail translation keys, in `language` or else the source language: one query.

    Reads Wagtail's own `Page` (title and URL are all a link needs), so `progress` stays free of the
    apps that own the page types: imports run lessons -> progress, never back.
    """
    keys = {key for key in keys if key}
    if not keys:
        return {}
    source = settings.LANGUAGE_CODE
    rows = (
        Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code__in={language, source})
        .annotate(language=F("locale__language_code"))
    )
    found: dict = {}
    for page in rows:
        if page.translation_key in found and page.language != language:
            continue
        found[page.translation_key] = page
    return {
        key: PageLink(
            title=page.title,
            url=page.get_url(request),
            language=page.language,
            direction="rtl" if get_language_info(page.language)["bidi"] else "ltr",
        )
        for key, page in found.items()
    }


@dataclass(frozen=True)
class SimulatorEntry:
    """A learner's practice in one scenario, over every attempt."""

    link: PageLink
    attempts: int
    passed: int
    best_score: int | None
    last_activity_at: object
    # Over every attempt: a safety error stays in the learner's result, also after a clean try.
    safety_errors: int = 0

    @property
    def done(self) -> bool:
        return self.passed > 0


def simulator_summaries(*, user_ids, scenario_keys=None) -> dict:
    """{(user id, scenario key): {"attempts", "passed", "best_score", "hints", "wrong", "safety", "last"}}.

    One query over the attempt aggregates whatever the number of learners and scenarios.
    """
    rows = SimulatorAttempt.objects.filter(user_id__in=list(user_ids))
    if scenario_keys is not None:
        rows = rows.filter(scenario_key__in=list(scenario_keys))
    summary = {}
    for row in (
        rows.values("user_id", "scenario_key")
        .annotate(
            n_attempts=Count("id"),
            n_passed=Count("id", filter=Q(passed=True)),
            top_score=Max("score", filter=Q(passed=True)),
            n_hints=Sum("hints"),
            n_wrong=Sum("wrong_actions"),
            n_safety=Sum("safety_errors"),
            n_time=Sum("duration_seconds"),
            n_last=Max("last_activity_at"),
        )
        .order_by()
    ):
        # Annotations may not share a model field's name, hence the prefixes, dropped here.
        summary[(row["user_id"], row["scenario_key"])] = {
            "attempts": row["n_attempts"],
            "passed": row["n_passed"],
            "best_score": row["top_score"],
            "hints": row["n_hints"],
            "wrong": row["n_wrong"],
            "safety": row["n_safety"],
            "time": row["n_time"],
            "last": row["n_last"],
        }
    return summary


def simulator_tried(*, user, scenario_key) -> bool:
    """Whether the learner started an attempt at this scenario before (anywhere: free practice or a lesson)."""
    return SimulatorAttempt.objects.filter(user=user, scenario_key=scenario_key).exists()


def simulator_learner_screens(*, user_ids, scenario_keys) -> dict:
    """{(user id, scenario key): (screen id with most wrong clicks, screen id with most safety errors)}
    over each learner's attempts ("" where there are none). One query over the attempt aggregates."""
    totals: dict = {}
    rows = SimulatorAttempt.objects.filter(user_id__in=list(user_ids), scenario_key__in=list(scenario_keys))
    for user_id, key, mistakes, safety in rows.values_list("user_id", "scenario_key", "mistakes", "safety_mistakes"):
        wrong_counts, safety_counts = totals.setdefault((user_id, key), ({}, {}))
        safety = safety or {}
        for screen, count in (mistakes or {}).items():
            unsafe = min(int(safety.get(screen, 0)), int(count))
            wrong_counts[screen] = wrong_counts.get(screen, 0) + int(count) - unsafe
            safety_counts[screen] = safety_counts.get(screen, 0) + unsafe
    return {pair: (_most(wrong_counts), _most(safety_counts)) for pair, (wrong_counts, safety_counts) in totals.items()}


@dataclass(frozen=True)
class MistakeScreenCount:
    """One screen of a scenario: wrong clicks and safety errors made there, and by how many learners."""

    screen: str
    wrong: int
    safety: int
    learners: int


def simulator_mistake_screens(*, user_ids, scenario_keys=None, limit: int = 5) -> dict:
    """{scenario key: [MistakeScreenCount]}: where these learners made most mistakes, most first.

    Every scenario they played unless `scenario_keys` narrows it: a coach also sees simulators they
    did not give. Wrong clicks and safety errors are counted apart (`mistakes` holds both, and
    `safety_mistakes` the safety part). One query over the per-attempt counts, never the statements.
    """
    rows = SimulatorAttempt.objects.filter(user_id__in=user_ids)
    if scenario_keys is not None:
        rows = rows.filter(scenario_key__in=list(scenario_keys))
    totals: dict = {}  # key -> screen -> [wrong, safety, {user ids}]
    for user_id, key, mistakes, safety in rows.values_list("user_id", "scenario_key", "mistakes", "safety_mistakes"):
        per_screen = totals.setdefault(key, {})
        safety = safety or {}
        for screen, count in (mistakes or {}).items():
            entry = per_screen.setdefault(screen, [0, 0, set()])
            unsafe = min(int(safety.get(screen, 0)), int(count))
            entry[0] += int(count) - unsafe
            entry[1] += unsafe
            entry[2].add(user_id)
    return {
        key: [
            MistakeScreenCount(screen=screen, wrong=wrong, safety=unsafe, learners=len(users))
            for screen, (wrong, unsafe, users) in sorted(
                per_screen.items(), key=lambda item: (-(item[1][0] + item[1][1]), -item[1][1], item[0])
            )[:limit]
        ]
        for key, per_screen in totals.items()
    }


def my_learning(*, user, language: str, request=None) -> MyLearning:
    """What the "My learning" page shows, in four queries whatever the number of modules and lessons.

    Two read the aggregates (`learner_overview`), one maps their translation keys to pages in the
    learner's language, and one reads the site root paths for the URLs (cached by Wagtail).
    Records whose page is gone (unpublished, deleted) are left out.
    """
    overview = learner_overview(user=user)
    lessons = list(overview.lessons.values())  # most recent first
    finished_rows = [row for row in lessons if row.status == LessonStatus.COMPLETED]
    open_rows = [row for row in lessons if row.status != LessonStatus.COMPLETED]
    # Only the pages the page shows are looked up: a learner with 500 finished lessons sees the most
    # recent ones and a count. Twice as many candidates as shown leave room for removed pages.
    shown = finished_rows[: RECENT_COMPLETED * 2] + open_rows[: RECENT_COMPLETED * 2]
    keys = {row.module_key for row in overview.modules} | {row.lesson_key for row in shown}
    keys |= {row.module_key for row in shown}
    assigned = assignments_for(user=user)
    keys |= {item.translation_key for item in assigned}
    agenda = agenda_for(user=user, language=language)[:1]
    prepare = [AssignedItem(translation_key=key) for item in agenda for key in item.prepare]
    keys |= {item.translation_key for item in prepare}
    pages = pages_by_translation_key(keys=keys, language=language, request=request)
    simulators = simulator_summaries(user_ids=[user.pk])
    others = {item.translation_key for item in [*assigned, *prepare] if item.translation_key not in pages}
    others |= {key for (_user, key) in simulators}
    pages.update(activity_links_for(keys=others, language=language, request=request))
    module_rows = {row.module_key: row for row in overview.modules}

    def lesson_entry(row):
        return LessonEntry(page=pages[row.lesson_key], progress=row, module=pages.get(row.module_key))

    completed = [row for row in finished_rows[: RECENT_COMPLETED * 2] if row.lesson_key in pages]
    resume = next((row for row in open_rows if row.lesson_key in pages), None)
    entries = [
        (item, _assigned_entry(item, pages[item.translation_key], module_rows, overview.lessons, simulators, user))
        for item in sorted(assigned, key=lambda item: (item.due is None, item.due or date.max))
        if item.translation_key in pages
    ]
    next_session = None
    if agenda:
        to_do = [
            _assigned_entry(item, pages[item.translation_key], module_rows, overview.lessons, simulators, user)
            for item in prepare
            if item.translation_key in pages
        ]
        next_session = AgendaEntry(item=agenda[0], prepare=[entry for entry in to_do if not entry.done])
    return MyLearning(
        next_session=next_session,
        resume=lesson_entry(resume) if resume else None,
        modules=[
            ModuleEntry(page=pages[row.module_key], progress=row) for row in overview.modules if row.module_key in pages
        ],
        completed_lessons=[lesson_entry(row) for row in completed[:RECENT_COMPLETED]],
        completed_count=len(finished_rows),
        simulator_attempts=[
            SimulatorEntry(
                link=pages[key],
                attempts=row["attempts"],
                passed=row["passed"],
                best_score=row["best_score"],
                last_activity_at=row["last"],
                safety_errors=row["safety"] or 0,
            )
            for (_user, key), row in sorted(simulators.items(), key=lambda item: item[1]["last"], reverse=True)
            if key in pages
        ],
        assigned=[entry for item, entry in entries if not item.required],
        required=[entry for item, entry in entries if item.required],
    )


def _assigned_entry(
    item, page: PageLink, module_rows: dict, lesson_rows: dict, simulators: dict, user
) -> AssignedEntry:
    """An assignment is a module, a lesson or a simulator; its state comes from the aggregates already read."""
    simulator = simulators.get((user.pk, item.translation_key))
    if simulator is not None:
        return AssignedEntry(page=page, due=item.due, note=item.note, done=simulator["passed"] > 0, started=True)
    module = module_rows.get(item.translation_key)
    lesson = lesson_rows.get(item.translation_key)
    if module is not None:
        return AssignedEntry(page=page, due=item.due, note=item.note, done=bool(module.completed_at), started=True)
    done = lesson is not None and lesson.status == LessonStatus.COMPLETED
    return AssignedEntry(page=page, due=item.due, note=item.note, done=done, started=lesson is not None)


def learner_statements_export(*, user):
    """Every statement of one learner, oldest first, streamed in chunks (for the data download)."""
    return (
        Statement.objects.filter(user=user)
        .order_by("stored", "id")
        .values_list("data", flat=True)
        .iterator(chunk_size=500)
    )


# --- Reads for coach dashboards (coaching) ---------------------------------------------------------


@dataclass(frozen=True)
class ProgressCell:
    """One learner's progress on one module or lesson, the same shape for both.

    For a module, scores are the average over its lessons the learner opened; hints, attempts and time
    are summed over them. `lessons_completed`/`lessons_total` are only set for modules.
    """

    status: str  # a LessonStatus value
    first_score: float | None = None
    best_score: float | None = None
    hints: int = 0
    attempts: int = 0
    wrong_answers: int = 0
    time_spent_seconds: int = 0
    last_activity_at: object = None
    lessons_completed: int | None = None
    lessons_total: int | None = None
    # Finished on evidence the server checked alone (H5P players' results left out); simulators are
    # replayed by the server, so a passed one is checked.
    checked: bool = False
    # Simulators only: safety errors, counted apart from the wrong clicks in `wrong_answers`, and the
    # screens (ids) with most of each over the learner's attempts.
    safety_errors: int | None = None
    wrong_screen: str = ""
    safety_screen: str = ""


NOT_STARTED_CELL = ProgressCell(status=LessonStatus.NOT_STARTED)


def group_progress(
    *, user_ids, lesson_keys=(), module_keys=(), simulator_keys=(), simulator_screens: bool = False
) -> dict:
    """{(user id, translation key): ProgressCell} for many learners and items in at most three queries.

    One query reads the lesson aggregates, one the module aggregates and one sums the lesson aggregates
    per module; simulators add one (two with `simulator_screens`, which fills each cell's screen ids with
    most wrong clicks and safety errors). The number of queries never grows with learners or items.
    Missing pairs are not started: callers use `NOT_STARTED_CELL`.
    """
    user_ids, lesson_keys, module_keys = list(user_ids), list(lesson_keys), list(module_keys)
    simulator_keys = list(simulator_keys)
    cells: dict = {}
    if not user_ids:
        return cells
    if simulator_keys:
        # A simulator is done once an attempt passed (no safety error); its score is the best passed one.
        # The screens with most mistakes cost one more query: only for those who name them (the coach).
        screens = (
            simulator_learner_screens(user_ids=user_ids, scenario_keys=simulator_keys) if simulator_screens else {}
        )
        for (user_id, key), row in simulator_summaries(user_ids=user_ids, scenario_keys=simulator_keys).items():
            best = row["best_score"]
            wrong_screen, safety_screen = screens.get((user_id, key), ("", ""))
            cells[(user_id, key)] = ProgressCell(
                status=LessonStatus.COMPLETED if row["passed"] else LessonStatus.IN_PROGRESS,
                first_score=None,
                best_score=best / 100 if best is not None else None,
                hints=row["hints"] or 0,
                attempts=row["attempts"],
                wrong_answers=row["wrong"] or 0,
                time_spent_seconds=row["time"] or 0,
                last_activity_at=row["last"],
                checked=bool(row["passed"]),
                safety_errors=row["safety"] or 0,
                wrong_screen=wrong_screen,
                safety_screen=safety_screen,
            )
    if lesson_keys:
        # Plain tuples, not model instances: a status filter over a whole group reads tens of thousands.
        for user_id, key, *fields in LessonProgress.objects.filter(
            user_id__in=user_ids, lesson_key__in=lesson_keys
        ).values_list(
            "user_id",
            "lesson_key",
            "status",
            "first_score",
            "best_score",
            "hints",
            "attempts",
            "wrong_answers",
            "time_spent_seconds",
            "last_activity_at",
            "checked_completed_at",
        ):
            *fields, checked_at = fields
            cells[(user_id, key)] = ProgressCell(*fields, checked=checked_at is not None)
    if module_keys:
        sums = {
            (row["user_id"], row["module_key"]): row
            for row in LessonProgress.objects.filter(user_id__in=user_ids, module_key__in=module_keys)
            .values("user_id", "module_key")
            .annotate(
                first=Avg("first_score"),
                best=Avg("best_score"),
                hint_sum=Sum("hints"),
                attempt_sum=Sum("attempts"),
                wrong_sum=Sum("wrong_answers"),
                time_sum=Sum("time_spent_seconds"),
            )
            .order_by()
        }
        for row in ModuleProgress.objects.filter(user_id__in=user_ids, module_key__in=module_keys):
            total = sums.get((row.user_id, row.module_key), {})
            cells[(row.user_id, row.module_key)] = ProgressCell(
                status=LessonStatus.COMPLETED if row.completed_at else LessonStatus.IN_PROGRESS,
                first_score=total.get("first"),
                best_score=total.get("best"),
                hints=total.get("hint_sum") or 0,
                attempts=total.get("attempt_sum") or 0,
                wrong_answers=total.get("wrong_sum") or 0,
                time_spent_seconds=total.get("time_sum") or 0,
                last_activity_at=row.last_activity_at,
                lessons_completed=row.lessons_completed,
                lessons_total=row.lessons_total,
                checked=row.checked_completed_at is not None,
            )
    return cells


def _key_number(field: str, keys: list):
    """SQL: the position of `field` in `keys`. Read back as small integers instead of UUIDs, because
    turning tens of thousands of UUID strings into objects was most of a status filter's time. The
    plain `Field` output has no converter: the database's integer is used as it comes, rather than
    passed through a per-row Python conversion (the other half of that time)."""
    return Case(
        *[When(**{field: key}, then=Value(number)) for number, key in enumerate(keys)],
        output_field=Field(),
    )


def group_statuses(*, user_ids, lesson_keys=(), module_keys=(), simulator_keys=()) -> dict:
    """{(user id, translation key): LessonStatus value} for many learners, in at most three queries.

    The light sibling of `group_progress` for a status filter over a whole group: only the status is
    read, as plain tuples of numbers, so 2,000 learners x 30 items stay quick. `user_ids` may be a
    queryset (kept as a subquery). Missing pairs are not started. The statuses are the ones
    `group_progress` gives.
    """
    if not hasattr(user_ids, "query"):
        user_ids = list(user_ids)
    lesson_keys, module_keys, simulator_keys = list(lesson_keys), list(module_keys), list(simulator_keys)
    statuses: dict = {}
    if simulator_keys:
        for user_id, number, passed in (
            SimulatorAttempt.objects.filter(user_id__in=user_ids, scenario_key__in=simulator_keys)
            .values("user_id", "scenario_key")
            .annotate(
                key_number=_key_number("scenario_key", simulator_keys), n_passed=Count("id", filter=Q(passed=True))
            )
            .values_list("user_id", "key_number", "n_passed")
            .order_by()
        ):
            statuses[(user_id, simulator_keys[number])] = LessonStatus.COMPLETED if passed else LessonStatus.IN_PROGRESS
    if lesson_keys:
        for user_id, number, status in (
            LessonProgress.objects.filter(user_id__in=user_ids, lesson_key__in=lesson_keys)
            .annotate(key_number=_key_number("lesson_key", lesson_keys))
            .values_list("user_id", "key_number", "status")
        ):
            statuses[(user_id, lesson_keys[number])] = status
    if module_keys:
        for user_id, number, completed in (
            ModuleProgress.objects.filter(user_id__in=user_ids, module_key__in=module_keys)
            .annotate(
                key_number=_key_number("module_key", module_keys),
                completed=Case(When(completed_at__isnull=False, then=Value(True)), default=Value(False)),
            )
            .values_list("user_id", "key_number", "completed")
        ):
            statuses[(user_id, module_keys[number])] = LessonStatus.COMPLETED if completed else LessonStatus.IN_PROGRESS
    return statuses


HELP_WRONG_ANSWERS = 3
HELP_WRONG_WINDOW_MINUTES = 30
HELP_IDLE_MINUTES = 10
# A session at a help point: work older than this is not "now" (and it does not depend on midnight).
HELP_SESSION_HOURS = 3

# Why a learner may need help now; the coaching app turns these into words.
HELP_WRONG = "wrong_answers"
HELP_IDLE = "idle"
HELP_SAFETY = "safety"  # a simulator attempt stopped by a safety error: not "stuck", but worth a talk


@dataclass(frozen=True)
class HelpSignal:
    user_id: int
    lesson_key: UUID  # the lesson, or the scenario for a simulator
    reason: str  # HELP_WRONG, HELP_IDLE or HELP_SAFETY
    wrong_answers: int  # for a simulator: wrong clicks only
    last_activity_at: object
    simulator: bool = False
    safety_errors: int = 0
    screen: str = ""  # simulator: the screen id it is about (most wrong clicks, the safety error, the last one)
    # HELP_SAFETY only: the learner tried the step again after the Stop and went on (not stopped for good).
    went_on: bool = False


def learners_needing_help(*, user_ids, now=None) -> list[HelpSignal]:
    """Learners who may be stuck right now, for the coach standing next to them. Two queries.

    The rule, per lesson aggregate:
    - repeated wrong actions: the lesson has 3 or more wrong answers in total and the learner worked on
      it in the last 30 minutes (the aggregate counts wrong answers over the whole lesson, not per visit,
      so recent activity is what ties them to this session);
    - no progress: the lesson is started but not finished, the learner worked on it in the last 3 hours (this session), and nothing
      happened for 10 minutes or more.
    A lesson that matches both is reported once, as wrong answers. For simulators the latest attempt of
    this session speaks for its scenario (an attempt left behind for a new one is no alarm):
    - stopped by a safety error in the last 30 minutes (its last action, or a failed end): HELP_SAFETY,
      never "nothing happened";
    - not finished, with 3 or more wrong clicks, active in the last 30 minutes: HELP_WRONG;
    - not finished and nothing happened for 10 minutes: HELP_IDLE.
    Safety errors are not wrong clicks: they are counted apart. Most recent first.
    """

    if not hasattr(user_ids, "query"):  # a queryset stays a subquery, not thousands of parameters
        user_ids = list(user_ids)
        if not user_ids:
            return []
    now = now or timezone.now()
    session_start = now - timedelta(hours=HELP_SESSION_HOURS)
    recent = now - timedelta(minutes=HELP_WRONG_WINDOW_MINUTES)
    idle_since = now - timedelta(minutes=HELP_IDLE_MINUTES)
    rows = (
        LessonProgress.objects.filter(user_id__in=user_ids)
        .filter(
            Q(wrong_answers__gte=HELP_WRONG_ANSWERS, last_activity_at__gte=recent)
            | Q(status=LessonStatus.IN_PROGRESS, last_activity_at__gte=session_start, last_activity_at__lte=idle_since)
        )
        .order_by("-last_activity_at")
        .values_list("user_id", "lesson_key", "wrong_answers", "last_activity_at")
    )
    signals = [
        HelpSignal(
            user_id=user_id,
            lesson_key=lesson_key,
            reason=HELP_WRONG if wrong >= HELP_WRONG_ANSWERS and last >= recent else HELP_IDLE,
            wrong_answers=wrong,
            last_activity_at=last,
        )
        for user_id, lesson_key, wrong, last in rows
    ]
    # Every attempt of this session (not only open ones): a newer one, finished or not, silences older ones.
    attempts = (
        SimulatorAttempt.objects.filter(user_id__in=user_ids, last_activity_at__gte=session_start)
        .order_by("-last_activity_at", "-pk")
        .values_list(
            "user_id",
            "scenario_key",
            "completed_at",
            "passed",
            "wrong_actions",
            "safety_errors",
            "mistakes",
            "safety_mistakes",
            "last_screen",
            "last_outcome",
            "last_activity_at",
        )
    )
    seen = set()
    for user_id, scenario_key, completed, passed, wrong, safety, mistakes, unsafe, screen, outcome, last in attempts:
        if (user_id, scenario_key) in seen:  # the most recent attempt speaks
            continue
        seen.add((user_id, scenario_key))
        reason = _simulator_help_reason(
            completed=completed is not None,
            passed=bool(passed),
            wrong=wrong,
            safety=safety,
            last_outcome=outcome,
            last=last,
            recent=recent,
            idle_since=idle_since,
        )
        if reason is None:
            continue
        if reason == HELP_SAFETY:
            # The safety error's screen: the last action's when that was it (older records: the map).
            screen = screen if outcome == "safety" else _most(unsafe) or screen
        elif reason == HELP_WRONG:
            wrong_only = {key: count - (unsafe or {}).get(key, 0) for key, count in (mistakes or {}).items()}
            screen = _most(wrong_only) or screen
        signals.append(
            HelpSignal(
                user_id=user_id,
                lesson_key=scenario_key,
                reason=reason,
                wrong_answers=wrong,
                last_activity_at=last,
                simulator=True,
                safety_errors=safety,
                screen=screen,
                went_on=reason == HELP_SAFETY and outcome not in ("safety", ""),
            )
        )
    return sorted(signals, key=lambda signal: signal.last_activity_at, reverse=True)


def _most(counts: dict | None) -> str:
    """The key with the highest positive count ("" when none); ties go to the first key by name."""
    best = sorted(((-count, key) for key, count in (counts or {}).items() if count > 0))
    return best[0][1] if best else ""


def _simulator_help_reason(
    *, completed: bool, passed: bool, wrong: int, safety: int, last_outcome: str, last, recent, idle_since
) -> str | None:
    """Why the latest attempt at a scenario calls for the coach, or None."""
    stopped = last_outcome == "safety" or (completed and not passed and safety > 0)
    if stopped:
        return HELP_SAFETY if last >= recent else None
    if completed:
        return None
    if wrong >= HELP_WRONG_ANSWERS and last >= recent:
        return HELP_WRONG
    if last <= idle_since:
        return HELP_IDLE
    return None
