"""axe-core finds no WCAG 2.2 A/AA violation on any kind of page, in Dutch (ltr) and Arabic (rtl).

Each page is also checked for its <html lang> and dir, and for loading nothing from outside the site.
"""

import pytest

from .support import describe_violations, html_lang_and_dir, run_axe, stylesheet_rules

pytestmark = pytest.mark.browser

DIRECTIONS = {"nl": "ltr", "ar": "rtl"}


def _home(page, site, pages):
    return page.goto(site.absolute(pages.home))


def _catalogue(page, site, pages):
    return page.goto(site.absolute(pages.catalogue))


def _catalogue_filtered(page, site, pages):
    response = page.goto(site.absolute(pages.catalogue) + "?topic=safety")
    assert page.locator("select[name=topic]").input_value() == "safety"
    return response


def _module(page, site, pages):
    return page.goto(site.absolute(pages.module))


def _lesson(page, site, pages):
    response = page.goto(site.absolute(pages.lesson))
    assert page.locator("h1").inner_text().strip() == pages.lesson_title
    return response


def _lesson_feedback(page, site, pages):
    """Answer the first question the way a learner does, so the feedback is on the page."""
    page.goto(site.absolute(pages.lesson))
    question = page.locator("section.question").first
    question.locator("input[type=radio]").first.check()
    with page.expect_navigation() as navigation:
        question.locator("button[type=submit]").click()
    feedback = page.locator(".feedback[role=status]")
    assert feedback.count() == 1 and feedback.is_visible()
    return navigation.value


def _search(page, site, pages):
    """Open search through the main menu and search for a word of a lesson title."""
    page.goto(site.absolute(pages.home))
    with page.expect_navigation():
        page.locator("nav.main-nav a[href$='/search/']").click()
    page.locator("input[type=search]").fill(pages.search_word)
    with page.expect_navigation() as navigation:
        page.locator("form[role=search] button[type=submit]").click()
    assert page.locator("ol.search-results li").count() >= 1, f"No search results for {pages.search_word!r}"
    return navigation.value


def _help(page, site, pages):
    return page.goto(site.absolute(pages.help))


def _sign_in(page, site, pages):
    """Follow the "Sign in" link of the header."""
    page.goto(site.absolute(pages.home))
    with page.expect_navigation() as navigation:
        page.locator(".site-header .account a").click()
    assert page.locator("input[type=password]").count() == 1
    return navigation.value


def _not_found(page, site, pages):
    return page.goto(site.absolute(pages.not_found))


def _bad_request(page, site, pages):
    return page.goto(site.absolute(pages.bad_request))


PAGES = {
    "home": (_home, 200),
    "catalogue": (_catalogue, 200),
    "catalogue-filtered": (_catalogue_filtered, 200),
    "module": (_module, 200),
    "lesson": (_lesson, 200),
    "lesson-feedback": (_lesson_feedback, 200),
    "search-results": (_search, 200),
    "help-nearby": (_help, 200),
    "sign-in": (_sign_in, 200),
    "not-found": (_not_found, 404),
    "bad-request": (_bad_request, 400),
}


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("language", list(DIRECTIONS))
def test_page_has_no_axe_violations(axe_page, site, language, kind):
    open_page, status = PAGES[kind]
    response = open_page(axe_page, site, site.languages[language])

    assert response is not None and response.status == status, f"{kind} answered {response and response.status}"
    assert html_lang_and_dir(axe_page) == (language, DIRECTIONS[language]), axe_page.url
    assert stylesheet_rules(axe_page) > 20, f"The site's stylesheet did not load on {axe_page.url}"
    violations = run_axe(axe_page)
    assert not violations, f"axe-core found violations on {axe_page.url}:\n{describe_violations(violations)}"
    axe_page.request_log.assert_all_local()


@pytest.mark.parametrize("language", list(DIRECTIONS))
def test_help_points_filter_works_by_keyboard_and_passes_axe_at_320_and_1280(axe_page, site, language):
    """Choose an area with the keyboard, send the form (no JavaScript needed), check both widths."""
    axe_page.goto(site.absolute(site.languages[language].help))
    district = axe_page.locator("select[name=district]")
    assert axe_page.locator(f"label[for='{district.get_attribute('id')}']").count() == 1
    district.focus()
    district.select_option("heffen")
    axe_page.locator("select[name=order]").select_option("postcode")
    with axe_page.expect_navigation() as navigation:
        axe_page.locator("form.filters button[type=submit]").press("Enter")
    assert navigation.value.status == 200
    assert "district=heffen" in axe_page.url
    assert axe_page.locator(".help-point").count() == 1
    route = axe_page.locator(".help-point a[href^='https://www.openstreetmap.org/directions']")
    assert route.count() == 1 and "noopener" in route.get_attribute("rel")
    assert axe_page.locator(".help-point .opening-now").count() == 1
    assert html_lang_and_dir(axe_page) == (language, DIRECTIONS[language])
    for width in (1280, 320):
        axe_page.set_viewport_size({"width": width, "height": 800})
        overflow = axe_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"The help points page scrolls sideways at {width}px"
        violations = run_axe(axe_page)
        assert not violations, f"axe-core at {width}px on {axe_page.url}:\n{describe_violations(violations)}"
    axe_page.request_log.assert_all_local()
