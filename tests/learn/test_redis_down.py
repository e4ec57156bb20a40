"""Redis killed or stalled: the site keeps serving, learners stay signed in, statements are stored.

Each test runs its own redis-server (tests/redis_server.py) with the production cache options, and kills,
restarts or pauses it; the shared Redis is never touched.
"""

import json
import re
import uuid

import pytest
from django.utils import timezone

from learn import page_cache
from lessons.activities import lesson_activity_id
from progress.models import Statement
from tests.redis_server import redis_server, use_redis

VERB = "http://adlnet.gov/expapi/verbs/experienced"


@pytest.fixture
def own_redis(settings):
    with redis_server() as server:
        use_redis(settings, server.url)
        yield server


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("amina", password="een-goed-wachtwoord", display_name="Amina")


def statement(object_id) -> dict:
    moment = timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "id": str(uuid.uuid4()),
        "timestamp": moment,
        "verb": {"id": VERB, "display": {"en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": object_id},
    }


def send(client, statements):
    return client.post("/api/progress/statements", data=json.dumps(statements), content_type="application/json")


@pytest.fixture
def train(db):
    """A built-in scenario, so the practice list has a simulator to open."""
    from tests.factories import scenario

    return scenario("train")


def test_lessons_practice_list_and_simulators_are_served_with_redis_killed(client, lesson, train, own_redis):
    assert client.get(lesson.url).status_code == 200  # cached while Redis runs
    own_redis.kill()

    lesson_page = client.get(lesson.url)
    assert lesson_page.status_code == 200
    assert lesson.title in lesson_page.content.decode()
    assert client.get("/nl/").status_code == 200
    practice = client.get("/nl/oefenen/")
    assert practice.status_code == 200
    simulator = re.search(r'href="(/nl/oefenen/[^"/]+/)"', practice.content.decode()).group(1)
    assert client.get(simulator).status_code == 200
    assert page_cache.page_cache_generation() is None  # the cache is stepped around, not trusted


def test_a_signed_in_learner_stays_signed_in_through_a_redis_kill_and_restart(client, lesson, learner, own_redis):
    client.force_login(learner)
    assert "Amina" in client.get(lesson.url).content.decode()
    own_redis.kill()
    assert "Amina" in client.get(lesson.url).content.decode()
    own_redis.start()  # empty: Redis keeps nothing on disk
    assert "Amina" in client.get(lesson.url).content.decode()
    assert client.session.get("_auth_user_id") == str(learner.pk)


def test_a_two_second_stall_does_not_sign_a_learner_out(client, lesson, learner, own_redis):
    client.force_login(learner)
    assert "Amina" in client.get(lesson.url).content.decode()
    own_redis.pause(2000)
    during = client.get(lesson.url)
    assert during.status_code == 200 and "Amina" in during.content.decode()
    assert client.cookies["sessionid"].value  # the cookie was not deleted
    after = client.get(lesson.url)
    assert "Amina" in after.content.decode()


def test_statements_are_stored_with_redis_killed(client, lesson, learner, own_redis):
    client.force_login(learner)
    own_redis.kill()
    batch = [statement(lesson_activity_id(lesson)) for _ in range(3)]
    response = send(client, batch)
    assert response.status_code == 200, response.content
    assert Statement.objects.filter(user=learner).count() == 3
    # The browser's retry of the same batch (it did not hear the answer) is not stored twice.
    assert send(client, batch).status_code == 200
    assert Statement.objects.filter(user=learner).count() == 3


def test_publishing_while_redis_is_away_does_not_fail_and_retires_pages_once_it_is_back(client, lesson, own_redis):
    assert client.get(lesson.url).status_code == 200  # the anonymous copy is cached
    own_redis.pause(4000)
    lesson.title = "Een nieuwe titel tijdens de storing"
    lesson.save_revision().publish()  # the generation bump cannot be made now: remembered in this process
    assert page_cache._pending_bump is True
    assert "Een nieuwe titel tijdens de storing" in client.get(lesson.url).content.decode()

    assert own_redis.client().ping()  # waits for the end of the stall; Redis kept the old copy through it
    assert "Een nieuwe titel tijdens de storing" in client.get(lesson.url).content.decode()
    assert page_cache._pending_bump is False
