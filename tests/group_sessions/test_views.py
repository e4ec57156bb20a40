"""The pages: the list and its filters, signing up, a guest's request and its confirmation, organising."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from group_sessions import booking, services
from group_sessions.models import BookingStatus, GroupSession, SeatBooking, SessionItem
from lessons.choices import Topic
from lessons.models import ModulePage

from .conftest import session_data


@pytest.fixture
def webinar(coach):
    data = session_data(
        kind="webinar", title="Privacyvriendelijke apps", online_link="https://meet.example/w", languages=["fr"]
    )
    return services.session_save(user=coach, data=data, items=[]).session


def test_the_list_shows_dates_with_seats_left_and_filters_them(client, workshop, webinar, library):
    response = client.get(reverse("group_sessions:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Werken met je smartphone" in content and "Privacyvriendelijke apps" in content
    assert "2 plaatsen" in content
    online = client.get(reverse("group_sessions:list"), {"help_point": "online"}).content.decode()
    assert "Privacyvriendelijke apps" in online and "Werken met je smartphone" not in online
    french = client.get(reverse("group_sessions:list"), {"language": "fr"}).content.decode()
    assert "Privacyvriendelijke apps" in french and "Werken met je smartphone" not in french
    at_library = client.get(reverse("group_sessions:list"), {"help_point": library.pk, "district": "centrum"})
    assert "Werken met je smartphone" in at_library.content.decode()
    assert "Privacyvriendelijke apps" not in at_library.content.decode()
    youth = client.get(reverse("group_sessions:list"), {"target_group": "youth"}).content.decode()
    assert "Werken met je smartphone" not in youth


def test_the_list_filters_by_the_topic_of_what_is_practised(client, coach, library, course):
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    items = [("module", module.translation_key, SessionItem.When.AFTER)]
    services.session_save(user=coach, data=session_data(help_point=library, title="Met oefening"), items=items)
    services.session_save(user=coach, data=session_data(help_point=library, title="Zonder oefening"), items=[])
    other = next(value for value in Topic.values if value != module.topic)
    about = client.get(reverse("group_sessions:list"), {"topic": module.topic}).content.decode()
    assert "Met oefening" in about and "Zonder oefening" not in about
    assert "Met oefening" not in client.get(reverse("group_sessions:list"), {"topic": other}).content.decode()


def test_a_bad_filter_says_why(client, workshop):
    response = client.get(reverse("group_sessions:list"), {"district": "atlantis"})
    assert response.status_code == 400
    assert "Deze buurt bestaat niet. Kies een buurt uit de lijst." in response.content.decode()


def test_the_list_is_in_arabic_right_to_left(client, workshop):
    with translation.override("ar"):
        url = reverse("group_sessions:list")
    response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in content and "نتعلم معًا" in content and "مقعدان" in content


def test_a_signed_in_learner_signs_up_in_one_click_and_cancels(client, learner, date_of):
    client.force_login(learner)
    response = client.post(reverse("group_sessions:sign_up", args=[date_of.pk]), follow=True)
    assert SeatBooking.objects.get(learner=learner).status == BookingStatus.CONFIRMED
    assert "Je bent ingeschreven. Tot dan!" in response.content.decode()
    twice = client.post(reverse("group_sessions:sign_up", args=[date_of.pk]), follow=True)
    assert SeatBooking.objects.filter(learner=learner).count() == 1
    assert "Je bent al ingeschreven voor deze datum." in twice.content.decode()
    client.post(reverse("group_sessions:seat_cancel", args=[date_of.pk]))
    assert SeatBooking.objects.get(learner=learner).status == BookingStatus.CANCELLED


def test_someone_not_signed_in_is_sent_to_sign_in_and_back(client, date_of):
    response = client.post(reverse("group_sessions:sign_up", args=[date_of.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert response["Location"].endswith("?next=" + reverse("group_sessions:occurrence", args=[date_of.pk]))
    assert not SeatBooking.objects.exists()


def test_a_guest_asks_a_seat_and_the_coach_confirms_it(client, coach, date_of):
    url = reverse("group_sessions:guest_request", args=[date_of.pk])
    bad = client.post(url, {"first_name": "Fatima", "phone": "12"})
    assert bad.status_code == 400
    assert "Dit telefoonnummer kunnen we niet gebruiken." in bad.content.decode()
    assert not SeatBooking.objects.exists()
    client.post(url, {"first_name": "Fatima", "phone": "0470 12 34 56"})
    request = SeatBooking.objects.get()
    assert request.status == BookingStatus.REQUESTED
    client.force_login(coach)
    page = client.get(reverse("group_sessions:organise_occurrence", args=[date_of.pk]))
    assert "Fatima" in page.content.decode() and "+32470123456" in page.content.decode()
    client.post(reverse("group_sessions:organise_guest_confirm", args=[date_of.pk, request.pk]))
    request.refresh_from_db()
    assert request.status == BookingStatus.CONFIRMED


def test_a_full_date_refuses_with_a_message_and_changes_nothing(
    client, learner, other_learner, django_user_model, date_of
):
    booking.seat_book(occurrence_id=date_of.pk, learner=learner)
    booking.seat_book(occurrence_id=date_of.pk, learner=other_learner)
    late = django_user_model.objects.create_user("laat", display_name="Laat")
    client.force_login(late)
    response = client.post(reverse("group_sessions:sign_up", args=[date_of.pk]), follow=True)
    assert "Deze sessie is volzet. Kies een andere datum." in response.content.decode()
    assert not SeatBooking.objects.filter(learner=late).exists()


def test_the_date_page_shows_what_to_practise_and_what_the_learner_finished(client, coach, library, learner, course):
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    items = [("module", module.translation_key, SessionItem.When.BEFORE)]
    session = services.session_save(user=coach, data=session_data(help_point=library), items=items).session
    occurrence = session.occurrences.get()
    client.force_login(learner)
    content = client.get(reverse("group_sessions:occurrence", args=[occurrence.pk])).content.decode()
    assert module.title in content and module.url in content
    assert "Vóór de sessie" in content and "Nog niet klaar" in content


def test_the_calendar_file_downloads(client, date_of):
    response = client.get(reverse("group_sessions:calendar", args=[date_of.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"Bibliotheek Het Predikheren" in response.content


def test_staff_training_moments_are_not_in_the_public_list(client, django_user_model, library):
    from accounts import roles

    from .conftest import make_user

    manager = make_user(django_user_model, "els", "Els", roles.TRAINING_MANAGERS)
    session = services.session_save(
        user=manager, data=session_data(kind="staff_training", title="Opleiding tablet", help_point=library), items=[]
    ).session
    assert "Opleiding tablet" not in client.get(reverse("group_sessions:list")).content.decode()
    assert client.get(reverse("group_sessions:occurrence", args=[session.occurrences.get().pk])).status_code == 404


def test_organiser_pages_check_the_role_and_the_organiser(client, learner, other_coach, coach, date_of, workshop):
    url = reverse("group_sessions:organise")
    assert client.get(url).status_code == 302
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(other_coach)
    assert client.get(url).status_code == 200
    assert client.get(reverse("group_sessions:organise_session", args=[workshop.pk])).status_code == 404
    response = client.post(reverse("group_sessions:organise_occurrence_cancel", args=[date_of.pk]), {"reason": "x"})
    assert response.status_code == 404
    date_of.refresh_from_db()
    assert date_of.cancelled_at is None


def test_a_coach_makes_a_session_on_the_form_and_bad_input_says_why(client, coach, library):
    client.force_login(coach)
    url = reverse("group_sessions:organise_new")
    assert client.get(url).status_code == 200
    first = timezone.localdate() + timedelta(days=3)
    form = {
        "kind": "digidokter",
        "title": "Digidokter",
        "help_point": library.pk,
        "first_date": first.isoformat(),
        "starts_at": "14:00",
        "ends_at": "13:00",
        "recurrence": "monthly_weekday",
        "repeat_until": (first + timedelta(days=120)).isoformat(),
        "seats": "8",
        "languages": ["nl", "ar"],
    }
    bad = client.post(url, form)
    assert bad.status_code == 400
    assert "Het einduur moet na het beginuur komen." in bad.content.decode()
    assert not GroupSession.objects.exists()
    form["ends_at"] = "16:00"
    response = client.post(url, form)
    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert session.occurrences.count() >= 4 and session.languages == ["nl", "ar"]


def test_a_coach_signs_up_a_learner_of_their_own(client, coach, learner, date_of, other_coach):
    client.force_login(coach)
    client.post(reverse("group_sessions:organise_sign_up", args=[date_of.pk]), {"learner": learner.pk})
    assert SeatBooking.objects.get(learner=learner).booked_by == coach


def test_a_learner_without_e_mail_reads_the_cancellation_once_after_signing_in(
    client, django_user_model, coach, date_of
):
    person = django_user_model.objects.create_user("zonder-mail", password="oefen-zonder-mail-2026")
    booking.seat_book(occurrence_id=date_of.pk, learner=person)
    services.occurrence_cancel(user=coach, occurrence_id=date_of.pk, reason="De bib is dicht")
    login = reverse("accounts:login")
    credentials = {"username": "zonder-mail", "password": "oefen-zonder-mail-2026"}
    first = client.post(login, credentials, follow=True).content.decode()
    assert "gaat niet door. Waarom: De bib is dicht" in first
    client.post(reverse("accounts:logout"))
    again = client.post(login, credentials, follow=True).content.decode()
    assert "De bib is dicht" not in again


def test_seats_left_are_never_served_from_the_page_cache(client, date_of):
    for url in (reverse("group_sessions:list"), reverse("group_sessions:occurrence", args=[date_of.pk])):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_the_edit_form_in_arabic_keeps_the_help_point(client, coach, workshop, library):
    client.force_login(coach)
    with translation.override("ar"):
        url = reverse("group_sessions:organise_edit", args=[workshop.pk])
    form = client.get(url).context["form"]
    arabic_library = form.fields["help_point"].queryset.get(pk=form.initial["help_point"])
    assert arabic_library.translation_key == library.translation_key
    assert arabic_library.locale.language_code == "ar"
