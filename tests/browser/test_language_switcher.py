"""The language switcher keeps the learner on the same lesson, in the other language and direction."""

import pytest

from .support import html_lang_and_dir

pytestmark = pytest.mark.browser


def test_switching_a_dutch_lesson_to_arabic_opens_the_same_lesson_right_to_left(page, site):
    dutch = site.languages["nl"].lesson
    page.goto(site.absolute(dutch))
    assert html_lang_and_dir(page) == ("nl", "ltr")

    link = page.get_by_role("link", name="العربية", exact=True)
    assert link.get_attribute("lang") == "ar"
    with page.expect_navigation() as navigation:
        link.click()

    assert navigation.value.status == 200
    # The Arabic page is the lesson with the same translation_key as the Dutch one.
    assert page.url == site.absolute(site.arabic_lesson)
    assert page.locator("h1").inner_text().strip() == site.arabic_lesson_title
    assert html_lang_and_dir(page) == ("ar", "rtl")
    current = page.locator("nav.language-nav a[aria-current]")
    assert current.count() == 1 and current.get_attribute("lang") == "ar"
    page.request_log.assert_all_local()
