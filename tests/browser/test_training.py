"""Training pages in Chromium: the manager's team compliance and the public certificate check page are real
tables / plain facts, in Dutch (ltr) and Arabic (rtl), with no WCAG 2.2 A/AA violation found by axe-core."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest

from .learners import Learner, in_db, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser


@contextmanager
def manager_with_team():
    """A training manager with a team of three staff (finished, busy, too late) and one certificate.

    Made in threads of their own and committed, so the live server sees them; removed afterwards.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from training import services
    from training.models import (
        Certificate,
        Department,
        Enrolment,
        ItemKind,
        Programme,
        ProgrammeAssignment,
        ProgrammeItem,
        StaffMember,
        Team,
    )
    from training.selectors import certificate_token

    username, password = f"manager-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"
    suffix = uuid.uuid4().hex[:6]

    def make():
        User = get_user_model()
        today = timezone.localdate()
        manager = User.objects.create_user(username, password=password, display_name="Els")
        manager.groups.add(Group.objects.get_or_create(name=roles.TRAINING_MANAGERS)[0])
        department = Department.objects.create(name=f"Groendienst {suffix}")
        team = Team.objects.create(department=department, name="Ploeg Vrijbroekpark")
        team.managers.add(manager)
        programme = Programme.objects.create(title=f"Digitaal veilig op het werk {suffix}")
        ProgrammeItem.objects.create(programme=programme, sort_order=1, kind=ItemKind.LESSON, target_key=uuid.uuid4())
        ProgrammeAssignment.objects.create(
            programme=programme, department=department, deadline=today + timedelta(days=10)
        )
        people = []
        for n, name in enumerate(["Karim El Amrani", "Sofie Peeters", "Jan Van den Broeck"]):
            user = User.objects.create_user(f"staff-{suffix}-{n}", display_name=name)
            people.append(
                StaffMember.objects.create(
                    user=user,
                    employee_number=f"{suffix}-{n}",
                    department=department,
                    team=team,
                    start_date=today - timedelta(days=900),
                )
            )
        services.enrolments_sync(today=today, staff_ids=[person.pk for person in people])
        Enrolment.objects.filter(staff=people[0]).update(completed_at=timezone.now())
        Enrolment.objects.filter(staff=people[2]).update(due=today - timedelta(days=2))
        enrolment = Enrolment.objects.get(staff=people[0])
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            staff=people[0],
            programme=programme,
            holder_name="Karim El Amrani",
            programme_title=programme.title,
            completed_on=today,
        )
        return manager, team.pk, department.pk, programme.pk, certificate_token(certificate=certificate)

    manager, team_pk, department_pk, programme_pk, token = in_db(make)
    try:
        yield Learner(username, password, str(manager.public_id)), team_pk, token
    finally:

        def clean():
            StaffMember.objects.filter(team_id=team_pk).delete()
            Programme.objects.filter(pk=programme_pk).delete()
            Department.objects.filter(pk=department_pk).delete()
            get_user_model().objects.filter(username__startswith=f"staff-{suffix}-").delete()
            get_user_model().objects.filter(pk=manager.pk).delete()

        in_db(clean)


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_team_compliance_is_a_real_table_and_passes_axe(axe_page, site, language, direction):
    page = axe_page
    with manager_with_team() as (manager, team_pk, _token):
        sign_in(page, site, manager, language=language)
        page.goto(site.absolute(f"/{language}/training/teams/{team_pk}/"))
        assert html_lang_and_dir(page) == (language, direction)
        table = page.locator("table.compliance-table")
        assert table.locator("caption").count() == 1
        assert table.locator("thead th[scope=col]").count() == 6
        assert table.locator("tbody th[scope=row]").count() == 3
        assert table.locator(".cell-status .cell-icon").count() == 3
        page.request_log.assert_all_local()

        violations = run_axe(page)
        assert not violations, f"axe-core found problems on the team page ({language}):\n" + describe_violations(
            violations
        )


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_the_certificate_check_page_passes_axe(axe_page, site, language, direction):
    page = axe_page
    with manager_with_team() as (_manager, _team_pk, token):
        response = page.goto(site.absolute(f"/{language}/certificates/{token}/"))
        assert response.status == 200
        assert html_lang_and_dir(page) == (language, direction)
        assert "Karim El Amrani" in page.locator("main").inner_text()
        page.request_log.assert_all_local()

        violations = run_axe(page)
        assert not violations, f"axe-core found problems on the check page ({language}):\n" + describe_violations(
            violations
        )
