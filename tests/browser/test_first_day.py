"""The first screen of a phone: the header and everything above the page title take at most 20% of it
(35% at the largest text size), and the menu folds into one "Menu" button that works by keyboard and
tells screen readers whether it is open. Signed in as a learner, in Dutch (ltr) and Arabic (rtl).
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .learners import in_db, learners_made, sign_in
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Budget for everything above the page title, as a share of the first screen (normal text, largest text).
BUDGET = {"normal": 0.20, "larger": 0.35}
TITLE_TOP_JS = "() => document.querySelector('main h1').getBoundingClientRect().top"


def _text_size(learner, size: str) -> None:
    from django.contrib.auth import get_user_model

    preferences = {} if size == "normal" else {"text": size}
    in_db(lambda: get_user_model().objects.filter(username=learner.username).update(display_preferences=preferences))


def _expanded(page, summary) -> bool | None:
    """What a screen reader hears: the "expanded" state Chromium's accessibility tree gives the Menu button."""
    session = page.context.new_cdp_session(page)
    try:
        name = summary.inner_text().strip()
        for node in session.send("Accessibility.getFullAXTree")["nodes"]:
            if (node.get("name") or {}).get("value", "").strip() == name and not node.get("ignored"):
                for prop in node.get("properties", []):
                    if prop["name"] == "expanded":
                        return prop["value"]["value"]
        return None
    finally:
        session.detach()


def _pages(site, language: str) -> list[str]:
    lesson = site.languages["nl"].lesson if language == "nl" else site.arabic_lesson
    return [site.languages[language].home, lesson, f"/{language}/my-learning/"]


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_on_a_phone_the_page_title_starts_high_at_every_text_size(page, site, language, direction):
    page.set_viewport_size(PHONE)
    with learners_made() as make:
        learner = make()
        sign_in(page, site, learner)
        assert page.url.endswith("/nl/my-learning/")  # a learner lands on My learning
        for size in ("normal", "larger"):
            _text_size(learner, size)
            for path in _pages(site, language):
                page.goto(site.absolute(path))
                assert html_lang_and_dir(page) == (language, direction)
                assert ("pref-text-larger" in page.evaluate("document.documentElement.className")) == (size == "larger")
                top = page.evaluate(TITLE_TOP_JS)
                assert top <= BUDGET[size] * PHONE["height"], f"{path} at {size} text: the title starts at {top:.0f}px"
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_menu_folds_into_one_button_on_a_phone_and_opens_by_keyboard(axe_page, site, language):
    page = axe_page
    page.set_viewport_size({"width": 320, "height": 800})
    with learners_made() as make:
        sign_in(page, site, make())
        page.goto(site.absolute(site.languages[language].home))
        summary = page.locator(".site-menu > summary")
        with translation.override(language):
            expect(summary).to_have_text(gettext("Menu"))
            my_learning = page.get_by_role("link", name=gettext("My learning"), exact=True)
        expect(summary).to_be_visible()
        expect(my_learning).to_be_hidden()
        expect(page.locator(".language-nav")).to_be_hidden()
        expect(page.locator(".display-link")).to_be_hidden()
        assert _expanded(page, summary) is False

        summary.focus()
        page.keyboard.press("Enter")
        expect(my_learning).to_be_visible()
        expect(page.locator(f".language-nav a[hreflang={language}]")).to_be_visible()
        expect(page.locator(".display-link")).to_be_visible()
        assert _expanded(page, summary) is True
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        violations = run_axe(page)  # with the menu open
        assert not violations, describe_violations(violations)

        page.goto(site.absolute(site.languages[language].home))
        summary.focus()
        page.keyboard.press("Space")
        expect(my_learning).to_be_visible()
        page.keyboard.press("Tab")  # into the menu
        page.keyboard.press("Escape")  # folds it again, the focus back on the button
        expect(my_learning).to_be_hidden()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        violations = run_axe(page)  # with the menu closed
        assert not violations, describe_violations(violations)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_on_a_wide_screen_the_menu_is_always_open_without_a_button(axe_page, site, language):
    page = axe_page
    page.set_viewport_size({"width": 1280, "height": 800})
    with learners_made() as make:
        sign_in(page, site, make())
        page.goto(site.absolute(_pages(site, language)[2]))
        expect(page.locator(".site-menu > summary")).to_be_hidden()
        with translation.override(language):
            expect(page.get_by_role("link", name=gettext("My learning"), exact=True)).to_be_visible()
            expect(page.get_by_role("link", name=gettext("Sign out"))).to_have_count(0)
            expect(page.get_by_role("button", name=gettext("Sign out"))).to_be_visible()
        expect(page.locator(f".language-nav a[hreflang={language}]")).to_be_visible()
        violations = run_axe(page)
        assert not violations, describe_violations(violations)


def test_without_javascript_the_menu_button_still_works(chromium, site, db):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.absolute(site.languages["nl"].home))
        summary = page.locator(".site-menu > summary")
        with translation.override("nl"):
            search = page.get_by_role("link", name=gettext("Search"), exact=True)
        expect(summary).to_be_hidden()
        expect(search).to_be_visible()  # closed, but on a wide screen the menu shows all the same
        page.set_viewport_size(PHONE)
        expect(search).to_be_hidden()
        summary.click()
        expect(search).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_a_tampered_certificate_link_says_not_valid_and_passes_axe(axe_page, site, language, width):
    axe_page.set_viewport_size({"width": width, "height": 800})
    response = axe_page.goto(site.absolute(f"/{language}/certificates/0123456789abcdef0123456789abcdef:forged/"))
    assert response is not None and response.status == 404
    with translation.override(language):
        expect(axe_page.locator("main")).to_contain_text(gettext("This certificate is not valid."))
    violations = run_axe(axe_page)
    assert not violations, describe_violations(violations)
