"""Programme figures for the city's coordinator: the numbers, their suppression, and the chart's geometry.

The counts come from `progress.figures` (aggregates only). Here every count below `MIN_COUNT` becomes
"fewer than 5" (`None` in the rows) before anything is shown or exported, and so does every rate whose
numerator, denominator or the difference between them is below `MIN_COUNT`: with "98 %" of 100 learners
anyone could work out that 2 did not finish. There are no totals over the suppressed rows either, so a
hidden count cannot be found by subtraction from a total on the same page.

Help points: a learner belongs to the help point of each coaching group they are in (`CoachGroup.help_point`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from lessons.models import HelpPoint
from progress import figures
from progress.selectors import pages_by_translation_key

from .models import CoachGroup

MIN_COUNT = 5
MONTHS = 12


def suppress(count: int | None) -> int | None:
    return count if count is not None and count >= MIN_COUNT else None


def rate(part: int | None, whole: int | None) -> int | None:
    """A percentage, or None when it could give away a count below MIN_COUNT."""
    if part is None or whole is None or whole < MIN_COUNT or part < MIN_COUNT or whole - part < MIN_COUNT:
        return None
    return round(100 * part / whole)


def show(value: int | None, suffix: str = "") -> str:
    """How a figure reads on the page and in the CSV: a number, or "fewer than 5" in words."""
    if value is None:
        if suffix:
            return _("not shown (fewer than %(count)s)") % {"count": MIN_COUNT}
        return _("fewer than %(count)s") % {"count": MIN_COUNT}
    return f"{value}{suffix}"


@dataclass(frozen=True)
class FigureRow:
    label: str
    learners: int | None  # None: fewer than MIN_COUNT
    finished: int | None
    rate: int | None

    @property
    def learners_text(self) -> str:
        return show(self.learners)

    @property
    def finished_text(self) -> str:
        return show(self.finished)

    @property
    def rate_text(self) -> str:
        return show(self.rate, " %")


def _row(label: str, learners: int, finished: int) -> FigureRow:
    return FigureRow(
        label=label, learners=suppress(learners), finished=suppress(finished), rate=rate(finished, learners)
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)
    width: int = 720
    height: int = 260
    baseline: float = 220
    max_value: int = 0


@dataclass(frozen=True)
class ProgrammeFigures:
    since: date
    months: list[FigureRow]
    chart: Chart
    totals: FigureRow  # learners who started a lesson, and how many of them finished one
    lessons: FigureRow  # lessons started and finished
    help_points: list[FigureRow]
    modules: list[FigureRow]
    simulators: list[FigureRow]
    # Figures of apps above coaching (group sessions), registered with figure_section_register.
    sections: list = field(default_factory=list)


@dataclass(frozen=True)
class FigureSection:
    """A part of the figures page that another app computes: its template, its data, its CSV rows.

    The app suppresses small counts itself, with `suppress` and `rate` from here, before building it.
    """

    template: str
    data: object
    csv_rows: list


# builder(*, language, since, now) -> FigureSection
_section_builders: list = []


def figure_section_register(builder) -> None:
    if builder not in _section_builders:
        _section_builders.append(builder)


def _month_starts(today: date, count: int) -> list[date]:
    months, year, month = [], today.year, today.month
    for _step in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _chart(rows: list[FigureRow]) -> Chart:
    chart = Chart()
    top, left, right = 30, 10, 10
    slot = (chart.width - left - right) / max(1, len(rows))
    chart.max_value = max([row.learners or 0 for row in rows] + [MIN_COUNT])
    usable = chart.baseline - top
    for index, row in enumerate(rows):
        height = usable * (row.learners or 0) / chart.max_value
        x = left + index * slot + slot * 0.15
        chart.bars.append(
            Bar(
                label=row.label,
                value=row.learners,
                text=row.learners_text if row.learners is not None else "< 5",
                x=round(x, 1),
                y=round(chart.baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                value_y=round(chart.baseline - height - 6, 1),
            )
        )
    return chart


def programme_learners() -> QuerySet:
    """Whom the programme counts: people with the learner role (not coaches or staff trying a lesson)."""
    return User.objects.filter(groups__name=roles.LEARNERS, is_active=True)


def _scenario_titles(keys, language: str) -> dict:
    try:  # the simulator app names its scenarios; without it the figures still work
        from sandboxes.models import Scenario
    except ImportError:
        return {}
    titles = {}
    for code in (settings.LANGUAGE_CODE, language):
        titles.update(
            dict(
                Scenario.objects.filter(translation_key__in=keys, locale__language_code=code).values_list(
                    "translation_key", "title"
                )
            )
        )
    return titles


def _help_point_names(language: str) -> dict:
    """{translation key: name}, in `language` where translated; groups may point at any locale's copy."""
    names = {}
    for code in (settings.LANGUAGE_CODE, language):
        names.update(dict(HelpPoint.objects.filter(locale__language_code=code).values_list("translation_key", "name")))
    return names


