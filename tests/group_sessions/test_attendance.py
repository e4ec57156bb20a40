"""Running a date: ticking who came, bad lists that change nothing, walk-ins, and tasks for who came."""

import pytest
from django.urls import reverse

from accounts.credentials import code_format
from coaching.models import Assignment, CardSheet
from group_sessions import attendance
from group_sessions.models import SeatBooking
from lessons.models import LessonPage

from .factories import book, cover, make_occurrence, make_session

pytestmark = pytest.mark.django_db


def _url(name, occurrence):
    return reverse(f"group_sessions:{name}", kwargs={"pk": occurrence.pk})


def test_the_run_page_lists_learners_and_confirmed_guests_but_not_waiting_guests(coach_client, occurrence, bookings):
    book(occurrence, guest="Wacht", status="requested")
    html = coach_client.get(_url("run_occurrence", occurrence)).content.decode()
    for name in ("Marie", "Yusuf", "Noor", "Fatima"):
        assert name in html
    assert "Wacht" not in html
    assert html.count('type="checkbox" name="present"') == 4


def test_saving_who_came_marks_present_and_absent_and_the_time(coach_client, occurrence, bookings):
    marie, yusuf, noor, guest = bookings
    response = coach_client.post(_url("run_occurrence", occurrence), {"present": [marie.pk, guest.pk]})
    assert response.status_code == 302
    states = dict(SeatBooking.objects.filter(occurrence=occurrence).values_list("pk", "attended"))
    assert states == {marie.pk: True, yusuf.pk: False, noor.pk: False, guest.pk: True}
    occurrence.refresh_from_db()
    assert occurrence.attendance_recorded_at is not None
    page = coach_client.get(_url("run_occurrence", occurrence)).content.decode()
    assert "Opgeslagen: 2 mensen kwamen." in page


def test_a_booking_of_another_date_changes_nothing_and_says_why(coach_client, session, occurrence, bookings, learners):
    other_date = make_occurrence(session, days=-7)
    stranger = book(other_date, learners[0])
    response = coach_client.post(_url("run_occurrence", occurrence), {"present": [bookings[0].pk, stranger.pk]})
    assert response.status_code == 400
    assert "niet ingeschreven voor deze datum" in response.content.decode()
    assert not SeatBooking.objects.filter(attended__isnull=False).exists()
    occurrence.refresh_from_db()
    assert occurrence.attendance_recorded_at is None


def test_the_service_refuses_a_booking_of_another_date_too(coach, session, occurrence, bookings, learners):
    stranger = book(make_occurrence(session, days=-7), learners[1])
    with pytest.raises(Exception, match="niet ingeschreven|did not sign up"):
        attendance.attendance_save(occurrence=occurrence, by=coach, present_ids=[stranger.pk])
    assert not SeatBooking.objects.filter(attended__isnull=False).exists()


def test_a_date_of_a_session_someone_else_organises_answers_404(client, other_coach, occurrence, bookings):
    client.force_login(other_coach)
    assert client.get(_url("run_occurrence", occurrence)).status_code == 404
    assert client.post(_url("run_occurrence", occurrence), {"present": [bookings[0].pk]}).status_code == 404
    assert not SeatBooking.objects.filter(attended__isnull=False).exists()


def test_a_cancelled_or_future_date_cannot_be_ticked(coach_client, session, occurrence, bookings, learners):
    from django.utils import timezone

    later = make_occurrence(session, days=3)
    booking = book(later, learners[0])
    response = coach_client.post(_url("run_occurrence", later), {"present": [booking.pk]})
    assert response.status_code == 400
    assert "Deze datum komt nog" in response.content.decode()
    occurrence.cancelled_at = timezone.now()
    occurrence.save()
    response = coach_client.post(_url("run_occurrence", occurrence), {"present": [bookings[0].pk]})
    assert response.status_code == 400
    assert "Deze datum is geannuleerd" in response.content.decode()
    assert not SeatBooking.objects.filter(attended__isnull=False).exists()


def test_coaches_of_the_sessions_group_may_run_it_too(client, other_coach, coach, session, occurrence, bookings):
    from coaching import services

    group = services.group_create(coach=coach, name="Bib Mechelen")
    group.coaches.add(other_coach)
    session.coach_group = group
    session.save()
    client.force_login(other_coach)
    assert client.get(_url("run_occurrence", occurrence)).status_code == 200


