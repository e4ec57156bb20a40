"""Group sessions in Chromium on a phone (320 px) in Arabic: the list and a date's page read right to left,
a learner signs up with one tap, and axe-core finds no WCAG 2.2 A/AA violation before or after."""

import uuid
from contextlib import contextmanager
from datetime import time, timedelta

import pytest

from .learners import Learner, in_db, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 740}


@contextmanager
def session_and_learner():
    """A workshop at the Predikheren library next week, and a learner; committed, removed afterwards."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from group_sessions.models import GroupSession
    from group_sessions.occurrences import occurrences_sync
    from lessons.models import HelpPoint, ModulePage

    username, password = f"sessie-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"
    title = f"ورشة الهاتف الذكي {uuid.uuid4().hex[:4]}"

    def make():
        user = get_user_model().objects.create_user(username, password=password, preferred_language="ar")
        session = GroupSession.objects.create(
            kind="workshop",
            title=title,
            description="نتمرن معًا على الهاتف الذكي.",
            help_point=HelpPoint.objects.get(locale__language_code="nl", name__icontains="Predikheren"),
            first_date=timezone.localdate() + timedelta(days=7),
            starts_at=time(14, 0),
            ends_at=time(16, 0),
            seats=6,
            languages=["ar", "nl"],
            target_groups=["newcomers"],
        )
        module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
        session.items.create(kind="module", target_key=module.translation_key, when="before")
        occurrences_sync(session=session)
        return user, session.pk, session.occurrences.get().pk

    user, session_pk, occurrence_pk = in_db(make)
    try:
        yield Learner(username, password, str(user.public_id)), occurrence_pk, title
    finally:

        def clean():
            GroupSession.objects.filter(pk=session_pk).delete()
            get_user_model().objects.filter(pk=user.pk).delete()

        in_db(clean)


def _assert_fits_and_passes_axe(page, what: str) -> None:
    assert html_lang_and_dir(page) == ("ar", "rtl")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{what} scrolls sideways at 320 px ({width} px wide)"
    violations = run_axe(page)
    assert not violations, f"axe-core found problems on {what}:\n" + describe_violations(violations)


def test_a_learner_signs_up_on_a_phone_in_arabic(axe_page, site):
    page = axe_page
    page.set_viewport_size(PHONE)
    with session_and_learner() as (learner, occurrence_pk, title):
        sign_in(page, site, learner, language="ar")
        page.goto(site.absolute("/ar/sessions/"))
        link = page.get_by_role("link", name=title)
        assert link.get_attribute("href") == f"/ar/sessions/{occurrence_pk}/"
        # axe swaps the Arabic text for Latin letters (its contrast check), so it runs last on each page.
        _assert_fits_and_passes_axe(page, "the list of sessions")

        page.goto(site.absolute(f"/ar/sessions/{occurrence_pk}/"))
        assert page.locator(".practice-list a").count() == 1
        with page.expect_navigation():
            page.locator(f'form[action$="/ar/sessions/{occurrence_pk}/sign-up/"] button').click()
        assert page.locator(".message-success").first.inner_text().strip() == "تم تسجيلك. نراك هناك!"
        assert page.locator(f'form[action$="/ar/sessions/{occurrence_pk}/cancel-seat/"]').count() == 1
        page.request_log.assert_all_local()
        _assert_fits_and_passes_axe(page, "a date's page after signing up")


@contextmanager
def coach_of(occurrence_pk: int):
    """A coach who organises the session of this date; removed afterwards."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles
    from group_sessions.models import SessionOccurrence

    username, password = f"coach-{uuid.uuid4().hex[:10]}", f"oefen-{uuid.uuid4().hex}"

    def make():
        user = get_user_model().objects.create_user(username, password=password, display_name="Jan")
        user.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
        SessionOccurrence.objects.get(pk=occurrence_pk).session.organisers.add(user)
        return user

    user = in_db(make)
    try:
        yield Learner(username, password, str(user.public_id))
    finally:
        in_db(lambda: get_user_model().objects.filter(pk=user.pk).delete())


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_a_guest_asks_a_seat_and_the_organiser_pages_pass_axe(axe_page, site, language, direction):
    page = axe_page
    page.set_viewport_size(PHONE)
    with session_and_learner() as (_learner, occurrence_pk, _title):
        page.goto(site.absolute(f"/{language}/sessions/{occurrence_pk}/"))
        form = page.locator(f'form[action$="/{language}/sessions/{occurrence_pk}/ask-a-seat/"]')
        form.locator("input[name=first_name]").fill("Fatima")
        form.locator("input[name=phone]").fill("12")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert html_lang_and_dir(page) == (language, direction)
        assert page.locator("#id_phone_error").count() == 1
        assert page.locator("#id_phone").get_attribute("aria-invalid") == "true"
        violations = run_axe(page)
        assert not violations, f"axe on the guest form with an error ({language}):\n" + describe_violations(violations)

        with coach_of(occurrence_pk) as coach:
            sign_in(page, site, coach, language=language)
            for path in ("organise/", "organise/new/", f"organise/date/{occurrence_pk}/"):
                page.goto(site.absolute(f"/{language}/sessions/{path}"))
                assert html_lang_and_dir(page) == (language, direction)
                width = page.evaluate("() => document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"/{language}/sessions/{path} is {width} px wide at 320 px"
                violations = run_axe(page)
                assert not violations, f"axe on /{language}/sessions/{path}:\n" + describe_violations(violations)


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_the_sessions_pages_pass_axe_on_a_desktop(axe_page, site, language, direction):
    """At 1280 px: the list, a date's page, and the organiser's list, form and date (with its way to the run page)."""
    page = axe_page
    page.set_viewport_size({"width": 1280, "height": 800})
    with session_and_learner() as (_learner, occurrence_pk, _title), coach_of(occurrence_pk) as coach:
        sign_in(page, site, coach, language=language)
        paths = ["", f"{occurrence_pk}/", "organise/", "organise/new/", f"organise/date/{occurrence_pk}/"]
        for path in paths:
            page.goto(site.absolute(f"/{language}/sessions/{path}"))
            assert html_lang_and_dir(page) == (language, direction)
            if path.startswith("organise/date/"):
                run = page.locator(f'a[href="/{language}/sessions/run/{occurrence_pk}/"]')
                assert run.count() == 1
            violations = run_axe(page)
            assert not violations, f"axe on /{language}/sessions/{path} at 1280 px:\n" + describe_violations(violations)
