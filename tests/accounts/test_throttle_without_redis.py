"""Sign-in keeps its limits while Redis is away: the counters move to the database, never a 500, never open.

The test's own redis-server (tests/redis_server.py) is killed; the shared Redis is never touched.
"""

import pytest
from django.utils import translation

from accounts import throttle
from accounts.models import ThrottleCounter
from tests.redis_server import redis_server, use_redis

from .support import STEP_TWO, code_of, sign_in_with_code, wrong_pin

LOCKED_CODE = (
    "There were too many wrong tries. To keep your account safe, signing in with this code is paused "
    "until %(time)s. Ask a coach to unlock it or to give you a one-time code, or try again later."
)


@pytest.fixture
def redis_killed(settings):
    with redis_server() as server:
        use_redis(settings, server.url)
        server.kill()
        yield server


def test_code_and_pin_sign_in_works_with_redis_killed(client, pin_learner, redis_killed):
    response = sign_in_with_code(client, code_of(pin_learner), {"pin": pin_learner.secret})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(pin_learner.learner.pk)


def test_wrong_pins_are_still_counted_and_pause_the_code_with_redis_killed(client, pin_learner, redis_killed):
    code, pin = code_of(pin_learner), pin_learner.secret
    first = sign_in_with_code(client, code, {"pin": wrong_pin(pin)})
    assert first.status_code == 200
    assert "You can try 4 more times" in first.content.decode()
    for _try in range(3):
        assert "You can try" in client.post(STEP_TWO, {"pin": wrong_pin(pin)}).content.decode()
    fifth = client.post(STEP_TWO, {"pin": wrong_pin(pin)})
    assert fifth.status_code == 200
    until = throttle.throttle_locked_until(scope=throttle.CODE, value=code)
    assert until is not None
    with translation.override("en"):
        assert LOCKED_CODE % {"time": throttle.lock_time_text(until)} in fifth.content.decode()

    # Paused means paused: the right PIN is refused too, and nobody is signed in.
    refused = client.post(STEP_TWO, {"pin": pin})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert ThrottleCounter.objects.exists()  # what was counted lives in the database, hashed


def test_a_coach_unlock_clears_what_the_outage_counted(client, coach, pin_learner, redis_killed):
    code, pin = code_of(pin_learner), pin_learner.secret
    sign_in_with_code(client, code, {"pin": wrong_pin(pin)})
    for _try in range(4):
        client.post(STEP_TWO, {"pin": wrong_pin(pin)})
    assert throttle.throttle_locked(scope=throttle.CODE, value=code)

    coach_client = client.__class__()
    coach_client.force_login(coach)
    assert coach_client.post(f"/en/account/coach/learners/{pin_learner.learner.pk}/unlock/").status_code == 302
    assert not throttle.throttle_locked(scope=throttle.CODE, value=code)
    assert client.post(STEP_TWO, {"pin": pin}).status_code == 302


def test_the_database_counters_are_not_touched_while_redis_answers(client, pin_learner, settings):
    with redis_server() as server:
        use_redis(settings, server.url)
        sign_in_with_code(client, code_of(pin_learner), {"pin": wrong_pin(pin_learner.secret)})
        assert not ThrottleCounter.objects.exists()
        assert throttle.throttle_locked_until(scope=throttle.CODE, value=code_of(pin_learner)) is None
        keys = server.client().keys("*signin:count:*")
        assert len(keys) == 2  # the code's count and the address's count, in Redis
