"""group_sessions' part of the data download, the erasure and handing over (see `accounts.privacy`).

A learner's seats are theirs: in their download, and deleted with them (the foreign key cascades, and
with a seat its notices). An organiser's sessions stay when they leave: the city still runs them, so
`hand_over` gives them to the other person and the erasure only drops their name from the organisers.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.privacy import DataSection, ProviderBase

from .models import GroupSession, SeatBooking


def _iso(value) -> str | None:
    return value.isoformat() if value else None


class GroupSessionsProvider(ProviderBase):
    name = "group_sessions"
    models = ("group_sessions.GroupSession", "group_sessions.SeatBooking")

    def data_sections(self, *, user) -> list[DataSection]:
        seats = [
            {
                "session": row.occurrence.session.title,
                "starts": _iso(timezone.localtime(row.occurrence.starts)),
                "status": row.get_status_display(),
                "attended": row.attended,
                "asked_on": _iso(row.created_at),
                "reminders": ", ".join(sorted(str(notice.get_channel_display()) for notice in row.notices.all())),
            }
            for row in SeatBooking.objects.filter(learner=user)
            .select_related("occurrence__session")
            .prefetch_related("notices")
            .order_by("occurrence__starts", "pk")
        ]
        organised = [
            {"session": session.title, "kind": session.get_kind_display(), "first_date": _iso(session.first_date)}
            for session in GroupSession.objects.filter(organisers=user).order_by("first_date", "pk")
        ]
        return [
            DataSection(
                key="session_seats",
                title=_("Your seats at group sessions"),
                labels={
                    "session": _("Session"),
                    "starts": _("Starts"),
                    "status": _("Status"),
                    "attended": _("Was there"),
                    "reminders": _("Told by"),
                },
                rows=seats,
            ),
            DataSection(
                key="sessions_organised",
                title=_("Group sessions you organise"),
                labels={"session": _("Session"), "kind": _("Kind"), "first_date": _("First date")},
                rows=organised,
            ),
        ]

    def hand_over(self, *, from_user, to_user) -> None:
        for session in GroupSession.objects.filter(organisers=from_user).exclude(organisers=to_user):
            session.organisers.add(to_user)