def programme_figures(*, language: str, now: datetime | None = None) -> ProgrammeFigures:
    now = now or timezone.now()
    month_starts = _month_starts(timezone.localdate(now), MONTHS)
    since = timezone.make_aware(datetime.combine(month_starts[0], time.min))
    learners = programme_learners()

    reached = figures.learners_reached_by_month(users=learners, since=since)
    months = [
        FigureRow(label=_month_label(month), learners=suppress(reached.get(month, 0)), finished=None, rate=None)
        for month in month_starts
    ]
    totals = figures.lesson_totals(users=learners, since=since)

    names = _help_point_names(language)
    by_point: dict = {}
    for group in CoachGroup.objects.filter(help_point__isnull=False).select_related("help_point"):
        by_point.setdefault(group.help_point.translation_key, []).append(group.pk)
    help_points = []
    for key, group_ids in by_point.items():
        cohort = figures.cohort_figures(users=learners.filter(learner_groups__in=group_ids).distinct(), since=since)
        help_points.append(
            _row(names.get(key, _("(help point removed)")), cohort["learners"], cohort["finished_module"])
        )
    help_points.sort(key=lambda row: row.label.lower())

    per_module = figures.module_figures(users=learners, since=since)
    pages = pages_by_translation_key(keys=set(per_module), language=language)
    modules = sorted(
        (
            _row(pages[key].title if key in pages else _("(module removed)"), value["learners"], value["finished"])
            for key, value in per_module.items()
        ),
        key=lambda row: row.label.lower(),
    )

    per_scenario = figures.simulator_figures(users=learners, since=since)
    titles = _scenario_titles(set(per_scenario), language)
    simulators = sorted(
        (
            _row(titles.get(key) or _("Simulator %(key)s") % {"key": str(key)[:8]}, value["learners"], value["passed"])
            for key, value in per_scenario.items()
        ),
        key=lambda row: row.label.lower(),
    )
    return ProgrammeFigures(
        since=month_starts[0],
        months=months,
        chart=_chart(months),
        totals=_row(_("Learners"), totals["learners"], totals["learners_finished"]),
        lessons=_row(_("Lessons"), totals["started"], totals["finished"]),
        help_points=help_points,
        modules=modules,
        simulators=simulators,
        sections=[build(language=language, since=since, now=now) for build in _section_builders],
    )


def _month_label(month: date) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(month, "M Y")


def csv_rows(report: ProgrammeFigures) -> list[list[str]]:
    """The same figures as the page, suppressed the same way, as rows of text for a CSV file."""
    rows = [[_("Part"), _("Name"), _("Learners"), _("Finished"), _("Share finished")]]
    for row in report.months:
        rows.append([_("Learners who started a lesson, per month"), row.label, row.learners_text, "", ""])
    parts = [
        (_("Total"), [report.totals, report.lessons]),
        (_("Help point"), report.help_points),
        (_("Module"), report.modules),
        (_("Simulator (passed)"), report.simulators),
    ]
    for part, part_rows in parts:
        for row in part_rows:
            rows.append([part, row.label, row.learners_text, row.finished_text, row.rate_text])
    for section in report.sections:
        rows.extend(section.csv_rows)
    return rows
