"""The coach's group dashboard in Chromium: a real table with headers, status in words, where learners are
stuck in a simulator (the screen by its title), no sideways scrolling of the page at 320 px, and no WCAG 2.2
A/AA violation found by axe-core, in Dutch (ltr) and Arabic (rtl), on a phone and a desktop."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest

from .learners import Learner, in_db, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser


@contextmanager
def coach_with_group():
    """A coach (user name and password) with a group of two learners, three tasks and some progress.

    Marie has three wrong answers in a lesson and three wrong clicks in a simulator she was not given;
    Yusuf stopped after a safety error in the simulator the group was given.

    Made in threads of their own and committed, so the live server sees them; removed afterwards.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import SignInKind
    from accounts.services import learner_create
    from coaching import services
    from coaching.models import AssignmentKind, CoachGroup
    from lessons.models import LessonPage, ModulePage
    from progress.models import LessonProgress, LessonStatus, SimulatorAttempt
    from sandboxes.models import Scenario

    username, password = f"coach-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"

    def make():
        User = get_user_model()
        coach = User.objects.create_user(username, password=password, display_name="Coach Test")
        coach.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
        people = [
            learner_create(coach=coach, display_name=name, language="nl", kind=SignInKind.PIN).learner
            for name in ("Marie", "Yusuf")
        ]
        group = services.group_create(coach=coach, name="Digibank Nekkerspoel, dinsdag")
        services.group_learners_add(coach=coach, group=group, learners=people)
        module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
        lesson = LessonPage.objects.live().child_of(module).order_by("path").first()
        services.assignment_create(
            coach=coach, group=group, kind=AssignmentKind.MODULE, target_key=module.translation_key
        )
        services.assignment_create(
            coach=coach,
            group=group,
            kind=AssignmentKind.LESSON,
            target_key=lesson.translation_key,
            due=timezone.localdate() + timedelta(days=3),
            learners=people[:1],
        )
        train = Scenario.objects.get(slug="train", locale__language_code="nl")
        doctor = Scenario.objects.get(slug="doctor", locale__language_code="nl")
        services.assignment_create(
            coach=coach, group=group, kind=AssignmentKind.SIMULATOR, target_key=train.translation_key
        )
        now = timezone.now()
        for person, scenario, minutes, fields in (
            (people[0], doctor, 1, {"wrong_actions": 3, "mistakes": {"slots": 3}, "last_screen": "slots"}),
            (
                people[1],
                train,
                12,
                {
                    "safety_errors": 1,
                    "mistakes": {"journey": 1},
                    "safety_mistakes": {"journey": 1},
                    "last_screen": "journey",
                    "last_outcome": "safety",
                },
            ),
        ):
            SimulatorAttempt.objects.create(
                user=person,
                registration=uuid.uuid4(),
                scenario_key=scenario.translation_key,
                mode="practice",
                started_at=now - timedelta(minutes=minutes + 5),
                last_activity_at=now - timedelta(minutes=minutes),
                **fields,
            )
        LessonProgress.objects.create(
            user=people[0],
            lesson_key=lesson.translation_key,
            module_key=module.translation_key,
            status=LessonStatus.IN_PROGRESS,
            wrong_answers=3,
            first_score=0.5,
            best_score=0.5,
            started_at=now - timedelta(minutes=10),
            last_activity_at=now - timedelta(minutes=1),
        )
        return coach, group.pk, [person.pk for person in people]

    coach, group_pk, learner_pks = in_db(make)
    try:
        yield Learner(username, password, str(coach.public_id)), group_pk
    finally:

        def clean():
            CoachGroup.objects.filter(pk=group_pk).delete()
            get_user_model().objects.filter(pk__in=[*learner_pks, coach.pk]).delete()

        in_db(clean)


def screen_title(language: str, slug: str, screen: str) -> str:
    def read():
        from sandboxes.models import Scenario

        scenario = Scenario.objects.get(slug=slug, locale__language_code=language)
        return next(block.value["title"] for block in scenario.screens if block.value["id"] == screen)

    return in_db(read)


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_group_dashboard_is_a_real_table_and_passes_axe(axe_page, site, language, direction):
    page = axe_page
    with coach_with_group() as (coach, group_pk):
        sign_in(page, site, coach, language=language)
        page.goto(site.absolute(f"/{language}/coach/groups/{group_pk}/"))
        assert html_lang_and_dir(page) == (language, direction)
        table = page.locator("table.progress-table")
        assert table.locator("caption").count() == 1
        assert table.locator("thead th[scope=col]").count() == 4
        assert table.locator("tbody th[scope=row]").count() == 2
        # Who needs help, and where: the lesson, the simulator screen of Marie's wrong clicks, Yusuf's safety stop.
        assert page.locator(".needs-help li").count() == 3
        wrong = page.locator(".needs-help li.help-wrong_answers").all_inner_texts()
        assert any(screen_title(language, "doctor", "slots") in text for text in wrong), wrong
        safety = page.locator(".needs-help li.help-safety")
        assert safety.count() == 1 and screen_title(language, "train", "journey") in safety.inner_text()
        assert page.locator(".needs-help li.help-idle").count() == 0  # a safety stop is not "nothing happened"
        # Both simulators are in the mistakes tables, also the one that was not given.
        assert page.locator(".simulator-mistakes table.mistakes-table").count() == 2
        assert page.locator("#dashboard-announce[aria-live=polite]").count() == 1
        page.request_log.assert_all_local()

        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900 if width > 320 else 640})
            assert not page_scrolls_sideways(page), f"the page scrolls sideways at {width} px ({language})"
            # The big table may scroll, but only inside its own labelled region that a keyboard can reach.
            region = page.locator("#progress-region")
            assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
            violations = run_axe(page)
            assert not violations, (
                f"axe-core found problems on the group dashboard ({language}, {width} px):\n"
                + describe_violations(violations)
            )


def test_the_table_refreshes_itself_and_says_so_politely(page, site):
    """With the site's CSP enforced: the script (no inline code) fetches the fragment every 30 seconds."""
    from django.utils import timezone

    from progress.models import ModuleProgress

    with coach_with_group() as (coach, group_pk):
        page.clock.install()
        sign_in(page, site, coach)
        page.goto(site.absolute(f"/nl/coach/groups/{group_pk}/"))
        yusuf = page.locator("tbody tr").filter(has=page.locator("th", has_text="Yusuf"))
        assert "Nog niet begonnen" in yusuf.locator("td").first.inner_text()

        def yusuf_starts():
            from coaching.models import CoachGroup

            group = CoachGroup.objects.get(pk=group_pk)
            now = timezone.now()
            ModuleProgress.objects.create(
                user=group.learners.get(display_name="Yusuf"),
                module_key=group.assignments.get(kind="module").target_key,
                lessons_total=3,
                started_at=now,
                last_activity_at=now,
            )

        in_db(yusuf_starts)
        page.clock.fast_forward("00:31")
        page.wait_for_function(
            "() => document.querySelector('#dashboard-announce').textContent.length > 0", timeout=10_000
        )
        assert "Bezig" in yusuf.locator("td").first.inner_text()
        assert page.locator("#dashboard-announce").inner_text() == "De tabel met de voortgang is bijgewerkt."
        page.request_log.assert_all_local()
