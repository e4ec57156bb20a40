"""The coordinator's programme figures in Chromium: an SVG chart with a title and description, the same
numbers in real tables, small counts in words, and no WCAG 2.2 A/AA violation found by axe-core, in Dutch
(ltr) and Arabic (rtl)."""

import uuid
from contextlib import contextmanager

import pytest

from .learners import Learner, in_db, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser


@contextmanager
def coordinator_with_figures():
    """A coordinator, and 6 learners with records this month (shown) plus 2 at a help point (suppressed)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import SignInKind
    from accounts.services import learner_create
    from coaching import services
    from coaching.models import CoachGroup
    from lessons.models import HelpPoint, LessonPage
    from progress.models import LessonProgress, LessonStatus

    username, password = f"coordinator-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"

    def make():
        User = get_user_model()
        coordinator = User.objects.create_user(username, password=password, display_name="Cora")
        coordinator.groups.add(Group.objects.get_or_create(name=roles.PROGRAMME_COORDINATORS)[0])
        coach = User.objects.create_user(f"coach-{uuid.uuid4().hex[:10]}", display_name="Coach")
        coach.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
        people = [
            learner_create(coach=coach, display_name=f"L{n}", language="nl", kind=SignInKind.PIN).learner
            for n in range(8)
        ]
        point = HelpPoint.objects.filter(locale__language_code="nl").first()
        group = services.group_create(coach=coach, name="Bib", help_point=point)
        services.group_learners_add(coach=coach, group=group, learners=people[:2])
        lesson = LessonPage.objects.live().filter(locale__language_code="nl").first()
        now = timezone.now()
        for person in people:
            LessonProgress.objects.create(
                user=person,
                lesson_key=lesson.translation_key,
                module_key=lesson.get_parent().translation_key,
                status=LessonStatus.COMPLETED,
                started_at=now,
                completed_at=now,
                last_activity_at=now,
            )
        return coordinator, group.pk, [person.pk for person in [*people, coach]]

    coordinator, group_pk, user_pks = in_db(make)
    try:
        yield Learner(username, password, str(coordinator.public_id))
    finally:

        def clean():
            CoachGroup.objects.filter(pk=group_pk).delete()
            get_user_model().objects.filter(pk__in=[*user_pks, coordinator.pk]).delete()

        in_db(clean)


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_programme_figures_have_an_accessible_chart_and_tables(axe_page, site, language, direction):
    page = axe_page
    with coordinator_with_figures() as coordinator:
        sign_in(page, site, coordinator, language=language)
        page.goto(site.absolute(f"/{language}/coach/figures/"))
        assert html_lang_and_dir(page) == (language, direction)
        chart = page.locator("svg[role=img]")
        assert chart.count() == 1
        assert chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
        assert page.locator("table caption").count() >= 3
        assert page.locator("table th[scope=row]").count() >= 12
        page.request_log.assert_all_local()

        violations = run_axe(page)
        assert not violations, f"axe-core found problems on the programme figures ({language}):\n" + (
            describe_violations(violations)
        )
