"""Programme figures for the city's coordinator: correct on a fixture, small counts suppressed, coordinator only."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from accounts import roles
from coaching import figures
from coaching import services as coaching_services
from lessons.models import HelpPoint
from progress import figures as progress_figures
from progress.models import LessonProgress, LessonStatus, ModuleProgress, SimulatorAttempt
from tests.factories import HelpPointFactory
from tests.formula_cases import FORMULA_CASES, FORMULA_IDS

from .conftest import make_learner


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording of the figures (the coaching conftest sets Dutch first)."""
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user("coordinator-x", password="oefen-coordinator-x", display_name="Cora")
    user.groups.add(Group.objects.get_or_create(name=roles.PROGRAMME_COORDINATORS)[0])
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def lesson_record(user, module_key, lesson_key, *, done: bool, when):
    LessonProgress.objects.create(
        user=user,
        lesson_key=lesson_key,
        module_key=module_key,
        status=LessonStatus.COMPLETED if done else LessonStatus.IN_PROGRESS,
        started_at=when,
        completed_at=when if done else None,
        last_activity_at=when,
    )


def module_record(user, module_key, *, done: bool, when):
    ModuleProgress.objects.create(
        user=user,
        module_key=module_key,
        lessons_total=3,
        lessons_completed=3 if done else 1,
        started_at=when,
        completed_at=when if done else None,
        last_activity_at=when,
    )


@pytest.fixture
def programme(coach, module, lessons):
    """Two help points: "A" with 12 learners (7 finish the module), "B" with 3 learners (all finish).

    This month: 12 learners start; last month: 3. 12 learners try a simulator, 6 pass; another scenario
    only 2 try. A coach (not a learner) also has records: never counted.
    """
    HelpPointFactory(name="Digibankpunt Nekkerspoel", sort_order=1)
    HelpPointFactory(name="Bibliotheek Predikheren", sort_order=2)
    points = list(HelpPoint.objects.filter(locale__language_code="nl").order_by("sort_order", "name")[:2])
    assert len(points) == 2
    now = timezone.now()
    last_month = (now.replace(day=1) - timedelta(days=3)).replace(hour=12)
    group_a = coaching_services.group_create(coach=coach, name="A", help_point=points[0])
    group_b = coaching_services.group_create(coach=coach, name="B", help_point=points[1])
    people_a = [make_learner(coach, f"A{n}") for n in range(12)]
    people_b = [make_learner(coach, f"B{n}") for n in range(3)]
    coaching_services.group_learners_add(coach=coach, group=group_a, learners=people_a)
    coaching_services.group_learners_add(coach=coach, group=group_b, learners=people_b)
    scenario, rare = uuid.uuid4(), uuid.uuid4()
    for index, person in enumerate(people_a):
        done = index < 7
        lesson_record(person, module.translation_key, lessons[0].translation_key, done=done, when=now)
        module_record(person, module.translation_key, done=done, when=now)
        SimulatorAttempt.objects.create(
            user=person,
            registration=uuid.uuid4(),
            scenario_key=scenario,
            started_at=now,
            last_activity_at=now,
            completed_at=now,
            passed=index < 6,
        )
    for person in people_b:
        lesson_record(person, module.translation_key, lessons[0].translation_key, done=True, when=last_month)
        module_record(person, module.translation_key, done=True, when=last_month)
    for person in people_a[:2]:
        SimulatorAttempt.objects.create(
            user=person,
            registration=uuid.uuid4(),
            scenario_key=rare,
            started_at=now,
            last_activity_at=now,
            completed_at=now,
            passed=True,
        )
    lesson_record(coach, module.translation_key, lessons[0].translation_key, done=True, when=now)
    return {"points": points, "scenario": scenario, "rare": rare, "now": now}


