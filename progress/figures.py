"""Programme figures: counts over many learners, for the city's coordinator (read by coaching.figures).

Aggregates only: every function answers counts grouped by month, module or simulator scenario, read from
the per-learner aggregates (`LessonProgress`, `ModuleProgress`, `SimulatorAttempt`), never from raw
statements, and never a row per learner. Small counts are *not* hidden here: the caller suppresses them
(coaching.figures) before anything is shown or exported, because a rate must be suppressed together
with the counts it comes from.

`users` is a queryset of the learners to count (for example everyone with the learner role, or the
learners of the groups of one help point); it is used as a subquery, so it can be of any size.
"""

from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from .models import LessonProgress, LessonStatus, ModuleProgress, SimulatorAttempt


def _ids(users: QuerySet) -> QuerySet:
    return users.values("pk")


def learners_reached_by_month(*, users: QuerySet, since: datetime) -> dict[date, int]:
    """{first day of month: learners who started at least one lesson in that month}. One query."""
    rows = (
        LessonProgress.objects.filter(user__in=_ids(users), started_at__gte=since)
        .annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(learners=Count("user", distinct=True))
        .order_by("month")
    )
    return {
        (row["month"].date() if isinstance(row["month"], datetime) else row["month"]): row["learners"] for row in rows
    }


def lesson_totals(*, users: QuerySet, since: datetime) -> dict:
    """Learners who started a lesson, lessons started and lessons finished, since `since`. One query."""
    return LessonProgress.objects.filter(user__in=_ids(users), started_at__gte=since).aggregate(
        learners=Count("user", distinct=True),
        learners_finished=Count("user", distinct=True, filter=Q(status=LessonStatus.COMPLETED)),
        started=Count("pk"),
        finished=Count("pk", filter=Q(status=LessonStatus.COMPLETED)),
    )


def module_figures(*, users: QuerySet, since: datetime) -> dict:
    """{module key: {"learners": started it, "finished": finished it}} for modules started since `since`."""
    rows = (
        ModuleProgress.objects.filter(user__in=_ids(users), started_at__gte=since)
        .values("module_key")
        .annotate(
            learners=Count("user", distinct=True),
            finished=Count("user", distinct=True, filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    )
    return {row["module_key"]: {"learners": row["learners"], "finished": row["finished"]} for row in rows}


def cohort_figures(*, users: QuerySet, since: datetime) -> dict:
    """For one group of learners (say, one help point): who started a lesson, who finished a module."""
    lessons = LessonProgress.objects.filter(user__in=_ids(users), started_at__gte=since).aggregate(
        learners=Count("user", distinct=True),
        learners_finished=Count("user", distinct=True, filter=Q(status=LessonStatus.COMPLETED)),
    )
    modules = ModuleProgress.objects.filter(
        user__in=_ids(users), started_at__gte=since, completed_at__isnull=False
    ).aggregate(finished_module=Count("user", distinct=True))
    return {**lessons, **modules}


def simulator_figures(*, users: QuerySet, since: datetime) -> dict:
    """{scenario key: {"learners": finished an attempt, "passed": passed at least once}}. One query.

    Only finished attempts count: an attempt left halfway says nothing about success.
    """
    rows = (
        SimulatorAttempt.objects.filter(user__in=_ids(users), started_at__gte=since, completed_at__isnull=False)
        .values("scenario_key")
        .annotate(learners=Count("user", distinct=True), passed=Count("user", distinct=True, filter=Q(passed=True)))
        .order_by()
    )
    return {row["scenario_key"]: {"learners": row["learners"], "passed": row["passed"]} for row in rows}


def visits_followed_by_practice(*, visits) -> set:
    """Which visits were followed by practice: for the group-session figures (follow-up practice).

    `visits` are (visit id, user id, keys, start, end): someone came to a session on `start` and we ask
    whether they practised one of its modules, lessons or simulators (translation keys) before `end`.
    Three queries whatever the number of visits. Read from the aggregates: a lesson or module row counts
    when its span of activity (started .. last activity) meets the window, a simulator attempt when it
    started in it. Answers visit ids only; the caller turns them into a suppressed count.
    """
    visits = [visit for visit in visits if visit[2]]
    if not visits:
        return set()
    user_ids = {visit[1] for visit in visits}
    keys = {key for visit in visits for key in visit[2]}
    earliest, latest = min(visit[3] for visit in visits), max(visit[4] for visit in visits)
    spans: dict = {}  # (user id, key) -> [(start, last activity)]

    def collect(rows):
        for user_id, key, started, last in rows:
            if key is not None:
                spans.setdefault((user_id, key), []).append((started, last))

    window = Q(user_id__in=user_ids, started_at__lte=latest, last_activity_at__gte=earliest)
    lessons = LessonProgress.objects.filter(window).filter(Q(lesson_key__in=keys) | Q(module_key__in=keys))
    rows = list(lessons.values_list("user_id", "lesson_key", "module_key", "started_at", "last_activity_at"))
    collect((user, lesson, started, last) for user, lesson, _module, started, last in rows)
    collect((user, module, started, last) for user, _lesson, module, started, last in rows)
    collect(
        ModuleProgress.objects.filter(window, module_key__in=keys).values_list(
            "user_id", "module_key", "started_at", "last_activity_at"
        )
    )
    collect(
        (user, key, started, started)
        for user, key, started in SimulatorAttempt.objects.filter(
            user_id__in=user_ids, scenario_key__in=keys, started_at__gte=earliest, started_at__lte=latest
        ).values_list("user_id", "scenario_key", "started_at")
    )
    followed = set()
    for visit_id, user_id, visit_keys, start, end in visits:
        if any(
            started <= end and last >= start for key in visit_keys for started, last in spans.get((user_id, key), ())
        ):
            followed.add(visit_id)
    return followed
