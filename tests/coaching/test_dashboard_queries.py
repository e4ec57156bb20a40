"""The dashboard reads a fixed number of queries, whatever the size of the group, and pages its learners."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching import selectors, services
from coaching.models import AssignmentKind
from lessons.models import LessonPage, ModulePage
from progress.models import LessonStatus, ModuleProgress
from sandboxes.models import Scenario
from tests.factories import scenario

from .conftest import make_learner
from .test_dashboard import progress, url_of
from .test_simulators import attempt


@pytest.fixture
def simulators(db):
    """The built-in train and doctor scenarios."""
    return scenario("train"), scenario("doctor")


def _group(coach, name: str, learner_count: int, item_count: int):
    modules = list(ModulePage.objects.live().filter(locale__language_code="nl").order_by("path"))
    lessons = list(LessonPage.objects.live().filter(locale__language_code="nl").order_by("path"))
    group = services.group_create(coach=coach, name=name)
    people = [make_learner(coach, f"{name}{i:03d}") for i in range(learner_count)]
    services.group_learners_add(coach=coach, group=group, learners=people)
    for index in range(item_count):
        if index == 0:
            kind, key = AssignmentKind.MODULE, modules[0].translation_key
        else:
            kind, key = AssignmentKind.LESSON, lessons[index].translation_key
        personal = people[:2] if index % 2 else ()
        services.assignment_create(coach=coach, group=group, kind=kind, target_key=key, learners=personal)
    for number, person in enumerate(people):
        lesson = lessons[number % len(lessons)]
        progress(person, lesson, wrong_answers=4 if number % 5 == 0 else 0, minutes_ago=1 + number % 20)
    return group


def _queries(client, url) -> int:
    """The request's queries, without the session's: the idle time-out writes it now and then (when the
    clock passed a second), inside a savepoint of its own, so the savepoint's queries are left out too."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(
        [
            query
            for query in captured.captured_queries
            if "django_session" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]
    )


def test_the_dashboard_needs_the_same_queries_for_a_small_and_a_large_group(coach_client, coach, course):
    # Each kind of task costs its own query once (lessons, modules), so the small group has one of each.
    small = _group(coach, "klein", 2, 2)
    large = _group(coach, "groot", 60, 5)  # more learners than fit on a page, and more tasks
    for query in ({}, {"fragment": 1}, {"status": "busy"}):
        urls = url_of(small, **query), url_of(large, **query)
        for url in urls:
            coach_client.get(url)  # fills what later requests share (site root paths, translations)
        assert _queries(coach_client, urls[0]) == _queries(coach_client, urls[1]), query


