"""Signed-in learners share one cached page body; their own parts (name, token, marks) are always their own.

Runs against the real Redis cache (REDIS_URL) and PostgreSQL, so what is shared is really shared.
"""

import json
import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lessons.models import ModulePage
from progress.models import LessonProgress, LessonStatus, SimulatorAttempt, Statement
from sandboxes.models import Scenario
from tests.factories import scenario as built_in_scenario
from tests.progress.evidence import lesson_done

STATEMENTS_URL = "/api/progress/statements"
MY_LEARNING = "/nl/my-learning/"


def make_learner(django_user_model, username, name, **fields):
    return django_user_model.objects.create_user(username, password="een-goed-wachtwoord", display_name=name, **fields)


def browser(user) -> Client:
    """A browser of its own, with CSRF checks on as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page_token(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def post_statements(client, html, statements):
    return client.post(
        STATEMENTS_URL,
        data=json.dumps(statements),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=page_token(html),
    )


@pytest.fixture
def anna(django_user_model):
    return make_learner(django_user_model, "anna", "Anna Peeters", display_preferences={"text": "large"})


@pytest.fixture
def karim(django_user_model):
    return make_learner(django_user_model, "karim", "Karim Haddad")


def own_parts_only(html: str, me, other) -> None:
    assert f'data-learner="{me.public_id}"' in html and str(other.public_id) not in html
    assert me.display_name in html and other.display_name not in html
    assert "%%oefp:" not in html  # no marker is ever left in a page


def test_two_learners_share_the_lesson_body_but_each_sees_their_own_name_token_and_display(lesson, anna, karim):
    first, second = browser(anna), browser(karim)
    anna_html = first.get(lesson.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        karim_html = second.get(lesson.url).content.decode()
    # Karim got the body Anna's view stored: only his account and his menu were read.
    assert len(queries.captured_queries) <= 2, [q["sql"][:80] for q in queries.captured_queries]
    own_parts_only(anna_html, anna, karim)
    own_parts_only(karim_html, karim, anna)
    assert '<html lang="nl" dir="ltr" class="pref-text-large">' in anna_html
    assert '<html lang="nl" dir="ltr">' in karim_html
    assert page_token(anna_html) != page_token(karim_html)
    # Each token works for its own browser only, also when the page came from the shared cache.
    assert post_statements(second, karim_html, []).status_code != 403
    assert post_statements(second, anna_html, []).status_code == 403
    # The shared body is the same lesson: everything but the personal parts is equal.
    strip = re.compile(r'(data-learner="|content="|value=")[^"]*"|<bdi>[^<]*</bdi>| class="pref-[^"]*"')
    assert strip.sub("", anna_html) == strip.sub("", karim_html)
    response = second.get(lesson.url)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_each_learner_sees_whether_they_tried_a_simulator(site_pages, anna, karim):
    built_in_scenario("train")
    scenario = Scenario.objects.filter(locale__language_code="nl").order_by("pk").first()
    now = timezone.now()
    SimulatorAttempt.objects.create(
        user=anna,
        registration=uuid.uuid4(),
        scenario_key=scenario.translation_key,
        started_at=now,
        last_activity_at=now,
    )
    url = f"/nl/oefenen/{scenario.slug}/"
    first, second = browser(anna), browser(karim)
    for _round in range(2):  # the second round comes from the shared cache
        anna_html = first.get(url).content.decode()
        karim_html = second.get(url).content.decode()
        assert 'data-tried="1"' in anna_html and 'data-tried="0"' in karim_html
        own_parts_only(anna_html, anna, karim)
        own_parts_only(karim_html, karim, anna)
    for _round in range(2):
        own_parts_only(second.get("/nl/oefenen/").content.decode(), karim, anna)
        own_parts_only(first.get("/nl/oefenen/").content.decode(), anna, karim)


def test_a_statement_shows_at_once_and_only_to_its_learner(lesson, anna, karim, django_capture_on_commit_callbacks):
    module = ModulePage.objects.parent_of(lesson).get()
    first, second = browser(anna), browser(karim)
    for client in (first, second):  # both fill their cached module page and My learning
        client.get(module.url)
        client.get(MY_LEARNING)
    assert "lesson-status" not in first.get(module.url).content.decode()

    lesson_html = first.get(lesson.url).content.decode()
    # The test runs inside a transaction: run what the real commit runs (the learner's version bump).
    with django_capture_on_commit_callbacks(execute=True):
        assert post_statements(first, lesson_html, lesson_done(lesson)).status_code == 200

    anna_module = first.get(module.url).content.decode()
    assert re.search(
        rf'href="{re.escape(lesson.url)}">[^<]*</a> <span class="lesson-status lesson-status-completed">', anna_module
    )
    assert re.search(r'<progress class="learning-bar" max="\d+" value="1"', first.get(MY_LEARNING).content.decode())
    karim_module = second.get(module.url).content.decode()
    assert "lesson-status" not in karim_module
    own_parts_only(karim_module, karim, anna)
    karim_learning = second.get(MY_LEARNING).content.decode()
    assert "learning-bar" not in karim_learning and lesson.title not in karim_learning
    own_parts_only(karim_learning, karim, anna)


def test_a_page_with_a_view_restriction_is_never_shared(lesson, anna, karim):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    first, second = browser(anna), browser(karim)
    assert first.get(lesson.url).status_code == 200  # cached before the restriction
    staff = Group.objects.create(name="Alleen personeel")
    anna.groups.add(staff)
    restriction = PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(staff)
    for _round in range(2):
        assert first.get(lesson.url).status_code == 200
        assert second.get(lesson.url).status_code != 200


def _history(user, lesson) -> None:
    """5,000 statements and 200 finished lessons, written straight to the tables."""
    now = timezone.now()
    Statement.objects.bulk_create(
        Statement(
            id=uuid.uuid4(),
            user=user,
            verb="http://adlnet.gov/expapi/verbs/experienced",
            object_id=f"https://example.org/activity/{number}",
            activity_kind="lesson",
            timestamp=now,
            data={},
        )
        for number in range(5000)
    )
    LessonProgress.objects.bulk_create(
        LessonProgress(
            user=user,
            lesson_key=lesson.translation_key if number == 0 else uuid.uuid4(),
            module_key=uuid.uuid4(),
            status=LessonStatus.COMPLETED,
            answers={},
            question_count=0,
            started_at=now,
            last_activity_at=now,
            completed_at=now,
        )
        for number in range(200)
    )


def test_a_long_history_costs_no_more_queries_than_a_new_learner(lesson, anna, karim, django_user_model):
    """5,000 statements and 200 finished lessons cost what a new learner's pages cost.

    From the second view on (the cached page) all learners take the same two queries, their account and
    their menu. The first view of My learning renders it: a learner with any finished lesson adds one
    lookup of those lessons' pages (one query for all of them) - the same for 1 lesson as for 200.
    """
    _history(anna, lesson)
    assert Statement.objects.filter(user=anna).count() == 5000
    lina = make_learner(django_user_model, "lina", "Lina Claes")
    _history_one(lina, lesson)
    counts = {}
    for user in (karim, lina, anna):
        cache.clear()  # each learner's first views render the pages, the second ones come from the cache
        client = browser(user)
        client.get("/nl/")  # the idle clock and the site's own caches, the same for everyone
        for path in (lesson.url, MY_LEARNING):
            for visit in ("first", "again"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(path).status_code == 200
                counts[(user.username, path, visit)] = len(queries.captured_queries)
    for visit in ("first", "again"):
        assert counts[("anna", lesson.url, visit)] == counts[("karim", lesson.url, visit)], counts
    assert counts[("anna", MY_LEARNING, "again")] == counts[("karim", MY_LEARNING, "again")] == 2, counts
    assert counts[("anna", lesson.url, "again")] == 2, counts
    assert counts[("anna", MY_LEARNING, "first")] == counts[("lina", MY_LEARNING, "first")], counts


def _history_one(user, lesson) -> None:
    now = timezone.now()
    LessonProgress.objects.create(
        user=user,
        lesson_key=lesson.translation_key,
        module_key=uuid.uuid4(),
        status=LessonStatus.COMPLETED,
        answers={},
        question_count=0,
        started_at=now,
        last_activity_at=now,
        completed_at=now,
    )
