"""Wrong PINs, pictures and passwords are throttled per learner code, per client address and per user name."""

import logging
import time

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts import throttle
from accounts.middleware import ProxyHeaderCheckMiddleware
from tests.factories import CoachFactory, ManagerFactory

from .support import SIGN_IN, STEP_TWO, code_of, sign_in_with_code, wrong_pin

LOCKED_CODE = (
    "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
    "until %(time)s. Ask a coach to unlock it or to give you a one-time code, or try again later."
)


def locked_code_message(language: str, value: str) -> str:
    """The message for a paused code, with the end of the pause the throttle holds for `value`."""
    until = throttle.throttle_locked_until(scope=throttle.CODE, value=value)
    assert until is not None
    with translation.override(language):
        return translation.gettext(LOCKED_CODE) % {"time": throttle.lock_time_text(until)}


def pause_runs_out(scope: str, value: str) -> None:
    """What the cache does when the pause's time is up: the lock key is gone (the count and strikes stay)."""
    cache.delete(throttle._keys(scope, throttle._normal(scope, value))[1])


def seconds_left(scope: str, value: str) -> float:
    return throttle.throttle_locked_until(scope=scope, value=value).timestamp() - time.time()


def test_five_wrong_pins_pause_the_code_until_a_coach_unlocks_it(client, coach, pin_learner):
    code, pin = code_of(pin_learner), pin_learner.secret
    client.post(SIGN_IN, {"learner_code": code})
    for _try in range(4):
        assert "You can try" in client.post(STEP_TWO, {"pin": wrong_pin(pin)}).content.decode()
    fifth = client.post(STEP_TWO, {"pin": wrong_pin(pin)}).content.decode()
    assert locked_code_message("en", code) in fifth

    # Even the right PIN is refused now, and the page says why before anything is typed.
    refused = client.post(STEP_TWO, {"pin": pin})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert locked_code_message("en", code) in client.get(STEP_TWO).content.decode()

    # The coach sees the pause and lifts it.
    coach_client = client.__class__()
    coach_client.force_login(coach)
    until = throttle.lock_time_text(throttle.throttle_locked_until(scope=throttle.CODE, value=code))
    assert f"Paused until {until}: too many wrong tries" in coach_client.get("/en/account/coach/").content.decode()
    unlock = coach_client.post(f"/en/account/coach/learners/{pin_learner.learner.pk}/unlock/")
    assert unlock.status_code == 302

    assert client.post(STEP_TWO, {"pin": pin}).status_code == 302
    assert client.session["_auth_user_id"] == str(pin_learner.learner.pk)


def test_the_paused_message_is_translated(client, pin_learner, settings):
    settings.SIGN_IN_CODE_LIMIT = 1
    response = sign_in_with_code(client, code_of(pin_learner), {"pin": wrong_pin(pin_learner.secret)}, language="ar")
    assert locked_code_message("ar", code_of(pin_learner)) in response.content.decode()


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
    CoachFactory(username="coach", password="oefen-coach-2026")
    ManagerFactory(username="manager", password="oefen-manager-2026")
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


def test_the_counter_window_and_the_pause(settings, db):  # db: an unlock also clears the outage counters
    settings.SIGN_IN_CODE_LIMIT = 2
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").tries_left == 1
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").locked
    assert throttle.throttle_locked(scope=throttle.CODE, value="ABCDEF")
    assert not throttle.throttle_locked(scope=throttle.CODE, value="ABCDEG")
    throttle.throttle_clear(scope=throttle.CODE, value="ABCDEF")
    assert not throttle.throttle_locked(scope=throttle.CODE, value="ABCDEF")
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").tries_left == 1  # a fresh count


# --- Slow over a whole day: escalating pauses, and the worst case the README states ----------------------


