"""Seats, cancellations, reminders and the calendar file: the rules every page relies on."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from group_sessions import booking, services
from group_sessions.ics import escape_text, fold, occurrence_ics
from group_sessions.models import BookingStatus, ReminderChannel, SeatBooking, SessionNotice
from group_sessions.notices import sign_in_notices_take
from training.models import Department, StaffMember, Team

from .conftest import session_data


def test_a_learner_signs_up_once_and_a_second_time_changes_nothing(date_of, learner):
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    with pytest.raises(ValidationError) as error:
        booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    assert error.value.code == "twice"
    assert SeatBooking.objects.filter(occurrence=date_of, learner=learner).count() == 1


def test_a_full_session_refuses_and_a_cancelled_seat_frees_it(date_of, learner, other_learner, django_user_model):
    third = django_user_model.objects.create_user("derde", display_name="Derde")
    first = booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    booking.seat_book(occurrence_id=date_of.pk, learner=other_learner)
    with pytest.raises(ValidationError) as error:
        booking.seat_book(occurrence_id=date_of.pk, learner=third)
    assert error.value.code == "full"
    assert not SeatBooking.objects.filter(learner=third).exists()
    booking.booking_cancel(booking_id=first.pk)
    booking.seat_book(occurrence_id=date_of.pk, learner=third)
    assert booking.seats_taken(date_of) == 2


def test_a_past_or_cancelled_date_refuses_a_seat(date_of, learner, coach):
    date_of.starts = timezone.now() - timedelta(hours=1)
    date_of.save()
    with pytest.raises(ValidationError) as error:
        booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    assert error.value.code == "past"
    date_of.starts = timezone.now() + timedelta(days=2)
    date_of.save()
    services.occurrence_cancel(user=coach, occurrence_id=date_of.pk, reason="De coach is ziek")
    with pytest.raises(ValidationError) as error:
        booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    assert error.value.code == "cancelled"
    assert not SeatBooking.objects.filter(learner=learner).exists()


def test_a_guest_request_waits_for_the_organiser_and_does_not_take_a_seat(date_of, coach, learner, other_learner):
    request = booking.guest_request(occurrence_id=date_of.pk, first_name=" Fatima ", phone="0470 12 34 56")
    assert (request.status, request.guest_first_name, request.guest_phone) == ("requested", "Fatima", "+32470123456")
    assert booking.seats_taken(date_of) == 0
    with pytest.raises(ValidationError):
        booking.guest_request(occurrence_id=date_of.pk, first_name="Fatima", phone="+32 470 12 34 56")
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    booking.seat_book(occurrence_id=date_of.pk, learner=other_learner)
    with pytest.raises(ValidationError) as error:  # full by the time the coach confirms
        booking.guest_confirm(booking_id=request.pk, by=coach)
    assert error.value.code == "full"
    request.refresh_from_db()
    assert request.status == BookingStatus.REQUESTED


@pytest.mark.parametrize("phone", ["12", "0470 12 34", "hallo", "+32 470 12 34 56 78 9", ""])
def test_a_bad_phone_number_is_refused(phone):
    with pytest.raises(ValidationError):
        booking.phone_normalise(phone)


def test_coaches_organise_only_at_their_own_help_points_or_online(coach, nekkerspoel, library):
    with pytest.raises(ValidationError) as error:
        services.session_save(user=coach, data=session_data(help_point=nekkerspoel), items=[])
    assert "help_point" in error.value.error_dict
    online = services.session_save(
        user=coach, data=session_data(kind="webinar", online_link="https://meet.example/x"), items=[]
    )
    assert online.session.occurrences.count() == 1
    with pytest.raises(ValidationError):  # a coach is no training manager
        services.session_save(user=coach, data=session_data(kind="staff_training", help_point=library), items=[])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": session_data()["starts_at"]}, "ends_at"),
        ({"first_date": timezone.localdate() - timedelta(days=1)}, "first_date"),
        ({"recurrence": "weekly", "repeat_until": timezone.localdate()}, "repeat_until"),
    ],
)
def test_bad_rules_make_nothing(coach, library, changes, field):
    data = session_data(help_point=library, **changes)
    if field == "repeat_until":
        data["first_date"] = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.session_save(user=coach, data=data, items=[])
    assert field in error.value.error_dict
    assert not coach.organised_sessions.exists()


def test_cancelling_a_date_tells_everyone_once(date_of, coach, learner, other_learner):
    learner.email = "marie@example.org"
    learner.save()
    guest = booking.guest_request(occurrence_id=date_of.pk, first_name="Fatima", phone="0470123456")
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    booking.seat_book(occurrence_id=date_of.pk, learner=other_learner)
    run = services.occurrence_cancel(user=coach, occurrence_id=date_of.pk, reason="De bib is dicht")
    assert (run.email, run.sms, run.sign_in) == (1, 1, 1)
    assert len(mail.outbox) == 1 and "De bib is dicht" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.occurrence_cancel(user=coach, occurrence_id=date_of.pk, reason="Nog eens")
    assert SessionNotice.objects.filter(reason="cancelled").count() == 3
    assert SessionNotice.objects.get(booking=guest).channel == ReminderChannel.SMS
    # The learner without e-mail reads it once, at the next sign-in.
    assert len(sign_in_notices_take(user=other_learner)) == 1
    assert sign_in_notices_take(user=other_learner) == []


def test_another_coach_cannot_cancel_or_change(date_of, other_coach):
    with pytest.raises(ValidationError):
        services.occurrence_cancel(user=other_coach, occurrence_id=date_of.pk, reason="Weg")
    date_of.refresh_from_db()
    assert date_of.cancelled_at is None


def test_cancelling_the_series_stops_new_dates(coach, library, learner):
    first = timezone.localdate() + timedelta(days=1)
    data = session_data(
        help_point=library, recurrence="weekly", first_date=first, repeat_until=first + timedelta(days=700)
    )
    session = services.session_save(user=coach, data=data, items=[]).session
    booking.seat_book(occurrence_id=session.occurrences.first().pk, learner=learner)
    run = services.session_cancel(user=coach, session_id=session.pk, reason="Het project stopt")
    assert run.claimed == 1
    assert not session.occurrences.filter(cancelled_at__isnull=True).exists()
    from group_sessions.occurrences import occurrences_extend

    occurrences_extend(today=timezone.localdate() + timedelta(days=60))
    assert not session.occurrences.filter(cancelled_at__isnull=True).exists()


def test_reminders_the_day_before_go_once_per_person_on_their_channel(date_of, learner, other_learner, _mail_and_sms):
    department = Department.objects.create(name="Groendienst")
    team = Team.objects.create(name="Ploeg 1", department=department)
    StaffMember.objects.create(
        user=other_learner,
        employee_number="G1",
        department=department,
        team=team,
        start_date=timezone.localdate(),
        phone="+32470000000",
    )
    learner.email = "marie@example.org"
    learner.save()
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    booking.seat_book(occurrence_id=date_of.pk, learner=other_learner)
    day_before = timezone.localtime(date_of.starts).date() - timedelta(days=1)
    assert services.reminders_run(today=day_before - timedelta(days=1)).claimed == 0
    run = services.reminders_run(today=day_before)
    assert (run.email, run.sms) == (1, 1)
    assert len(mail.outbox) == 1 and len(_mail_and_sms) == 1
    assert services.reminders_run(today=day_before).claimed == 0
    assert len(mail.outbox) == 1 and len(_mail_and_sms) == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_asking_for_the_last_seat_at_once_get_one_seat(coach, library, learner, other_learner):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL's row locks.")
    session = services.session_save(user=coach, data=session_data(help_point=library, seats=1), items=[]).session
    occurrence = session.occurrences.get()
    barrier, results = threading.Barrier(2), []

    def book(person):
        barrier.wait()
        try:
            booking.seat_book(occurrence_id=occurrence.pk, learner=person)
            results.append("seat")
        except ValidationError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(person,)) for person in (learner, other_learner)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["full", "seat"]
    assert booking.seats_taken(occurrence) == 1


def test_the_calendar_file_is_rfc5545_in_brussels_time_with_a_stable_uid(date_of):
    date_of.session.title = "Apps, privacy; en meer"
    text = occurrence_ics(occurrence=date_of, place="Bibliotheek Het Predikheren", url="https://example.org/x")
    again = occurrence_ics(occurrence=date_of, place="Bibliotheek Het Predikheren", url="https://example.org/x")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    uid = [line for line in lines if line.startswith("UID:")]
    assert uid == [line for line in again.split("\r\n") if line.startswith("UID:")]
    start = timezone.localtime(date_of.starts)
    assert f"DTSTART;TZID=Europe/Brussels:{start:%Y%m%dT%H%M%S}" in lines
    assert "TZID:Europe/Brussels" in lines
    assert "SUMMARY:Apps\\, privacy\\; en meer" in lines
    assert all(len(line.encode()) <= 75 for line in lines)


def test_long_lines_fold_without_breaking_a_character():
    line = "DESCRIPTION:" + escape_text("مرحبا بكم في الورشة " * 10)
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