def test_walk_ins_get_accounts_and_are_present(coach_client, coach, session, occurrence, bookings):
    response = coach_client.post(
        _url("run_walk_ins", occurrence), {"names": "Sara\nAhmed", "preferred_language": "ar", "card_sheet": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    walk_ins = SeatBooking.objects.filter(occurrence=occurrence, learner__display_name__in=["Sara", "Ahmed"])
    for booking in walk_ins:  # their codes are shown once, on this answer
        assert booking.learner.display_name in html
        assert code_format(code=booking.learner.learner_sign_in.code) in html
    assert walk_ins.count() == 2 and all(b.attended and b.status == "confirmed" for b in walk_ins)
    session.refresh_from_db()
    # The session had no group: one is made for the organiser, with the walk-ins in it.
    assert session.coach_group is not None
    assert set(session.coach_group.learners.values_list("display_name", flat=True)) == {"Sara", "Ahmed"}
    assert list(session.coach_group.coaches.all()) == [coach]
    assert all(b.learner.created_by == coach and b.learner.preferred_language == "ar" for b in walk_ins)
    sheet = CardSheet.objects.get(group=session.coach_group)
    assert set(sheet.learners.values_list("display_name", flat=True)) == {"Sara", "Ahmed"}


def test_walk_ins_without_a_name_change_nothing(coach_client, occurrence):
    response = coach_client.post(_url("run_walk_ins", occurrence), {"names": "  ", "preferred_language": "nl"})
    assert response.status_code == 400
    assert "Schrijf minstens één naam" in response.content.decode()
    assert not SeatBooking.objects.exists()


def test_giving_what_we_practised_reaches_everyone_present_and_the_group_dashboard(
    coach_client, coach, session, occurrence, bookings, learners, course
):
    lessons = list(LessonPage.objects.live().filter(locale__language_code="nl").order_by("path")[:2])
    for order, lesson in enumerate(lessons):
        cover(session, lesson, order=order)
    marie, yusuf, _noor, guest = bookings
    coach_client.post(_url("run_occurrence", occurrence), {"present": [marie.pk, yusuf.pk, guest.pk]})

    response = coach_client.post(_url("run_give", occurrence))
    session.refresh_from_db()
    group = session.coach_group
    assert response.status_code == 302 and response["Location"] == reverse(
        "coaching:group_dashboard", kwargs={"pk": group.pk}
    )
    assert set(group.learners.all()) == {learners[0], learners[1]}
    assignments = list(Assignment.objects.filter(group=group))
    assert {a.target_key for a in assignments} == {lesson.translation_key for lesson in lessons}
    for assignment in assignments:
        assert set(assignment.learners.all()) == {learners[0], learners[1]}

    dashboard = coach_client.get(response["Location"]).content.decode()
    assert "Marie" in dashboard and "Yusuf" in dashboard and "Noor" not in dashboard
    assert lessons[0].title in dashboard

    # Pressing again gives nothing twice.
    coach_client.post(_url("run_give", occurrence))
    assert Assignment.objects.filter(group=group).count() == 2


def test_giving_before_saving_who_came_changes_nothing(coach_client, session, occurrence, bookings, course):
    cover(session, LessonPage.objects.live().filter(locale__language_code="nl").first())
    response = coach_client.post(_url("run_give", occurrence), follow=True)
    assert "Sla eerst op wie er kwam" in response.content.decode()
    assert not Assignment.objects.exists()
    session.refresh_from_db()
    assert session.coach_group is None


def test_a_training_manager_runs_a_staff_moment_of_their_teams_only(client, django_user_model, course, library):
    from .test_staff_training import staff_setup

    setup = staff_setup(django_user_model)
    moment = make_occurrence(setup.session)
    client.force_login(setup.manager)
    assert client.get(_url("run_occurrence", moment)).status_code == 200
    client.force_login(setup.other_manager)
    assert client.get(_url("run_occurrence", moment)).status_code == 404
    workshop = make_occurrence(make_session(organiser=None, title="Niet van mij"))
    client.force_login(setup.manager)
    assert client.get(_url("run_occurrence", workshop)).status_code == 404


def test_a_staff_moment_offers_no_walk_ins_or_tasks_and_says_why(client, django_user_model, course, library):
    from .test_staff_training import staff_setup

    setup = staff_setup(django_user_model)
    moment = make_occurrence(setup.session)
    seat = book(moment, setup.jan.user)
    cover(setup.session, setup.lesson)
    client.force_login(setup.manager)
    page = client.get(_url("run_occurrence", moment)).content.decode()
    assert "Digitaal veilig op het werk" in page  # ticking counts for this programme
    assert "run_walk_ins" not in page and "/walk-ins/" not in page and "/give/" not in page
    # Posted anyway: refused with a reason, nothing made.
    response = client.post(_url("run_walk_ins", moment), {"names": "Piet", "preferred_language": "nl"})
    assert response.status_code == 400
    assert "Personeel heeft al een account" in response.content.decode()
    assert not SeatBooking.objects.exclude(pk=seat.pk).exists()

    client.post(_url("run_occurrence", moment), {"present": [seat.pk]})
    response = client.post(_url("run_give", moment), follow=True)
    assert "Er is hier niets te geven" in response.content.decode()
    assert not Assignment.objects.exists()
    setup.session.refresh_from_db()
    assert setup.session.coach_group is None


def test_a_coach_who_is_not_in_the_sessions_group_cannot_give_tasks_to_it(
    coach_client, coach, other_coach, session, occurrence, bookings, course
):
    from coaching import services

    session.coach_group = services.group_create(coach=other_coach, name="Groep van Bo")
    session.save()
    cover(session, LessonPage.objects.live().filter(locale__language_code="nl").first())
    coach_client.post(_url("run_occurrence", occurrence), {"present": [bookings[0].pk]})
    response = coach_client.post(_url("run_give", occurrence), follow=True)
    assert "Alleen een coach van de groep Groep van Bo kan dit doen" in response.content.decode()
    assert not Assignment.objects.exists()
    assert not session.coach_group.learners.exists()


def test_the_page_script_gets_204_on_a_save_and_the_reason_on_a_bad_list(coach_client, session, occurrence, bookings):
    url = _url("run_occurrence", occurrence)
    response = coach_client.post(url, {"present": [bookings[1].pk]}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert SeatBooking.objects.get(pk=bookings[1].pk).attended is True
    stranger = book(make_occurrence(session, days=-7), bookings[0].learner)
    response = coach_client.post(url, {"present": [stranger.pk]}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 400
    assert "niet ingeschreven voor deze datum" in response.json()["error"]
    assert SeatBooking.objects.get(pk=bookings[1].pk).attended is True and stranger.attended is None
    # No "Saved" message piles up for the next page.
    assert coach_client.get(url).content.decode().count("Opgeslagen: 1 persoon kwam.") == 1
