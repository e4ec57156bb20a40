"""Every organiser page: anonymous visitors sign in first, people who organise nothing get 403, and an
organiser of another session gets 404 (nothing tells them the session exists)."""

import pytest
from django.urls import reverse

from accounts import roles
from group_sessions.models import SeatBooking

from .conftest import make_user


@pytest.fixture
def urls(workshop, date_of):
    seat = SeatBooking.objects.create(occurrence=date_of, guest_first_name="Fatima", guest_phone="+32470123456")
    own = {
        "organise_session": ("get", [workshop.pk]),
        "organise_edit": ("get", [workshop.pk]),
        "organise_cancel": ("post", [workshop.pk]),
        "organise_occurrence": ("get", [date_of.pk]),
        "organise_occurrence_cancel": ("post", [date_of.pk]),
        "organise_sign_up": ("post", [date_of.pk]),
        "organise_guest_confirm": ("post", [date_of.pk, seat.pk]),
        "organise_booking_refuse": ("post", [date_of.pk, seat.pk]),
    }
    general = {"organise": ("get", []), "organise_new": ("get", [])}
    return general, own


def _call(client, name, method, args):
    url = reverse(f"group_sessions:{name}", args=args)
    return getattr(client, method)(url, {"reason": "Weg"} if method == "post" else None)


def test_anonymous_visitors_are_sent_to_sign_in(client, urls):
    general, own = urls
    for name, (method, args) in {**general, **own}.items():
        response = _call(client, name, method, args)
        assert response.status_code == 302 and "/account/login/" in response["Location"], name


@pytest.mark.parametrize("role", [None, roles.LEARNERS, roles.PROGRAMME_COORDINATORS])
def test_people_who_organise_nothing_get_403(client, urls, django_user_model, role):
    general, own = urls
    client.force_login(make_user(django_user_model, "iemand", "Iemand", role))
    for name, (method, args) in {**general, **own}.items():
        assert _call(client, name, method, args).status_code == 403, name


@pytest.mark.parametrize("role", [roles.COACHES, roles.TRAINING_MANAGERS])
def test_an_organiser_of_other_sessions_gets_404_and_nothing_changes(client, urls, django_user_model, role, date_of):
    general, own = urls
    client.force_login(make_user(django_user_model, "ander", "Ander", role))
    for name, (method, args) in general.items():
        assert _call(client, name, method, args).status_code == 200, name
    for name, (method, args) in own.items():
        assert _call(client, name, method, args).status_code == 404, name
    date_of.refresh_from_db()
    assert date_of.cancelled_at is None and date_of.session.cancelled_at is None
    assert SeatBooking.objects.get().status == "confirmed"  # the guest row made above, unchanged


def test_editors_manage_every_session(client, urls, django_user_model):
    general, own = urls
    client.force_login(make_user(django_user_model, "redactie", "Redactie", roles.EDITORS))
    for name, (method, args) in {**general, **own}.items():
        if method == "get":
            assert _call(client, name, method, args).status_code == 200, name


def test_every_organiser_url_is_in_the_lists_above(urls):
    from group_sessions.organiser_urls import urlpatterns

    general, own = urls
    assert {pattern.name for pattern in urlpatterns} == set(general) | set(own)


def test_the_menus_lead_to_the_sessions(client, django_user_model, coach):
    client.force_login(make_user(django_user_model, "leerder", "Leerder", roles.LEARNERS))
    page = client.get(reverse("group_sessions:list")).content.decode()
    assert f'href="{reverse("group_sessions:list")}" aria-current="page">Samen leren</a>' in page
    assert reverse("group_sessions:organise") not in page
    client.force_login(coach)
    page = client.get(reverse("group_sessions:list")).content.decode()
    assert f'href="{reverse("group_sessions:organise")}">Sessies organiseren</a>' in page


def test_editors_find_the_organiser_pages_in_the_admin_menu(client, django_user_model):
    editor = make_user(django_user_model, "redacteur-2", "Redactie", roles.EDITORS, is_staff=True)
    client.force_login(editor)
    assert '"/sessions/organise/"' in client.get("/admin/").content.decode()
    assert client.get("/sessions/organise/", follow=True).redirect_chain[-1][0] == reverse("group_sessions:organise")
