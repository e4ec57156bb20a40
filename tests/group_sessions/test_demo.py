"""The demo sessions from the city's offer (`load_demo_sessions`), as `make setup` loads them: a demo test."""

import io

from django.core.management import call_command
from django.utils import timezone

from accounts.demo import demo_users_ensure
from group_sessions.demo import DIGIDOKTER
from group_sessions.models import GroupSession, SeatBooking, SessionKind


def test_the_demo_sessions_come_from_the_citys_offer_once(demo_site):
    call_command("load_demo_sessions", stdout=io.StringIO())
    assert not GroupSession.objects.exists()  # no demo users yet: nothing made
    demo_users_ensure()
    call_command("load_demo_coaching", stdout=io.StringIO())
    call_command("load_demo_training", stdout=io.StringIO())
    call_command("load_demo_sessions", stdout=io.StringIO())
    kinds = sorted(GroupSession.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [SessionKind.DIGIDOKTER, SessionKind.WORKSHOP, SessionKind.WEBINAR, SessionKind.STAFF_TRAINING]
    )
    digidokter = GroupSession.objects.get(title=DIGIDOKTER)
    starts = [timezone.localtime(row.starts) for row in digidokter.occurrences.all()]
    assert starts and all(start.weekday() == 1 and start.day <= 7 for start in starts)
    assert "Predikheren" in digidokter.help_point.name
    assert SeatBooking.objects.get().learner.username == "leerling"
    counts = (GroupSession.objects.count(), SeatBooking.objects.count())
    call_command("load_demo_sessions", stdout=io.StringIO())
    assert (GroupSession.objects.count(), SeatBooking.objects.count()) == counts