def test_each_further_pause_of_the_same_code_lasts_twice_as_long_up_to_a_day(settings, db):
    settings.SIGN_IN_CODE_LIMIT = 2
    expected = [15 * 60, 30 * 60, 60 * 60, 2 * 60 * 60]
    for seconds in expected:
        throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF")
        assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").locked
        assert seconds - 5 < seconds_left(throttle.CODE, "ABCDEF") <= seconds
        pause_runs_out(throttle.CODE, "ABCDEF")
    assert throttle.throttle_lock_seconds(strike=20) == settings.SIGN_IN_LOCK_MAX_SECONDS == 24 * 60 * 60

    # A coach's unlock forgets the pauses too: the next one is short again.
    throttle.throttle_clear(scope=throttle.CODE, value="ABCDEF")
    throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF")
    throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF")
    assert seconds_left(throttle.CODE, "ABCDEF") <= 15 * 60


def test_wrong_tries_spread_over_the_day_add_up(monkeypatch):
    """The count lives a day from the first wrong try: four now and one 20 hours later pause the code."""
    clock = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    for _try in range(4):
        assert not throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").locked
    clock[0] += 20 * 60 * 60
    assert throttle.throttle_failure(scope=throttle.CODE, value="ABCDEF").locked


def test_the_worst_case_per_day_is_below_100_per_address(settings):
    """The README's figures: with the defaults, at most 84 wrong tries per address and 35 per code in a day."""
    assert throttle.throttle_worst_case(scope=throttle.ADDRESS) == 84
    assert throttle.throttle_worst_case(scope=throttle.CODE) == 35
    assert throttle.throttle_worst_case(scope=throttle.USERNAME) == 70
    assert throttle.throttle_worst_case(scope=throttle.PASSWORD_ADDRESS) == 84


def test_an_attacker_who_waits_out_every_pause_gets_the_worst_case_and_no_more(monkeypatch):
    """Drive the real counters with a clock that jumps to the end of each pause, for one day."""
    clock = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    start, tries = clock[0], 0
    while clock[0] < start + throttle.DAY_SECONDS:
        until = throttle.throttle_locked_until(scope=throttle.ADDRESS, value="10.1.2.3")
        if until is not None:
            clock[0] = until.timestamp() + 1
            pause_runs_out(throttle.ADDRESS, "10.1.2.3")  # for a cache that does not read our clock
            continue
        throttle.throttle_failure(scope=throttle.ADDRESS, value="10.1.2.3")
        tries += 1
    assert tries == throttle.throttle_worst_case(scope=throttle.ADDRESS) < 100


# --- Addresses: IPv6 per /64, passwords per address, the proxy setting -----------------------------------


def test_ipv6_addresses_count_per_64_network(rf):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other_in_same_64 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd")
    next_64 = rf.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert throttle.client_address(request=one) == "2001:db8:1:2::/64"
    assert throttle.client_address(request=one) == throttle.client_address(request=other_in_same_64)
    assert throttle.client_address(request=next_64) != throttle.client_address(request=one)
    assert throttle.client_address(request=rf.get("/", REMOTE_ADDR="::ffff:10.1.2.3")) == "10.1.2.3"
    assert throttle.client_address(request=rf.get("/", REMOTE_ADDR="10.1.2.3")) == "10.1.2.3"


