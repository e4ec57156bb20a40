"""Shared computers: a quiet session ends by itself, with a warning in the browser a minute before."""

import time

from django.utils import translation

from accounts.middleware import LAST_ACTIVITY_KEY


def rewind(client, seconds: int) -> None:
    """Time travel: pretend the last request was `seconds` ago."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_a_quiet_session_is_signed_out_with_a_message(client, pin_learner, site_pages):
    client.force_login(pin_learner.learner)
    assert client.get("/nl/account/").status_code == 200
    rewind(client, 15 * 60 + 5)

    response = client.get("/nl/account/")
    assert response.status_code == 302 and response["Location"] == "/nl/account/login/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    with translation.override("nl"):
        message = translation.ngettext(
            "You were signed out because nothing happened for %(count)s minute.",
            "You were signed out because nothing happened for %(count)s minutes.",
            15,
        ) % {"count": 15}
    assert message in page


def test_the_idle_time_is_a_setting(client, pin_learner, settings):
    settings.SESSION_IDLE_SECONDS = 60
    client.force_login(pin_learner.learner)
    client.get("/en/account/")
    rewind(client, 50)
    assert client.get("/en/account/").status_code == 200  # still within the minute, and the clock restarts
    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 1
    rewind(client, 61)
    response = client.get("/en/account/", follow=True)
    assert "You were signed out because nothing happened for 1 minute." in response.content.decode()


def test_an_api_call_after_the_idle_time_is_anonymous(client, pin_learner):
    client.force_login(pin_learner.learner)
    client.get("/en/account/")
    rewind(client, 16 * 60)
    response = client.post("/api/progress/statements", data="[]", content_type="application/json")
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


def test_keep_alive_renews_the_session(client, pin_learner):
    client.force_login(pin_learner.learner)
    client.get("/en/account/")
    rewind(client, 14 * 60)
    response = client.post("/en/account/keep-alive/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["signed_in"] is True
    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 1
    rewind(client, 60)
    assert client.get("/en/account/").status_code == 200


def test_keep_alive_without_a_session_says_so(client, db):
    response = client.post("/en/account/keep-alive/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401 and response.json()["signed_in"] is False
    assert client.get("/en/account/keep-alive/").status_code == 405


def test_keep_alive_without_javascript_goes_back_to_the_page(client, pin_learner):
    client.force_login(pin_learner.learner)
    assert client.post("/en/account/keep-alive/", {"next": "/en/account/"})["Location"] == "/en/account/"
    assert client.post("/en/account/keep-alive/", {"next": "https://evil.example/"})["Location"] == "/"


def test_the_warning_is_on_pages_for_signed_in_people_only(client, pin_learner, site_pages, settings):
    anonymous = client.get("/nl/").content.decode()
    assert "idle.js" not in anonymous and "alertdialog" not in anonymous

    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(pin_learner.learner)
    html = client.get("/nl/").content.decode()
    assert '<script src="/static/accounts/js/idle.js" defer></script>' in html
    assert 'role="alertdialog"' in html
    assert 'data-idle-seconds="600"' in html and 'data-warn-seconds="60"' in html
    assert 'data-keepalive-url="/nl/account/keep-alive/"' in html
    assert "<script>" not in html  # settings travel in data- attributes, never in an inline script


def test_sign_out_when_the_warning_ran_out(client, pin_learner):
    client.force_login(pin_learner.learner)
    response = client.post("/en/account/logout/", {"reason": "idle"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/account/login/"
    assert "You were signed out because nothing happened for 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_ordinary_sign_out_still_goes_home(client, pin_learner):
    client.force_login(pin_learner.learner)
    assert client.post("/en/account/logout/")["Location"] == "/"


def test_a_plain_page_view_does_not_write_the_session(client, pin_learner):
    """The idle clock is kept to the minute: a page view within that minute saves no session."""
    client.force_login(pin_learner.learner)
    client.get("/en/account/")
    rewind(client, 30)
    stored = client.session[LAST_ACTIVITY_KEY]
    assert client.get("/en/account/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] == stored
    rewind(client, 61)
    assert client.get("/en/account/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] >= int(time.time()) - 1


def test_the_warning_counts_down_to_the_servers_own_deadline(client, pin_learner, site_pages, settings):
    """The stored time is kept to the minute, so the page tells the browser how long the server still waits."""
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(pin_learner.learner)
    client.get("/nl/")
    rewind(client, 30)
    html = client.get("/nl/").content.decode()
    assert 'data-idle-seconds="570"' in html or 'data-idle-seconds="569"' in html
