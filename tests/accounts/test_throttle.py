"""Wrong PINs, pictures and passwords are throttled per learner code, per client address and per user name."""

from django.utils import translation

from accounts import throttle
from accounts.demo import demo_users_ensure

from .support import SIGN_IN, STEP_TWO, code_of, sign_in_with_code, wrong_pin


def locked_code_message(language: str, minutes: int = 15) -> str:
    with translation.override(language):
        return translation.ngettext(
            "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
            "for %(count)s minute. Ask a coach to unlock it, or try again later.",
            "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
            "for %(count)s minutes. Ask a coach to unlock it, or try again later.",
            minutes,
        ) % {"count": minutes}


def test_five_wrong_pins_pause_the_code_until_a_coach_unlocks_it(client, coach, pin_learner):
    code, pin = code_of(pin_learner), pin_learner.secret
    client.post(SIGN_IN, {"learner_code": code})
    for _try in range(4):
        assert "You can try" in client.post(STEP_TWO, {"pin": wrong_pin(pin)}).content.decode()
    fifth = client.post(STEP_TWO, {"pin": wrong_pin(pin)}).content.decode()
    assert locked_code_message("en") in fifth

    # Even the right PIN is refused now, and the page says why before anything is typed.
    refused = client.post(STEP_TWO, {"pin": pin})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert locked_code_message("en") in client.get(STEP_TWO).content.decode()

    # The coach sees the pause and lifts it.
    coach_client = client.__class__()
    coach_client.force_login(coach)
    assert "Paused: too many wrong tries" in coach_client.get("/en/account/coach/").content.decode()
    unlock = coach_client.post(f"/en/account/coach/learners/{pin_learner.learner.pk}/unlock/")
    assert unlock.status_code == 302

    assert client.post(STEP_TWO, {"pin": pin}).status_code == 302
    assert client.session["_auth_user_id"] == str(pin_learner.learner.pk)


def test_the_paused_message_is_translated(client, pin_learner, settings):
    settings.SIGN_IN_CODE_LIMIT = 1
    response = sign_in_with_code(client, code_of(pin_learner), {"pin": wrong_pin(pin_learner.secret)}, language="ar")
    assert locked_code_message("ar") in response.content.decode()


def test_a_good_sign_in_starts_the_count_again(client, pin_learner):
    code, pin = code_of(pin_learner), pin_learner.secret
    for _try in range(4):
        sign_in_with_code(client, code, {"pin": wrong_pin(pin)})
    assert sign_in_with_code(client, code, {"pin": pin}).status_code == 302
    client.post("/en/account/logout/")
    response = sign_in_with_code(client, code, {"pin": wrong_pin(pin)})
    assert "You can try 4 more times." in response.content.decode()


def test_one_address_is_paused_after_many_wrong_tries_on_any_code(
    client, coach, pin_learner, picture_learner, settings
):
    settings.SIGN_IN_ADDRESS_LIMIT = 4
    surf_point = "10.1.2.3"
    sign_in_with_code(client, code_of(pin_learner), {"pin": wrong_pin(pin_learner.secret)}, address=surf_point)
    sign_in_with_code(
        client,
        code_of(picture_learner),
        {"picture_1": "sun", "picture_2": "sun", "picture_3": "sun"},
        address=surf_point,
    )
    client.post(SIGN_IN, {"learner_code": "ZZZ-ZZZ"}, REMOTE_ADDR=surf_point)  # unknown codes count too
    fourth = client.post(SIGN_IN, {"learner_code": "YYY-YYY"}, REMOTE_ADDR=surf_point).content.decode()
    assert "too many wrong tries on the computers of this place" in fourth

    # Nobody at this place gets in, not even with the right PIN; another place is not affected.
    blocked = client.post(SIGN_IN, {"learner_code": code_of(pin_learner)}, REMOTE_ADDR=surf_point)
    assert blocked.status_code == 200 and "computers of this place" in blocked.content.decode()
    elsewhere = client.__class__()
    assert (
        sign_in_with_code(elsewhere, code_of(pin_learner), {"pin": pin_learner.secret}, address="10.9.9.9").status_code
        == 302
    )

    # A coach at the same place sees the pause and lifts it.
    coach_client = client.__class__()
    coach_client.force_login(coach)
    page = coach_client.get("/en/account/coach/", REMOTE_ADDR=surf_point).content.decode()
    assert "Unlock signing in here" in page
    coach_client.post("/en/account/coach/unlock-here/", REMOTE_ADDR=surf_point)
    assert (
        "Unlock signing in here" not in coach_client.get("/en/account/coach/", REMOTE_ADDR=surf_point).content.decode()
    )
    response = sign_in_with_code(client, code_of(pin_learner), {"pin": pin_learner.secret}, address=surf_point)
    assert response.status_code == 302


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    assert throttle.client_address(request=request) == "10.1.2.3"
    settings.TRUSTED_PROXY_COUNT = 0
    assert throttle.client_address(request=request) == "127.0.0.1"


def test_wrong_passwords_pause_the_user_name(client, db, settings):
    settings.SIGN_IN_USERNAME_LIMIT = 3
    demo_users_ensure()
    for _try in range(2):
        response = client.post(SIGN_IN, {"username": "coach", "password": "fout"})
        assert "The user name or the password is not right." in response.content.decode()
    third = client.post(SIGN_IN, {"username": "Coach ", "password": "fout"}).content.decode()
    assert "too many wrong tries with this user name" in third

    right = client.post(SIGN_IN, {"username": "coach", "password": "oefen-coach-2026"})
    assert right.status_code == 200 and "_auth_user_id" not in client.session
    assert not client.login(username="coach", password="oefen-coach-2026")  # every password sign-in, also the admin's
    # Other user names are not affected.
    assert client.post(SIGN_IN, {"username": "manager", "password": "oefen-manager-2026"}).status_code == 302


def test_the_counter_window_and_the_pause(settings):
    settings.SIGN_IN_CODE_LIMIT = 2
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").tries_left == 1
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").locked
    assert throttle.throttle_locked(scope=throttle.CODE, value="ABCDEF")
    assert not throttle.throttle_locked(scope=throttle.CODE, value="ABCDEG")
    throttle.throttle_clear(scope=throttle.CODE, value="ABCDEF")
    assert not throttle.throttle_locked(scope=throttle.CODE, value="ABCDEF")
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").tries_left == 1  # a fresh count