def test_the_dashboard_shows_one_page_of_learners_at_a_time(coach_client, coach, course):
    large = _group(coach, "groot", 60, 2)
    size = selectors.DASHBOARD_PAGE_SIZE
    assert size < 60
    last_page = -(-60 // size)
    first = coach_client.get(url_of(large)).content.decode()
    assert first.count('<th scope="row">') == size
    assert "page=2" in first
    last = coach_client.get(url_of(large, page=last_page)).content.decode()
    assert last.count('<th scope="row">') == 60 - size * (last_page - 1)
    row = '<th scope="row">groot059</th>'
    assert row in last and row not in first
    # "Needs help now" covers the whole group, not only the page.
    dashboard = selectors.group_dashboard(group=large, language="nl")
    assert {help.learner.display_name for help in dashboard.needs_help} >= {"groot055"}
    # A page past the end shows the last one.
    assert coach_client.get(url_of(large, page=99)).context["dashboard"].page == last_page


def test_the_export_holds_every_learner_of_a_large_group(coach, course, settings):
    large = _group(coach, "groot", 60, 2)
    settings.DEBUG = False
    original = selectors.EXPORT_CHUNK
    selectors.EXPORT_CHUNK = 7  # several chunks
    try:
        rows = list(selectors.group_export_rows(group=large, language="nl"))
    finally:
        selectors.EXPORT_CHUNK = original
    # The module for all 60, the lesson for the first 2 only.
    assert len(rows) == 60 + 2
    assert [row[0] for row in rows[:3]] == ["groot000", "groot000", "groot001"]
    assert len({row[0] for row in rows}) == 60


def test_the_status_filter_looks_at_every_learner_and_agrees_with_the_cells(coach_client, coach, course, simulators):
    """The filter reads statuses only (not the cells); for every status it must pick exactly the learners
    whose row shows that status, across pages, for lessons, modules, simulators, due dates and tasks
    given to some learners only."""
    modules = list(ModulePage.objects.live().filter(locale__language_code="nl").order_by("path"))
    lessons = list(LessonPage.objects.live().filter(locale__language_code="nl").order_by("path"))
    train = Scenario.objects.get(slug="train", locale__language_code="nl")
    group = services.group_create(coach=coach, name="filter")
    people = [make_learner(coach, f"filter{i:03d}") for i in range(40)]
    services.group_learners_add(coach=coach, group=group, learners=people)
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.LESSON, target_key=lessons[0].translation_key
    )
    overdue = services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.LESSON, target_key=lessons[1].translation_key
    )
    overdue.__class__.objects.filter(pk=overdue.pk).update(due=timezone.localdate() - timedelta(days=1))
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=modules[0].translation_key
    )
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=train.translation_key, learners=people[:20]
    )
    for number, person in enumerate(people):
        if number % 4 == 0:
            progress(person, lessons[0], status=LessonStatus.COMPLETED)
        elif number % 4 == 1:
            progress(person, lessons[0], status=LessonStatus.IN_PROGRESS)
        if number % 3 == 0:
            progress(person, lessons[1], status=LessonStatus.COMPLETED)
        if number % 7 == 0:
            ModuleProgress.objects.create(
                user=person,
                module_key=modules[0].translation_key,
                lessons_completed=1,
                lessons_total=3,
                started_at=timezone.now(),
                completed_at=timezone.now() if number % 14 == 0 else None,
                last_activity_at=timezone.now(),
            )
        if number < 20 and number % 5 == 0:
            attempt(person, train, completed=True, passed=number % 10 == 0, score=80)

    everyone = selectors.group_dashboard(group=group, language="nl", per_page=100)
    assert len(everyone.rows) == 40
    for status in selectors.STATUSES:
        expected = [row.learner.pk for row in everyone.rows if any(c and c.status == status for c in row.cells)]
        assert 0 < len(expected) < 40, status  # the data makes every status a real choice
        seen = []
        for page in (1, 2, 3):
            dashboard = selectors.group_dashboard(group=group, language="nl", status=status, page=page, per_page=15)
            if dashboard.page != page:
                break  # past the last page
            assert dashboard.matching == len(expected) and dashboard.learner_count == 40
            seen += [row.learner.pk for row in dashboard.rows]
            assert all(any(c and c.status == status for c in row.cells) for row in dashboard.rows)
        assert seen == expected, status


def test_simulators_cost_the_same_queries_for_a_small_and_a_large_group(coach_client, coach, course, simulators):
    """A simulator task, attempts with mistakes on screens, safety stops and a simulator nobody gave:
    the screens named in cells, in "needs help now" and in the mistakes tables come in a fixed number of
    queries, whatever the number of learners or attempts."""
    train = Scenario.objects.get(slug="train", locale__language_code="nl")
    doctor = Scenario.objects.get(slug="doctor", locale__language_code="nl")
    urls = []
    for name, size in (("klein", 2), ("groot", 60)):
        group = _group(coach, name, size, 2)
        services.assignment_create(
            coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=train.translation_key
        )
        for person in group.learners.all():
            attempt(person, train, minutes_ago=1, wrong=3, mistakes={"from": 3}, last_screen="from")
            attempt(
                person,
                doctor,
                minutes_ago=12,
                safety=1,
                mistakes={"slots": 1},
                safety_mistakes={"slots": 1},
                last_screen="slots",
                last_outcome="safety",
            )
        urls.append(url_of(group))
    for url in urls:
        coach_client.get(url)
    assert _queries(coach_client, urls[0]) == _queries(coach_client, urls[1])
    html = coach_client.get(urls[1]).content.decode()
    assert html.count("veiligheidsfout op het scherm") == 60  # every learner's safety stop, with its screen
