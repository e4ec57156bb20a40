"""The easier (A2) text of a lesson, in Chromium: switching by keyboard, remembering the choice, and
no axe-core WCAG 2.2 A/AA violation in either version, in Dutch (ltr) and Arabic (rtl)."""

import pytest

from .support import active_element, describe_violations, html_lang_and_dir, press_until, run_axe

pytestmark = pytest.mark.browser

DIRECTIONS = {"nl": "ltr", "ar": "rtl"}
SWITCH = "[data-lesson-version]"


def _open(page, site, language, query=""):
    response = page.goto(site.absolute(site.languages[language].lesson) + query)
    assert response is not None and response.status == 200
    assert page.locator(SWITCH).count() == 1, f"The lesson {page.url} has no easier version to switch to"
    return response


@pytest.mark.parametrize("version", ["normal", "easy"])
@pytest.mark.parametrize("language", list(DIRECTIONS))
def test_both_versions_have_no_axe_violations(axe_page, site, language, version):
    _open(axe_page, site, language, f"?version={version}")
    assert html_lang_and_dir(axe_page) == (language, DIRECTIONS[language])
    current = axe_page.locator(f"{SWITCH} a[aria-current=true]")
    assert current.count() == 1 and current.get_attribute("data-version-choice") == version
    violations = run_axe(axe_page)
    assert not violations, f"axe-core found violations on {axe_page.url}:\n{describe_violations(violations)}"
    axe_page.request_log.assert_all_local()


def test_a_keyboard_user_switches_to_the_easier_text_and_back(page, site):
    _open(page, site, "nl")
    normal_question = page.locator("section.question legend").first.inner_text()

    element = press_until(
        page, "Tab", lambda element: element["tag"] == "a" and "version=easy" in (element["href"] or "")
    )
    assert element["outlineStyle"] != "none" or element["boxShadow"] != "none", "The switch shows no focus"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("?version=easy")
    assert page.locator(f"{SWITCH}[data-lesson-version=easy]").count() == 1
    assert page.locator(f"{SWITCH} a[data-version-choice=easy]").get_attribute("aria-current") == "true"
    assert page.locator("section.question legend").first.inner_text() != normal_question

    press_until(page, "Tab", lambda element: element["tag"] == "a" and "version=normal" in (element["href"] or ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("?version=normal")
    assert page.locator("section.question legend").first.inner_text() == normal_question
    assert active_element(page) is not None


def test_a_guest_gets_the_easier_text_again_on_this_device(page, site):
    _open(page, site, "nl")
    with page.expect_navigation():
        page.locator(f"{SWITCH} a[data-version-choice=easy]").click()
    # Opening the lesson again without a version: the stored choice brings back the easier text.
    page.goto(site.absolute(site.languages["nl"].lesson))
    page.wait_for_url("**?version=easy")
    assert page.locator(f"{SWITCH}[data-lesson-version=easy]").count() == 1


def test_the_switch_and_the_questions_work_without_javascript(db, chromium, site):
    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site.absolute(site.languages["nl"].lesson))
        tab.locator(f"{SWITCH} a[data-version-choice=easy]").click()
        assert tab.url.endswith("?version=easy")
        question = tab.locator("section.question").first
        question.locator("input[type=radio]").first.check()
        question.locator("button[type=submit]").click()
        assert "version=easy" in tab.url
        assert tab.locator(".feedback[role=status]").count() == 1
        assert tab.locator(f"{SWITCH}[data-lesson-version=easy]").count() == 1
    finally:
        context.close()
