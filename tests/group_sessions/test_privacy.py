"""A learner's seats in their data download and erased with them; guests' phone numbers kept only briefly;
the demo sessions made once (test_demo.py)."""

import io
import json
import zipfile
from datetime import timedelta

from accounts import services as account_services
from accounts.privacy import privacy_models_covered
from group_sessions import booking
from group_sessions.models import GroupSession, SeatBooking
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
