"""Running a group session on a phone (320 px) in Chromium, in Dutch (ltr) and Arabic (rtl): no WCAG 2.2
A/AA violation found by axe-core, no sideways scrolling, and who came ticked and saved with the keyboard only."""

import uuid
from contextlib import contextmanager

import pytest

from .learners import Learner, in_db, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}


@contextmanager
def coach_with_a_session_today(preferences=None):
    """A coach who organises a workshop today with three learners and a confirmed guest signed up."""
    from datetime import datetime, time, timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import SignInKind
    from accounts.services import learner_create
    from group_sessions.models import GroupSession, SeatBooking, SessionOccurrence
    from lessons.models import HelpPoint

    username, password = f"coach-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"

    def make():
        User = get_user_model()
        coach = User.objects.create_user(username, password=password, display_name="Coach An")
        if preferences:
            from accounts.display import display_preferences_clean

            coach.display_preferences = display_preferences_clean(preferences)
            coach.save(update_fields=["display_preferences"])
        coach.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
        people = [
            learner_create(coach=coach, display_name=name, language="nl", kind=SignInKind.PIN).learner
            for name in ("Marie", "Yusuf", "نور")
        ]
        session = GroupSession.objects.create(
            kind="workshop",
            title="Werken met itsme",
            help_point=HelpPoint.objects.filter(locale__language_code="nl").first(),
            first_date=timezone.localdate(),
            starts_at=time(9, 0),
            ends_at=time(11, 0),
            seats=10,
            languages=["nl"],
        )
        session.organisers.add(coach)
        starts = timezone.make_aware(datetime.combine(timezone.localdate(), time(9, 0)))
        occurrence = SessionOccurrence.objects.create(session=session, starts=starts, ends=starts + timedelta(hours=2))
        bookings = [SeatBooking.objects.create(occurrence=occurrence, learner=person) for person in people]
        bookings.append(SeatBooking.objects.create(occurrence=occurrence, guest_first_name="Fatima"))
        return coach, session.pk, occurrence.pk, [b.pk for b in bookings], [p.pk for p in people]

    coach, session_pk, occurrence_pk, booking_pks, people_pks = in_db(make)
    try:
        yield Learner(username, password, str(coach.public_id)), occurrence_pk, booking_pks
    finally:

        def clean():
            GroupSession.objects.filter(pk=session_pk).delete()
            get_user_model().objects.filter(pk__in=[*people_pks, coach.pk]).delete()

        in_db(clean)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _step in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was never reached with Tab")


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_attendance_on_a_phone_by_keyboard_with_no_axe_violation(axe_page, site, language, direction):
    from group_sessions.models import SeatBooking

    page = axe_page
    page.set_viewport_size(PHONE)
    with coach_with_a_session_today() as (coach, occurrence_pk, booking_pks):
        sign_in(page, site, coach, language=language)
        page.goto(site.absolute(f"/{language}/sessions/run/{occurrence_pk}/"))
        assert html_lang_and_dir(page) == (language, direction)
        assert page.locator("input[name=present]").count() == 4
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        # Each row is a big target: at least 44 px high.
        heights = page.eval_on_selector_all(
            ".attendance-row", "rows => rows.map(r => r.getBoundingClientRect().height)"
        )
        assert min(heights) >= 44

        marie, _yusuf, noor, guest = booking_pks
        for booking in (marie, noor, guest):
            _tab_to(page, f"#present-{booking}")
            page.keyboard.press("Space")
        # With JavaScript every tap is saved at once (run.js); the button below saves the same list without it.
        page.wait_for_function(
            "() => document.getElementById('attendance-status').textContent"
            " === document.querySelector('form[data-attendance]').dataset.saved"
        )
        saved = in_db(lambda: dict(SeatBooking.objects.filter(pk__in=booking_pks).values_list("pk", "attended")))
        assert saved == {marie: True, booking_pks[1]: False, noor: True, guest: True}
        _tab_to(page, f"form[action$='/run/{occurrence_pk}/'] button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("input[name=present]:checked").count() == 3
        page.request_log.assert_all_local()
        states = in_db(lambda: dict(SeatBooking.objects.filter(pk__in=booking_pks).values_list("pk", "attended")))
        assert states == {marie: True, booking_pks[1]: False, noor: True, guest: True}

        violations = run_axe(page)
        assert not violations, f"axe-core found problems on the run page ({language}):\n" + describe_violations(
            violations
        )


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("width", [320, 1280])
def test_the_list_of_dates_and_the_run_page_have_no_axe_violation(axe_page, site, language, direction, width):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900 if width > 320 else 640})
    with coach_with_a_session_today() as (coach, occurrence_pk, _bookings):
        sign_in(page, site, coach, language=language)
        for path in (f"/{language}/sessions/run/", f"/{language}/sessions/run/{occurrence_pk}/"):
            page.goto(site.absolute(path))
            assert html_lang_and_dir(page) == (language, direction)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            violations = run_axe(page)
            assert not violations, f"axe-core found problems on {path} at {width} px:\n" + describe_violations(
                violations
            )


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_my_learning_with_the_next_session_has_no_axe_violation(axe_page, site, language, direction):
    """A learner signed up for a date tomorrow, with a lesson to practise before it."""
    from datetime import datetime, time, timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from group_sessions.models import GroupSession, SeatBooking, SessionItem, SessionOccurrence
    from lessons.models import HelpPoint, LessonPage

    username, password = f"learner-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"

    def make():
        learner = get_user_model().objects.create_user(username, password=password, display_name="Marie")
        learner.groups.add(Group.objects.get_or_create(name=roles.LEARNERS)[0])
        session = GroupSession.objects.create(
            kind="workshop",
            title="Werken met itsme",
            help_point=HelpPoint.objects.filter(locale__language_code="nl").first(),
            first_date=timezone.localdate(),
            starts_at=time(9, 0),
            ends_at=time(11, 0),
            seats=10,
            languages=["nl"],
        )
        lesson = LessonPage.objects.live().filter(locale__language_code="nl").order_by("path").first()
        SessionItem.objects.create(session=session, kind="lesson", target_key=lesson.translation_key, when="before")
        starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(9, 0)))
        occurrence = SessionOccurrence.objects.create(session=session, starts=starts, ends=starts + timedelta(hours=2))
        SeatBooking.objects.create(occurrence=occurrence, learner=learner)
        return learner, session.pk

    learner, session_pk = in_db(make)
    page = axe_page
    page.set_viewport_size(PHONE)
    try:
        sign_in(page, site, Learner(username, password, str(learner.public_id)), language=language)
        page.goto(site.absolute(in_db(lambda: _my_learning_path(language))))
        assert html_lang_and_dir(page) == (language, direction)
        section = page.locator("section.next-session")
        assert section.count() == 1 and section.locator("a").count() >= 2  # the date's page and a lesson
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        violations = run_axe(page)
        assert not violations, f"axe-core found problems on My learning ({language}):\n" + describe_violations(
            violations
        )
    finally:
        in_db(lambda: (GroupSession.objects.filter(pk=session_pk).delete(), learner.delete()))


def _my_learning_path(language: str) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse("progress:my_learning")


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_run_page_fits_a_phone_with_every_display_preference_on(axe_page, site, language):
    """Largest text, high contrast, less movement, more spacing: still no sideways scrolling, axe 0."""
    from .test_inclusion_prefs import ALL_ON

    page = axe_page
    page.set_viewport_size(PHONE)
    with coach_with_a_session_today(preferences=ALL_ON) as (coach, occurrence_pk, _bookings):
        sign_in(page, site, coach, language=language)
        page.goto(site.absolute(f"/{language}/sessions/run/{occurrence_pk}/"))
        assert page.evaluate("() => document.documentElement.classList.contains('pref-contrast')")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        violations = run_axe(page)
        assert not violations, f"axe-core found problems ({language}, preferences on):\n" + describe_violations(
            violations
        )
