"""Whether a help point is open: pure time arithmetic on its opening hours, in Brussels wall-clock time.

No queries and no models: the help-points page (lessons/models.py) and the selectors both use it.
"""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import WEEKDAYS

# Help points keep their hours in Brussels wall-clock time, whatever the server's time zone.
BRUSSELS = ZoneInfo("Europe/Brussels")


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
