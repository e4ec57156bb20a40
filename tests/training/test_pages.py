"""Manager pages: compliance per team and department, exports, who may see what; staff's own pages."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from progress.assignments import assignments_for
from progress.models import LessonStatus
from training import selectors, services
from training.models import Enrolment

from .conftest import lesson_done, make_staff, module_done


@pytest.fixture
def team_of_four(django_user_model, park_team, sweep_team, required, lessons, other_module):
    """Finished, busy, not started and too late, in the manager's team; one more in another manager's team."""
    people = [
        make_staff(django_user_model, park_team, f"G-{n}", name)
        for n, name in enumerate(["Ann", "Bram", "Cem", "Dirk"], start=1)
    ]
    make_staff(django_user_model, sweep_team, "N-1", "Nadia")
    services.enrolments_sync(today=date(2026, 11, 1))
    lesson_done(people[0].user, lessons[0].translation_key)
    module_done(people[0].user, other_module.translation_key)
    services.completions_update()
    lesson_done(people[1].user, lessons[0].translation_key, status=LessonStatus.IN_PROGRESS)
    Enrolment.objects.filter(staff=people[3]).update(due=timezone.localdate() - timedelta(days=1))
    return people


def urls_for(team, department, certificate_uuid=None):
    names = [
        ("training:team_compliance", team.pk),
        ("training:team_export_csv", team.pk),
        ("training:team_export_xlsx", team.pk),
        ("training:department_compliance", department.pk),
        ("training:department_export_csv", department.pk),
        ("training:department_export_xlsx", department.pk),
    ]
    return [reverse(name, args=[pk]) for name, pk in names]


def test_compliance_counts_per_team(team_of_four, park_team, manager):
    compliance = selectors.team_compliance(team=park_team)
    counts = compliance.counts
    assert (counts.completed, counts.in_progress, counts.not_started, counts.overdue) == (1, 1, 1, 1)
    status = {row.staff.employee_number: row.status for row in compliance.rows}
    assert status == {"G-1": "completed", "G-2": "in_progress", "G-3": "not_started", "G-4": "overdue"}
    (department,) = selectors.department_compliance(manager=manager, department=park_team.department)
    assert department.counts.total == 4


def test_the_team_page_is_a_table_with_status_in_words(team_of_four, park_team, client, manager):
    client.force_login(manager)
    response = client.get(reverse("training:team_compliance", args=[park_team.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<th scope="row">') == 4 and "<caption" in page
    assert 'class="cell-status cell-overdue"><span aria-hidden="true" class="cell-icon">!</span>' in page
    assert "Nadia" not in page


def test_the_home_page_lists_only_the_managers_departments(team_of_four, client, manager, other_manager):
    client.force_login(manager)
    page = client.get(reverse("training:manager_home")).content.decode()
    assert "Groendienst" in page and "Netheid" not in page
    client.force_login(other_manager)
    page = client.get(reverse("training:manager_home")).content.decode()
    assert "Netheid" in page and "Groendienst" not in page


def test_csv_export_parses_back(team_of_four, park_team, client, manager):
    client.force_login(manager)
    response = client.get(reverse("training:team_export_csv", args=[park_team.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 5
    assert [row[2] for row in rows[1:]] == ["G-1", "G-2", "G-3", "G-4"]
    assert rows[1][4] == "Digitaal veilig op het werk" and rows[1][7:9] == ["2", "2"]


def test_xlsx_export_parses_back(team_of_four, park_team, client, manager):
    client.force_login(manager)
    response = client.get(reverse("training:department_export_xlsx", args=[park_team.department.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 5 and {row[2] for row in rows[1:]} == {"G-1", "G-2", "G-3", "G-4"}


def test_another_managers_ids_answer_404(team_of_four, park_team, sweep_team, client, manager, other_manager):
    client.force_login(other_manager)
    for url in urls_for(park_team, park_team.department):
        assert client.get(url).status_code == 404, url
    client.force_login(manager)
    for url in urls_for(sweep_team, sweep_team.department):
        assert client.get(url).status_code == 404, url
    for url in urls_for(park_team, park_team.department):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [roles.LEARNERS, roles.COACHES, roles.EDITORS, None])
def test_other_roles_get_403_and_anonymous_visitors_the_sign_in_page(
    team_of_four, park_team, client, django_user_model, role
):
    urls = urls_for(park_team, park_team.department) + [
        reverse(name)
        for name in (
            "training:manager_home",
            "training:staff_import",
            "training:paper_reminders",
            "training:certificate_list",
        )
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url
    user = django_user_model.objects.create_user("someone", password="een-wachtwoord-123")
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_staff_see_their_programme_in_my_learning_and_on_their_page(team_of_four, client, lessons, other_module):
    bram = team_of_four[1]
    items = assignments_for(user=bram.user)
    assert {item.translation_key for item in items} == {lessons[0].translation_key, other_module.translation_key}
    assert {item.due for item in items} == {date(2026, 12, 20)}
    assert assignments_for(user=team_of_four[0].user) == []  # finished: nothing left to do
    client.force_login(bram.user)
    response = client.get(reverse("training:my_training"))
    assert [row.status for row in response.context["rows"]] == ["in_progress"]


def test_an_admin_item_takes_kind_and_key_from_the_chosen_page(programme, module, lessons, course):
    from django.core.exceptions import ValidationError

    from training.models import ItemKind, ProgrammeItem

    item = ProgrammeItem(programme=programme, page=module.page_ptr)
    item.clean()
    assert (item.kind, item.target_key) == (ItemKind.MODULE, module.translation_key)
    item = ProgrammeItem(programme=programme, page=lessons[1])
    item.clean()
    assert (item.kind, item.target_key) == (ItemKind.LESSON, lessons[1].translation_key)
    with pytest.raises(ValidationError):
        ProgrammeItem(programme=programme, page=course.tree.home["nl"].page_ptr).clean()


def test_programmes_departments_and_teams_are_in_the_wagtail_admin(client, django_user_model, programme, park_team):
    admin = django_user_model.objects.create_superuser("beheer", password="een-wachtwoord-123")
    client.force_login(admin)
    for model in ("programme", "department", "team"):
        assert client.get(f"/admin/snippets/training/{model}/").status_code == 200, model
    assert client.get(f"/admin/snippets/training/programme/edit/{programme.pk}/").status_code == 200
    assert client.get("/admin/snippets/training/programme/add/").status_code == 200
