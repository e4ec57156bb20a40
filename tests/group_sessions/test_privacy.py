"""A learner's seats in their data download and erased with them; guests' phone numbers kept only briefly;
the demo sessions made once."""

import io
import json
import zipfile
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from accounts import services as account_services
from accounts.demo import demo_users_ensure
from accounts.privacy import privacy_models_covered
from group_sessions import booking
from group_sessions.demo import DIGIDOKTER
from group_sessions.models import GroupSession, SeatBooking, SessionKind
from group_sessions.retention import guest_phones_erase


def _download(client, user) -> dict:
    client.force_login(user)
    response = client.get("/nl/account/my-data/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("my-data.json"))


def test_a_learners_seats_are_in_their_download_and_nobody_elses(client, date_of, learner, other_learner):
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    booking.guest_request(occurrence_id=date_of.pk, first_name="Fatima", phone="0470123456")
    data = _download(client, learner)
    assert [row["session"] for row in data["session_seats"]] == ["Werken met je smartphone"]
    assert data["session_seats"][0]["status"] == "Ingeschreven"
    assert "Fatima" not in json.dumps(data)
    assert _download(client, other_learner)["session_seats"] == []


def test_the_organisers_sessions_are_in_their_download(client, coach, workshop):
    assert [row["session"] for row in _download(client, coach)["sessions_organised"]] == ["Werken met je smartphone"]


def test_erasing_a_learner_removes_their_seats_and_the_session_stays(date_of, learner):
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    account_services.person_erase(user=learner)
    assert not SeatBooking.objects.exists()
    assert GroupSession.objects.filter(pk=date_of.session_id).exists()


def test_the_registry_knows_the_models_with_a_person():
    assert {"group_sessions.GroupSession", "group_sessions.SeatBooking"} <= privacy_models_covered()


def test_a_guests_phone_number_is_erased_the_day_after_the_date(date_of):
    guest = booking.guest_request(occurrence_id=date_of.pk, first_name="Fatima", phone="0470123456")
    assert guest_phones_erase(now=date_of.ends + timedelta(hours=2)) == 0
    assert guest_phones_erase(now=date_of.ends + timedelta(days=1, minutes=1)) == 1
    guest.refresh_from_db()
    assert (guest.guest_first_name, guest.guest_phone) == ("Fatima", "")
    assert guest_phones_erase(now=date_of.ends + timedelta(days=2)) == 0


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