def test_wrong_tries_from_one_ipv6_network_pause_all_its_addresses(client, pin_learner, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 3
    for host in range(1, 4):
        client.post(SIGN_IN, {"learner_code": "ZZZ-ZZZ"}, REMOTE_ADDR=f"2001:db8:1:2::{host}")
    blocked = client.post(SIGN_IN, {"learner_code": code_of(pin_learner)}, REMOTE_ADDR="2001:db8:1:2::99")
    assert blocked.status_code == 200 and "computers of this place" in blocked.content.decode()
    elsewhere = client.post(SIGN_IN, {"learner_code": code_of(pin_learner)}, REMOTE_ADDR="2001:db8:1:3::1")
    assert elsewhere.status_code == 302


def test_wrong_passwords_pause_password_sign_in_from_that_address(client, db, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 3
    CoachFactory(username="coach", password="oefen-coach-2026")
    for username in ("aaa", "bbb", "ccc"):  # a different user name each time: only the address adds up
        client.post(SIGN_IN, {"username": username, "password": "fout"}, REMOTE_ADDR="10.1.2.3")
    refused = client.post(SIGN_IN, {"username": "coach", "password": "oefen-coach-2026"}, REMOTE_ADDR="10.1.2.3")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "too many wrong passwords on the computers of this place" in refused.content.decode()

    # Another address signs in; and learners who mistype their PIN at that place are a separate count.
    assert (
        client.post(SIGN_IN, {"username": "coach", "password": "oefen-coach-2026"}, REMOTE_ADDR="10.9.9.9").status_code
        == 302
    )
    assert not throttle.throttle_locked(scope=throttle.ADDRESS, value="10.1.2.3")


def test_a_forged_forwarded_header_is_ignored_without_a_proxy_count(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert throttle.client_address(request=request) == "10.1.2.3"


@pytest.fixture
def fresh_proxy_warning():
    ProxyHeaderCheckMiddleware.warned = False
    yield
    ProxyHeaderCheckMiddleware.warned = False


def test_a_request_without_a_proxy_header_is_warned_about_once(client, db, settings, caplog, fresh_proxy_warning):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.WARNING, logger="accounts.middleware"):
        client.get("/healthz", HTTP_X_FORWARDED_FOR="10.1.2.3")
        assert not caplog.records  # through the proxy: fine
        client.get("/healthz")
        client.get("/healthz")
    warnings = [record for record in caplog.records if "TRUSTED_PROXY_COUNT" in record.getMessage()]
    assert len(warnings) == 1 and "without an X-Forwarded-For header" in warnings[0].getMessage()


def test_no_proxy_warning_when_no_proxy_is_configured(client, db, settings, caplog, fresh_proxy_warning):
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.WARNING, logger="accounts.middleware"):
        client.get("/healthz")
    assert not [record for record in caplog.records if "TRUSTED_PROXY_COUNT" in record.getMessage()]


def test_a_coach_at_the_place_lifts_the_password_pause_too(client, coach, settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 1
    throttle.throttle_failure(scope=throttle.PASSWORD_ADDRESS, value="10.1.2.3")
    client.force_login(coach)
    page = client.get("/en/account/coach/", REMOTE_ADDR="10.1.2.3").content.decode()
    assert "Unlock signing in here" in page
    client.post("/en/account/coach/unlock-here/", REMOTE_ADDR="10.1.2.3")
    assert not throttle.throttle_locked(scope=throttle.PASSWORD_ADDRESS, value="10.1.2.3")


def test_the_learners_card_page_shows_the_pause(client, coach, pin_learner, settings):
    settings.SIGN_IN_CODE_LIMIT = 1
    throttle.throttle_failure(scope=throttle.CODE, value=code_of(pin_learner))
    client.force_login(coach)
    html = client.get(f"/en/account/coach/learners/{pin_learner.learner.pk}/card/").content.decode()
    until = throttle.lock_time_text(throttle.throttle_locked_until(scope=throttle.CODE, value=code_of(pin_learner)))
    assert f"Signing in with the learner code is paused until {until}." in html
    assert f'href="/en/account/coach/learners/{pin_learner.learner.pk}/one-time-code/"' in html


def test_a_right_pin_starts_the_count_again_but_the_next_pause_stays_longer(client, pin_learner, settings):
    settings.SIGN_IN_CODE_LIMIT = 2
    code, pin = code_of(pin_learner), pin_learner.secret
    throttle.throttle_failure(scope=throttle.CODE, value=code)
    throttle.throttle_failure(scope=throttle.CODE, value=code)  # first pause: 15 minutes
    pause_runs_out(throttle.CODE, code)
    assert sign_in_with_code(client, code, {"pin": pin}).status_code == 302
    client.post("/en/account/logout/")
    assert not throttle.throttle_failure(scope=throttle.CODE, value=code).locked  # a fresh count
    assert throttle.throttle_failure(scope=throttle.CODE, value=code).locked
    assert 29 * 60 < seconds_left(throttle.CODE, code) <= 30 * 60  # the second pause in a row
