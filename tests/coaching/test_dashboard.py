"""The group dashboard: a real table, status in words, filters, the live fragment, and "needs help now"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coaching import services
from coaching.models import AssignmentKind
from lessons.models import ModulePage
from progress.models import LessonProgress, LessonStatus, ModuleProgress
from progress.selectors import HELP_IDLE, HELP_WRONG, learners_needing_help

from .conftest import make_learner


def progress(user, lesson, *, minutes_ago=5, **fields):
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return LessonProgress.objects.create(
        user=user,
        lesson_key=lesson.translation_key,
        module_key=lesson.get_parent().translation_key,
        started_at=at - timedelta(minutes=5),
        last_activity_at=at,
        **fields,
    )


@pytest.fixture
def assigned(group, coach, module, lessons):
    """The module for the whole group, its first lesson for Marie only, overdue-able by date."""
    whole = services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key
    )
    marie = group.learners.get(display_name="Marie")
    single = services.assignment_create(
        coach=coach,
        group=group,
        kind=AssignmentKind.LESSON,
        target_key=lessons[0].translation_key,
        due=timezone.localdate(),
        learners=[marie],
    )
    return whole, single


def url_of(group, **query):
    base = reverse("coaching:group_dashboard", kwargs={"pk": group.pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cells_of(html: str, learner: str) -> list[str]:
    row = re.search(rf'<th scope="row">{learner}</th>(.*?)</tr>', html, re.S).group(1)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
    ]


def test_the_table_has_a_caption_and_headers_and_says_status_in_words(coach_client, group, assigned, lessons):
    marie = group.learners.get(display_name="Marie")
    progress(marie, lessons[0], status=LessonStatus.COMPLETED, first_score=0.5, best_score=1.0, hints=2, attempts=1)
    ModuleProgress.objects.create(
        user=marie,
        module_key=lessons[0].get_parent().translation_key,
        lessons_completed=1,
        lessons_total=3,
        started_at=timezone.now(),
        last_activity_at=timezone.now(),
    )
    with translation.override("en"):
        html = coach_client.get(url_of(group)).content.decode()
    assert "<caption" in html and html.count('<th scope="row">') == 2
    assert html.count('<th scope="col">') == 3  # learner + two tasks
    marie_cells = cells_of(html, "Marie")
    assert marie_cells[0].startswith("◐ Busy") and "1 of 3 lessons" in marie_cells[0]
    assert "Score: first 50%, best 100%" in marie_cells[0]
    assert marie_cells[1].startswith("✓ Finished") and "Hints: 2, attempts: 1" in marie_cells[1]
    assert cells_of(html, "Yusuf") == ["○ Not started", "Not for this learner"]
    assert '<span aria-hidden="true" class="cell-icon">' in html


def test_unfinished_work_past_its_date_is_late(coach_client, group, coach, lessons):
    services.assignment_create(
        coach=coach, group=group, kind=AssignmentKind.LESSON, target_key=lessons[1].translation_key
    )
    group.assignments.update(due=timezone.localdate() - timedelta(days=1))
    with translation.override("en"):
        html = coach_client.get(url_of(group)).content.decode()
    assert cells_of(html, "Marie") == ["! Late"]


def test_the_status_filter_keeps_matching_learners_and_refuses_unknown_values(coach_client, group, assigned, lessons):
    progress(group.learners.get(display_name="Marie"), lessons[0], status=LessonStatus.COMPLETED)
    html = coach_client.get(url_of(group, status="finished")).content.decode()
    assert '<th scope="row">Marie</th>' in html and '<th scope="row">Yusuf</th>' not in html
    assert coach_client.get(url_of(group, status="bogus")).status_code == 400


def test_the_fragment_is_only_the_live_part(coach_client, group, assigned):
    response = coach_client.get(url_of(group, fragment=1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html and "<html" not in html and 'id="needs-help-title"' in html
    page = coach_client.get(url_of(group)).content.decode()
    assert 'id="dashboard-live"' in page and 'aria-live="polite"' in page
    assert "coaching/js/dashboard" in page and "<script>" not in page


def test_the_number_of_queries_does_not_grow_with_learners_or_tasks(
    coach_client, coach, django_assert_max_num_queries, course
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    modules = list(ModulePage.objects.live().filter(locale__language_code="nl").order_by("path"))
    lessons = [lesson for module in modules for lesson in module.get_children().live().specific()]

    def group_with(learner_count: int, item_count: int, name: str):
        group = services.group_create(coach=coach, name=name)
        people = [make_learner(coach, f"{name}{i}") for i in range(learner_count)]
        services.group_learners_add(coach=coach, group=group, learners=people)
        for index, lesson in enumerate(lessons[:item_count]):
            kind = AssignmentKind.MODULE if index == 0 else AssignmentKind.LESSON
            key = modules[0].translation_key if index == 0 else lesson.translation_key
            services.assignment_create(coach=coach, group=group, kind=kind, target_key=key, learners=people[:1])
            for person in people:
                progress(person, lesson, wrong_answers=4, minutes_ago=index + 1)
        return group

    small, big = group_with(2, 1, "klein"), group_with(10, 5, "groot")
    assert len(lessons) >= 5
    with CaptureQueriesContext(connection) as baseline:
        assert coach_client.get(url_of(small)).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = coach_client.get(url_of(big)).content.decode()
    assert html.count('<th scope="row">') == 10


def test_needs_help_rule(group, lessons, coach_client):
    """Three wrong answers in the last half hour, or a started lesson quiet for ten minutes today."""
    marie, yusuf = group.learners.get(display_name="Marie"), group.learners.get(display_name="Yusuf")
    now = timezone.now()
    progress(marie, lessons[0], wrong_answers=3, minutes_ago=2)  # stuck on questions
    progress(marie, lessons[1], wrong_answers=5, minutes_ago=45, status=LessonStatus.COMPLETED)  # done since
    progress(marie, lessons[2], wrong_answers=4, minutes_ago=12)  # both rules: reported once, as wrong answers
    progress(yusuf, lessons[0], minutes_ago=15)  # started, quiet for 15 minutes
    progress(yusuf, lessons[1], minutes_ago=3)  # busy right now: fine
    progress(yusuf, lessons[2], minutes_ago=15, status=LessonStatus.COMPLETED)  # finished: fine
    signals = learners_needing_help(user_ids=[marie.pk, yusuf.pk], now=now)
    found = {(signal.user_id, signal.lesson_key, signal.reason) for signal in signals}
    assert found == {
        (marie.pk, lessons[0].translation_key, HELP_WRONG),
        (marie.pk, lessons[2].translation_key, HELP_WRONG),
        (yusuf.pk, lessons[0].translation_key, HELP_IDLE),
    }
    with translation.override("en"):
        html = coach_client.get(url_of(group, fragment=1)).content.decode()
    section = html.split("</section>")[0]
    assert "Marie" in section and "3 wrong answers" in section and "nothing happened since" in section


def test_yesterdays_unfinished_lesson_is_not_help_now(group, lessons):
    marie = group.learners.get(display_name="Marie")
    progress(marie, lessons[0], minutes_ago=60 * 24 + 60)
    assert learners_needing_help(user_ids=[marie.pk]) == []


def test_the_dashboard_speaks_dutch(coach_client, group, assigned):
    html = coach_client.get(url_of(group)).content.decode()
    assert "Heeft nu hulp nodig" in html and "Nog niet begonnen" in html and "Niet voor deze cursist" in html


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
def test_a_cell_reads_its_facts_in_the_coach_language_with_the_date_as_django_writes_it(language):
    """Cells build their words from a per-language cache (speed); they must still say what the
    translations and Django's date format say."""
    from django.utils.formats import date_format

    from coaching.selectors import Cell
    from progress.selectors import ProgressCell

    when = timezone.now() - timedelta(days=40)
    cell = Cell(
        status="busy",
        progress=ProgressCell(
            status=LessonStatus.IN_PROGRESS,
            first_score=0.5,
            best_score=0.75,
            hints=2,
            attempts=3,
            last_activity_at=when,
        ),
    )
    with translation.override(language):
        expected_when = date_format(timezone.localtime(when), "j F H:i")
        assert cell.facts[-1] == translation.gettext("Last active: %(when)s") % {"when": expected_when}
        assert cell.facts[0] == translation.gettext("Score: first %(first)s%%, best %(best)s%%") % {
            "first": 50,
            "best": 75,
        }
        assert translation.gettext("Busy") in cell.html and "<li>" in cell.html
