"""A learner who only uses the keyboard can follow a whole module, and always sees where the focus is.

These tests never click: after the first `goto` every step is a key press on `page.keyboard`.
"""

import pytest

from .support import active_element, has_visible_focus, press_until

pytestmark = pytest.mark.browser


def _is(element: dict, tag: str, cls: str | None = None, **attributes) -> bool:
    if element["tag"] != tag or (cls and cls not in element["classes"]):
        return False
    return all(element.get(name) == value for name, value in attributes.items())


def _press_and_wait_for_page(page, key: str = "Enter"):
    with page.expect_navigation() as navigation:
        page.keyboard.press(key)
    return navigation.value


def _lesson_heading_and_position(page) -> tuple[str, str]:
    return page.locator("h1").inner_text().strip(), page.locator(".lesson-position").inner_text()


def test_a_module_can_be_followed_with_the_keyboard_only(page, site):
    tour = site.tour
    question = tour.question
    page.goto(site.absolute(tour.lessons[0]))
    assert _lesson_heading_and_position(page)[0] == tour.titles[0]

    # The first Tab reaches the skip link, and Enter on it moves the focus to the main content.
    page.keyboard.press("Tab")
    assert "skip-link" in active_element(page)["classes"], active_element(page)
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "main"

    # Tab into the first question: focus lands on its first option; Shift+Tab leaves it and Tab returns.
    first_option = f"q-{question.block_id}-0"
    press_until(page, "Tab", lambda element: element["id"] == first_option)
    page.keyboard.press("Shift+Tab")
    assert active_element(page)["id"] != first_option
    page.keyboard.press("Tab")
    assert active_element(page)["id"] == first_option

    # Space checks the focused option; the arrow keys move through the group, checking as they go.
    # Go down to the last option, then up to the right answer.
    page.keyboard.press("Space")
    assert page.locator(f"#{first_option}").is_checked()
    last = question.option_count - 1
    for _ in range(last):
        page.keyboard.press("ArrowDown")
    element = active_element(page)
    assert element["id"] == f"q-{question.block_id}-{last}" and element["checked"], element
    for _ in range(last - question.correct_index):
        page.keyboard.press("ArrowUp")
    chosen = f"q-{question.block_id}-{question.correct_index}"
    assert active_element(page)["id"] == chosen
    assert page.locator(f"#{chosen}").is_checked()

    # Tab leaves the group for the "check my answer" button; Enter sends the answer.
    page.keyboard.press("Tab")
    assert _is(active_element(page), "button", type="submit"), active_element(page)
    response = _press_and_wait_for_page(page)
    assert response.status == 200
    assert f"question={question.block_id}" in page.url and f"answer={question.correct_index}" in page.url

    # The feedback is on the page, in a status region, and the answer's URL fragment puts the focus on
    # it, so a screen reader reads it out at once.
    feedback = page.locator(f"#q-{question.block_id}-result")
    assert feedback.is_visible()
    assert feedback.get_attribute("role") == "status"
    assert active_element(page)["id"] == f"q-{question.block_id}-result"
    assert "feedback-right" in feedback.get_attribute("class")
    assert question.feedback in feedback.inner_text()
    assert page.locator(f"#{chosen}").is_checked()

    # From the feedback, Tab on to the "next lesson" link and follow it with Enter.
    press_until(page, "Tab", lambda element: _is(element, "a", "pager-next", rel="next"))
    _press_and_wait_for_page(page)
    title, position = _lesson_heading_and_position(page)
    assert page.url == site.absolute(tour.lessons[1])
    assert title == tour.titles[1] != tour.titles[0]
    assert "2" in position

    # Walk on to the last lesson, then "Back to the module" leads to the module page.
    for number in range(2, len(tour.lessons)):
        press_until(page, "Tab", lambda element: _is(element, "a", "pager-next", rel="next"))
        _press_and_wait_for_page(page)
        assert page.url == site.absolute(tour.lessons[number])
        assert str(number + 1) in _lesson_heading_and_position(page)[1]
    back = press_until(page, "Tab", lambda element: _is(element, "a", "pager-next"))
    assert back["rel"] is None and back["href"] == tour.module, back
    _press_and_wait_for_page(page)
    assert page.url == site.absolute(tour.module)
    page.request_log.assert_all_local()


def test_every_focus_stop_of_a_lesson_shows_a_visible_focus_indicator(page, site):
    """Tab through the whole lesson page once; each stop, the skip link and buttons included, shows focus."""
    page.goto(site.absolute(site.tour.lessons[0]))
    stops = []
    for _ in range(200):
        page.keyboard.press("Tab")
        element = active_element(page)
        if element is None or element["tag"] == "body" or (stops and "skip-link" in element["classes"]):
            break
        stops.append(element)
    else:
        pytest.fail("Tab never came back to the start of the page")

    assert "skip-link" in stops[0]["classes"], stops[0]
    assert any(element["tag"] == "button" for element in stops), "No button was reached with Tab"
    assert any(element["tag"] == "input" and element["type"] == "radio" for element in stops)
    invisible = [element for element in stops if not has_visible_focus(element)]
    assert not invisible, f"Focus is not visible on: {invisible}"
