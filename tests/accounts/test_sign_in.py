from django.utils import translation

from accounts.demo import DEMO_USERS, demo_users_ensure
from tests.factories import CoachFactory, UserFactory


def test_every_demo_role_can_sign_in(client, db):
    demo_users_ensure()
    for role, username, password, *_rest in DEMO_USERS:
        response = client.post("/nl/account/login/", {"username": username, "password": password})
        assert response.status_code == 302, role
        client.post("/nl/account/logout/")


def test_wrong_password_gets_a_plain_message_and_no_session(client, db):
    UserFactory(username="leerling", password="oefen-leerling-2026")
    response = client.post("/fr/account/login/", {"username": "leerling", "password": "fout"})
    assert response.status_code == 200
    with translation.override("fr"):
        message = translation.gettext("The user name or the password is not right. Try again, or ask your coach.")
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_users_are_created_once(db):
    first = demo_users_ensure()
    second = demo_users_ensure()
    assert all(created for *_rest, created in first)
    assert not any(created for *_rest, created in second)


def test_sign_out_is_a_post_and_shown_when_signed_in(client, db, site_pages):
    CoachFactory(username="coach", password="oefen-coach-2026")
    client.post("/nl/account/login/", {"username": "coach", "password": "oefen-coach-2026"})
    html = client.get("/nl/").content.decode()
    assert 'action="/nl/account/logout/"' in html
    client.post("/nl/account/logout/")
    assert "_auth_user_id" not in client.session
