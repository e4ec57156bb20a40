"""The "My learning" page after real lessons in Chromium: it shows them, and axe-core finds no
WCAG 2.2 A/AA violation on it, in Dutch (ltr) and Arabic (rtl)."""

import pytest

from .learners import answer, learners_made, sign_in, wait_until_sent
from .support import describe_violations, html_lang_and_dir, run_axe

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl")])
def test_my_learning_shows_the_lessons_and_passes_axe(axe_page, site, language, direction):
    page = axe_page
    tour = site.tour
    with learners_made() as make:
        learner = make()
        sign_in(page, site, learner)
        page.goto(site.absolute(tour.lessons[0]))
        answer(page, tour.question.block_id, tour.question.correct_index)
        # A lesson finishes on an answer to each of its questions (issue 12): answer the others too.
        others = page.locator("section.question").evaluate_all("sections => sections.map(s => s.id.slice(2))")
        for block_id in others:
            if block_id != tour.question.block_id:
                answer(page, block_id, 0)
        with page.expect_navigation():
            page.locator("a.pager-next[data-lesson-complete]").click()
        wait_until_sent(page)

        with page.expect_navigation():
            page.locator("nav.main-nav a[href$='/my-learning/']").click()
        assert page.url.endswith("/nl/my-learning/")
        if language != "nl":
            with page.expect_navigation():
                page.locator(f".language-nav a[hreflang={language}]").click()
        assert html_lang_and_dir(page) == (language, direction)
        assert page.locator("nav.main-nav a[aria-current=page][href$='/my-learning/']").count() == 1
        assert page.locator("a.resume-link").count() == 1
        assert page.locator("progress.learning-bar").count() == 1
        assert page.locator("#finished-title + .learning-list > li").count() == 1
        page.request_log.assert_all_local()

        violations = run_axe(page)
        assert not violations, f"axe-core found problems on My learning ({language}):\n" + describe_violations(
            violations
        )
