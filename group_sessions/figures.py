"""Group-session figures for the city's coordinator: dates held, seats taken, who came, practice after.

Counted per help point (online sessions apart) and per target group, over the same months as the rest
of the programme figures. A count of people below `MIN_COUNT` reads "fewer than 5", and a share that
could give such a count away is not shown (coaching.figures.suppress and rate, the same rules as the
rest of the page). The number of dates held is not about people and is shown as it is.

Staff training moments are left out: they are the city's own staff, not the programme's learners.

Follow-up practice: a learner who came and then practised one of the session's modules, lessons or
simulators within FOLLOW_UP_DAYS of the date (progress.figures.visits_followed_by_practice). Every count is
of times someone came: a person at two dates counts twice.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from coaching.figures import FigureSection, rate, show, suppress
from lessons.choices import TargetGroup
from lessons.models import HelpPoint
from progress.figures import visits_followed_by_practice

from .models import BookingStatus, SeatBooking, SessionItem, SessionKind, SessionOccurrence

FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class SessionRow:
    label: str
    sessions: int
    seats: int | None
    came: int | None
    came_rate: int | None
    practised: int | None
    practised_rate: int | None

    @property
    def seats_text(self) -> str:
        return show(self.seats)

    @property
    def came_text(self) -> str:
        return show(self.came)

    @property
    def came_rate_text(self) -> str:
        return show(self.came_rate, " %")

    @property
    def practised_text(self) -> str:
        return show(self.practised)

    @property
    def practised_rate_text(self) -> str:
        return show(self.practised_rate, " %")


@dataclass(frozen=True)
class SessionFigures:
    days: int
    help_points: list[SessionRow]
    target_groups: list[SessionRow]


@dataclass
class _Tally:
    sessions: int = 0
    seats: int = 0
    came: int = 0
    practised: int = 0

    def add(self, other: "_Tally") -> None:
        self.sessions += other.sessions
        self.seats += other.seats
        self.came += other.came
        self.practised += other.practised

    def row(self, label: str) -> SessionRow:
        seats, came, practised = suppress(self.seats), suppress(self.came), suppress(self.practised)
        return SessionRow(
            label=label,
            sessions=self.sessions,
            seats=seats,
            came=came,
            came_rate=rate(came, seats),
            practised=practised,
            practised_rate=rate(practised, came),
        )


def _point_names(language: str) -> dict:
    names = {}
    for code in (settings.LANGUAGE_CODE, language):
        names.update(dict(HelpPoint.objects.filter(locale__language_code=code).values_list("translation_key", "name")))
    return names


def session_figures(*, language: str, since, now) -> SessionFigures:
    """Nine queries whatever the number of dates: the dates, the seats, who came, the covered items, three
    for the practice afterwards and two for the help points' names."""
    dates = list(
        SessionOccurrence.objects.filter(starts__gte=since, starts__lte=now, cancelled_at__isnull=True)
        .exclude(session__kind=SessionKind.STAFF_TRAINING)
        .select_related("session__help_point")
    )
    ids = [occurrence.pk for occurrence in dates]
    counts = {
        row["occurrence_id"]: row
        for row in SeatBooking.objects.filter(occurrence_id__in=ids, status=BookingStatus.CONFIRMED)
        .values("occurrence_id")
        .annotate(seats=Count("pk"), came=Count("pk", filter=Q(attended=True)))
        .order_by()
    }
    present: dict[int, list[int]] = {}
    for occurrence_id, learner_id in SeatBooking.objects.filter(
        occurrence_id__in=ids, status=BookingStatus.CONFIRMED, attended=True, learner__isnull=False
    ).values_list("occurrence_id", "learner_id"):
        present.setdefault(occurrence_id, []).append(learner_id)
    covered: dict[int, set] = {}
    for session_id, key in SessionItem.objects.filter(session__occurrences__in=ids).values_list(
        "session_id", "target_key"
    ):
        covered.setdefault(session_id, set()).add(key)

    visits = [
        (
            (occurrence.pk, learner_id),
            learner_id,
            covered.get(occurrence.session_id, set()),
            occurrence.starts,
            occurrence.starts + timedelta(days=FOLLOW_UP_DAYS),
        )
        for occurrence in dates
        for learner_id in present.get(occurrence.pk, [])
    ]
    followed = visits_followed_by_practice(visits=visits)

    by_point: dict = {}
    by_group: dict = {}
    for occurrence in dates:
        row = counts.get(occurrence.pk, {})
        practised = sum(1 for learner_id in present.get(occurrence.pk, []) if (occurrence.pk, learner_id) in followed)
        tally = _Tally(sessions=1, seats=row.get("seats", 0), came=row.get("came", 0), practised=practised)
        point = occurrence.session.help_point
        by_point.setdefault(point.translation_key if point else None, _Tally()).add(tally)
        for group in [value for value in occurrence.session.target_groups if value in TargetGroup.values] or [None]:
            by_group.setdefault(group, _Tally()).add(tally)

    names = _point_names(language)
    help_points = sorted(
        (
            tally.row(names.get(key, _("(help point removed)")) if key else _("Online"))
            for key, tally in by_point.items()
        ),
        key=lambda row: row.label.lower(),
    )
    target_groups = sorted(
        (tally.row(TargetGroup(key).label if key else _("Everyone")) for key, tally in by_group.items()),
        key=lambda row: row.label.lower(),
    )
    return SessionFigures(days=FOLLOW_UP_DAYS, help_points=help_points, target_groups=target_groups)


def csv_rows(figures: SessionFigures) -> list[list[str]]:
    rows = [
        [
            _("Group sessions"),
            _("Name"),
            _("Dates held"),
            _("Seats taken"),
            _("Came"),
            _("Share who came"),
            _("Practised afterwards"),
            _("Share who practised afterwards"),
        ]
    ]
    for part, part_rows in ((_("Help point"), figures.help_points), (_("Target group"), figures.target_groups)):
        for row in part_rows:
            rows.append(
                [
                    part,
                    row.label,
                    str(row.sessions),
                    row.seats_text,
                    row.came_text,
                    row.came_rate_text,
                    row.practised_text,
                    row.practised_rate_text,
                ]
            )
    return rows


def session_figures_section(*, language: str, since, now) -> FigureSection:
    """Registered with coaching.figures (apps.py): the group-session part of the coordinator's page."""
    figures = session_figures(language=language, since=since, now=now)
    return FigureSection(template="group_sessions/run_figures.html", data=figures, csv_rows=csv_rows(figures))
