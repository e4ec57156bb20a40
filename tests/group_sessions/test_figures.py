"""Group-session figures for the coordinator: right counts, small counts and telling shares suppressed."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from accounts import roles
from group_sessions import figures
from group_sessions.models import SessionKind
from lessons.choices import TargetGroup
from lessons.models import HelpPoint, LessonPage
from progress.models import LessonProgress, LessonStatus
from tests.coaching.conftest import make_learner

from .factories import book, cover, make_occurrence, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _practise(user, lesson, when):
    LessonProgress.objects.create(
        user=user,
        lesson_key=lesson.translation_key,
        module_key=lesson.get_parent().translation_key,
        status=LessonStatus.IN_PROGRESS,
        started_at=when,
        last_activity_at=when,
    )


@pytest.fixture
def city(coach, nekkerspoel, course):
    """Library: 12 seats taken, 7 came, 5 practised within 14 days (one more only after 20 days).
    Digibank: 3 seats, 2 came. Online webinar for young people: 6 seats, 6 came. Plus dates that do not count."""
    points = list(HelpPoint.objects.filter(locale__language_code="nl").order_by("pk")[:2])
    lesson = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    people = [make_learner(coach, f"L{n}") for n in range(12)]

    library = make_session(organiser=coach, point=points[0], target_groups=[TargetGroup.SENIORS])
    cover(library, lesson)
    held = make_occurrence(library, days=-30)
    for n, person in enumerate(people):
        book(held, person, attended=n < 7)
    for person in people[:5]:
        _practise(person, lesson, held.starts + timedelta(days=3))
    _practise(people[5], lesson, held.starts + timedelta(days=20))
    # Practice before the date does not count either.
    _practise(people[6], lesson, held.starts - timedelta(days=5))
    # A cancelled date and a date still to come are not counted.
    book(make_occurrence(library, days=-10, cancelled_at=timezone.now()), people[0], attended=True)
    book(make_occurrence(library, days=5), people[1])

    digibank = make_session(organiser=coach, point=points[1], title="Digidokter", target_groups=[TargetGroup.SENIORS])
    small = make_occurrence(digibank, days=-3)
    for n, person in enumerate(people[:3]):
        book(small, person, attended=n < 2)

    webinar = make_session(organiser=coach, title="Privacy", point=None, online_link="https://meet.example/p")
    webinar.help_point = None
    webinar.target_groups = [TargetGroup.YOUTH]
    webinar.save()
    online = make_occurrence(webinar, days=-2)
    for person in people[6:12]:
        book(online, person, attended=True)

    staff = make_session(organiser=coach, title="Personeel", kind=SessionKind.STAFF_TRAINING)
    moment = make_occurrence(staff, days=-1)
    for person in people:
        book(moment, person, attended=True)
    names = [
        (
            HelpPoint.objects.filter(translation_key=point.translation_key, locale__language_code="en").first() or point
        ).name
        for point in points
    ]
    return {"points": names}


def _by_label(rows):
    return {row.label: row for row in rows}


def test_counts_per_help_point_and_target_group_with_small_numbers_hidden(city):
    now = timezone.now()
    report = figures.session_figures(language="en", since=now - timedelta(days=365), now=now)
    points = _by_label(report.help_points)
    library = points[city["points"][0]]
    assert (library.sessions, library.seats, library.came, library.practised) == (1, 12, 7, 5)
    assert library.came_rate == 58  # 7 of 12: both parts and the rest are at least 5
    assert library.practised_rate is None  # 5 of 7 would tell that 2 did not practise
    digibank = points[city["points"][1]]
    assert (digibank.sessions, digibank.seats, digibank.came, digibank.practised) == (1, None, None, None)
    assert digibank.seats_text == "fewer than 5"
    online = points["Online"]
    assert (online.sessions, online.seats, online.came, online.came_rate) == (1, 6, 6, None)

    groups = _by_label(report.target_groups)
    seniors = groups[str(TargetGroup.SENIORS.label)]
    assert (seniors.sessions, seniors.seats, seniors.came) == (2, 15, 9)
    assert groups[str(TargetGroup.YOUTH.label)].came == 6
    assert set(groups) == {str(TargetGroup.SENIORS.label), str(TargetGroup.YOUTH.label)}  # staff moment left out


def test_the_coordinator_page_and_csv_show_them_without_small_counts(client, django_user_model, city):
    coordinator = django_user_model.objects.create_user("cora", password="oefen-cora-2026", display_name="Cora")
    coordinator.groups.add(Group.objects.get_or_create(name=roles.PROGRAMME_COORDINATORS)[0])
    client.force_login(coordinator)
    page = client.get(reverse("figures:programme")).content.decode()
    assert "Group sessions per help point" in page and "Group sessions per target group" in page
    assert "58 %" in page
    response = client.get(reverse("figures:programme_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    library = next(row for row in rows if row[:2] == ["Help point", city["points"][0]] and len(row) == 8)
    assert library[2:] == ["1", "12", "7", "58 %", "5", "not shown (fewer than 5)"]
    digibank = next(row for row in rows if row[:2] == ["Help point", city["points"][1]] and len(row) == 8)
    assert digibank[3] == "fewer than 5" and "2" not in digibank[3:]


def test_the_figures_take_the_same_few_queries_however_many_dates(city, coach, django_assert_max_num_queries):
    from lessons.models import HelpPoint as Point

    session = make_session(organiser=coach, point=Point.objects.filter(locale__language_code="nl").last())
    for days in range(40, 60):
        book(make_occurrence(session, days=-days), make_learner(coach, f"X{days}"), attended=True)
    now = timezone.now()
    with django_assert_max_num_queries(9):
        figures.session_figures(language="en", since=now - timedelta(days=365), now=now)