def test_the_counts_are_right_and_small_ones_suppressed(programme, module):
    report = figures.programme_figures(language="nl", now=programme["now"])
    assert len(report.months) == figures.MONTHS
    assert report.months[-1].learners == 12  # this month
    assert report.months[-2].learners is None  # last month: 3, fewer than 5
    assert report.months[-2].learners_text == "fewer than 5"
    assert all(row.learners is None for row in report.months[:-1])

    # 15 learners started a lesson; 10 finished one (7 + 3); 5 did not: everything is 5 or more.
    assert (report.totals.learners, report.totals.finished, report.totals.rate) == (15, 10, 67)

    by_label = {row.label: row for row in report.help_points}
    point_a, point_b = by_label[programme["points"][0].name], by_label[programme["points"][1].name]
    assert (point_a.learners, point_a.finished, point_a.rate) == (12, 7, 58)
    # 3 learners: hidden, and so is the rate that would give it away.
    assert (point_b.learners, point_b.finished, point_b.rate) == (None, None, None)
    assert point_b.rate_text == "not shown (fewer than 5)"

    (module_row,) = report.modules
    assert module_row.label == module.title
    # 15 started, 10 finished, 5 did not: shown.
    assert (module_row.learners, module_row.finished, module_row.rate) == (15, 10, 67)

    simulators = {row.label: row for row in report.simulators}
    assert len(simulators) == 2
    common = next(row for row in report.simulators if row.learners == 12)
    assert (common.finished, common.rate) == (6, 50)
    rare = next(row for row in report.simulators if row is not common)
    assert (rare.learners, rare.finished, rare.rate) == (None, None, None)


def test_a_rate_that_gives_away_a_small_difference_is_hidden():
    assert figures.rate(98, 100) is None  # 2 did not finish
    assert figures.rate(5, 5) is None  # everyone: 0 did not finish
    assert figures.rate(4, 100) is None
    assert figures.rate(50, 100) == 50
    assert figures.suppress(4) is None and figures.suppress(0) is None and figures.suppress(5) == 5


def test_the_selectors_answer_aggregates_only(programme, coach, django_assert_max_num_queries):
    from accounts.models import User

    since = programme["now"] - timedelta(days=400)
    learners = User.objects.filter(groups__name=roles.LEARNERS)
    with django_assert_max_num_queries(1):
        months = progress_figures.learners_reached_by_month(users=learners, since=since)
    assert sum(months.values()) == 15
    with django_assert_max_num_queries(1):
        per_scenario = progress_figures.simulator_figures(users=learners, since=since)
    assert per_scenario[programme["scenario"]] == {"learners": 12, "passed": 6}


def test_the_page_has_an_accessible_chart_and_the_same_numbers_in_a_table(coordinator_client, programme):
    html = coordinator_client.get(reverse("figures:programme")).content.decode()
    assert 'role="img"' in html and 'aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">' in html and '<desc id="chart-desc">' in html
    assert "minder dan 5" in html or "fewer than 5" in html
    assert html.count("<table") == 5  # months, totals, help points, modules, simulators
    assert ">12<" in html


def test_the_csv_has_the_same_suppressed_figures(coordinator_client, programme):
    with translation.override("nl"):  # the Dutch site, where the help points of the fixture are
        url = reverse("figures:programme_csv")
        few = figures.show(None)
        not_shown = figures.show(None, "%")
    response = coordinator_client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 5
    point_b = next(row for row in rows if row[1] == programme["points"][1].name)
    assert point_b[2:] == [few, few, not_shown]
    numbers = [cell for row in rows for cell in row[2:4] if cell.isdigit()]
    assert all(int(cell) >= 5 for cell in numbers)


def test_only_the_coordinator_sees_the_figures(client, coach, learners, django_user_model):
    urls = [reverse("figures:programme"), reverse("figures:programme_csv")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for user in (coach, learners[0]):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    for role in (roles.TRAINING_MANAGERS, roles.EDITORS):
        other = django_user_model.objects.create_user(f"x-{len(role)}", password="een-goed-wachtwoord")
        other.groups.add(Group.objects.get_or_create(name=role)[0])
        client.force_login(other)
        assert client.get(urls[0]).status_code == 403


def test_the_demo_has_a_coordinator(db):
    from accounts.demo import demo_users_ensure

    demo_users_ensure()
    from accounts.models import User

    assert User.objects.get(username="coordinator").has_role(roles.PROGRAMME_COORDINATORS)


@pytest.mark.parametrize("typed,exported", FORMULA_CASES, ids=FORMULA_IDS)
def test_no_cell_of_the_csv_is_a_formula(coordinator_client, programme, typed, exported):
    """Help point names are typed by editors: the one rule of learn/spreadsheets.py."""
    point = programme["points"][0]
    point.name = typed
    point.save()
    with translation.override("nl"):
        url = reverse("figures:programme_csv")
    rows = list(csv.reader(io.StringIO(coordinator_client.get(url).content.decode("utf-8-sig"), newline="")))
    assert exported in [row[1] for row in rows]
