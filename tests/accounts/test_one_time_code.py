"""A coach gives a learner whose code is paused a one-time code: short-lived, single use, stored hashed."""

import re

from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts import services, throttle
from accounts.credentials import one_time_code_normalize

from .support import SIGN_IN, STEP_TWO, code_of, sign_in_with_code, wrong_pin

COACH = "/en/account/coach/"
ONE_TIME = "/en/account/login/one-time/"


def coach_makes_code(coach_client, learner) -> str:
    """The code as the coach's page shows it, once, in the answer to the POST."""
    response = coach_client.post(f"{COACH}learners/{learner.pk}/one-time-code/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'class="code-text" dir="ltr">(\d{4} \d{4})<', response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


def lock_code(client, new, settings) -> None:
    settings.SIGN_IN_CODE_LIMIT = 1
    sign_in_with_code(client, code_of(new), {"pin": wrong_pin(new.secret)})
    assert throttle.throttle_locked(scope=throttle.CODE, value=code_of(new))


def test_a_locked_learner_signs_in_with_a_one_time_code_from_the_coach(coach_client, pin_learner, settings):
    client = Client()  # the learner's computer (coach_client is the test's `client`)
    lock_code(client, pin_learner, settings)
    page = coach_client.get(f"{COACH}learners/{pin_learner.learner.pk}/one-time-code/").content.decode()
    assert "Signing in with the learner code is paused until" in page  # the coach sees the pause here too
    one_time = coach_makes_code(coach_client, pin_learner.learner)

    # The step 2 page (paused) offers the way in.
    assert f'href="{ONE_TIME}"' in client.get(STEP_TWO).content.decode()
    form = client.get(ONE_TIME).content.decode()
    assert "Sign in with a one-time code" in form
    response = client.post(ONE_TIME, {"learner_code": code_of(pin_learner), "one_time_code": one_time})
    assert response.status_code == 302 and response["Location"] == "/fr/my-learning/"  # learners land on My learning
    assert client.session["_auth_user_id"] == str(pin_learner.learner.pk)
    assert client.session.get_expire_at_browser_close()  # shared computers: no lasting cookie

    # Single use: the same code does not work again.
    other = Client()
    again = other.post(ONE_TIME, {"learner_code": code_of(pin_learner), "one_time_code": one_time})
    assert again.status_code == 200 and "_auth_user_id" not in other.session
    assert "This one-time code is not right, or it is used or too old." in again.content.decode()


def test_the_one_time_code_is_stored_hashed_and_expires(pin_learner, settings):
    settings.SIGN_IN_ONE_TIME_SECONDS = 600
    made = services.learner_one_time_code_create(learner=pin_learner.learner)
    stored = cache.get(f"signin:onetime:{pin_learner.learner.pk}")
    assert stored and made.code not in stored and len(stored) == 64
    seconds = (made.expires_at.timestamp()) - __import__("time").time()
    assert 590 < seconds <= 600
    cache.delete(f"signin:onetime:{pin_learner.learner.pk}")  # what the cache does after those 600 seconds
    outcome = services.learner_one_time_sign_in(code_text=code_of(pin_learner), one_time_text=made.code, address="x")
    assert outcome.user is None and outcome.problem == services.WRONG_ONE_TIME_CODE


def test_a_new_one_time_code_replaces_the_old_one(pin_learner):
    first = services.learner_one_time_code_create(learner=pin_learner.learner)
    second = services.learner_one_time_code_create(learner=pin_learner.learner)
    if first.code != second.code:
        old = services.learner_one_time_sign_in(code_text=code_of(pin_learner), one_time_text=first.code, address="x")
        assert old.user is None
    new = services.learner_one_time_sign_in(code_text=code_of(pin_learner), one_time_text=second.code, address="x")
    assert new.user == pin_learner.learner


def test_a_one_time_code_only_works_with_its_own_learner_code(pin_learner, picture_learner):
    made = services.learner_one_time_code_create(learner=pin_learner.learner)
    outcome = services.learner_one_time_sign_in(
        code_text=code_of(picture_learner), one_time_text=made.code, address="x"
    )
    assert outcome.user is None


def test_wrong_one_time_codes_count_for_the_address(client, pin_learner, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 2
    services.learner_one_time_code_create(learner=pin_learner.learner)
    data = {"learner_code": code_of(pin_learner), "one_time_code": "0000 0000"}
    client.post(ONE_TIME, data, REMOTE_ADDR="10.1.2.3")
    second = client.post(ONE_TIME, data, REMOTE_ADDR="10.1.2.3").content.decode()
    assert "too many wrong tries on the computers of this place" in second
    assert throttle.throttle_locked(scope=throttle.ADDRESS, value="10.1.2.3")


def test_bad_input_gets_a_clear_message_and_changes_nothing(client, pin_learner):
    response = client.post(ONE_TIME, {"learner_code": code_of(pin_learner), "one_time_code": "12ab"})
    html = response.content.decode()
    assert response.status_code == 200 and "A one-time code has 8 numbers." in html
    assert 'value="12ab"' not in html  # what was typed in the secret field is never shown again
    assert not throttle.throttle_locked(scope=throttle.ADDRESS, value="127.0.0.1")
    empty = client.post(ONE_TIME, {"learner_code": "", "one_time_code": ""}).content.decode()
    assert "Type the learner code from your card." in empty and "Type the 8 numbers of the one-time code." in empty


def test_the_one_time_page_is_translated_and_fills_in_the_pending_code(client, pin_learner):
    client.post("/ar/account/login/", {"learner_code": code_of(pin_learner)})
    html = client.get("/ar/account/login/one-time/").content.decode()
    with translation.override("ar"):
        title = translation.gettext("Sign in with a one-time code")
    assert title in html and title != "Sign in with a one-time code"
    assert "no-store" in client.get("/ar/account/login/one-time/")["Cache-Control"]
    formatted = f"{code_of(pin_learner)[:3]}-{code_of(pin_learner)[3:]}"
    assert f'value="{formatted}"' in html


def test_arabic_indic_digits_and_spaces_are_understood():
    assert one_time_code_normalize(text="٤٨٢١ ٣٩٠٥") == "48213905"
    assert one_time_code_normalize(text="4821-3905") == "48213905"
    assert one_time_code_normalize(text="4821390") is None


def test_the_coach_can_unlock_from_the_one_time_page(coach_client, pin_learner, settings):
    lock_code(Client(), pin_learner, settings)
    response = coach_client.post(f"{COACH}learners/{pin_learner.learner.pk}/unlock/", {"back": "one-time"})
    assert response["Location"] == f"{COACH}learners/{pin_learner.learner.pk}/one-time-code/"
    assert not throttle.throttle_locked(scope=throttle.CODE, value=code_of(pin_learner))


def test_only_the_learners_coach_makes_one_time_codes(client, pin_learner, other_coach):
    client.force_login(other_coach)
    assert client.post(f"{COACH}learners/{pin_learner.learner.pk}/one-time-code/").status_code == 404
    assert cache.get(f"signin:onetime:{pin_learner.learner.pk}") is None


def test_signed_in_people_are_sent_on(client, pin_learner):
    client.force_login(pin_learner.learner)
    assert client.get(ONE_TIME).status_code == 302
    assert client.get(SIGN_IN).status_code == 302
