"""The computer's own contrast and colour settings, the header at the largest text size, in a real browser.

* With no choice made, the computer's "more contrast" setting (`prefers-contrast: more`) gives the look of
  the "High contrast" preference; high contrast switched off on purpose wins over it.
* Forced colours (Windows high contrast) keep focus outlines, buttons and the simulator's guided element.
* At 320 px with the largest text, in Dutch and in Arabic, the header's items never overlap or stick out.

Read aloud of the lesson's title and summary is tested with the other read-aloud tests (test_readaloud.py).
"""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .learners import in_db, learners_made, sign_in
from .simulators import play_path
from .support import describe_violations, run_axe, stylesheet_rules

pytestmark = pytest.mark.browser

KEY = "oefenplein.display.v1"
SLUG = "train"
# Colours that high contrast changes: text, the muted summary, links, the header and a pager button.
LOOK_JS = """() => {
    const style = (selector) => {
        const element = document.querySelector(selector);
        if (!element) return null;
        const s = getComputedStyle(element);
        return [s.color, s.backgroundColor, s.borderTopColor, s.textDecorationThickness];
    };
    return {
        body: style('body'), lead: style('.lead'), link: style('.breadcrumbs a'), header: style('.site-header'),
        button: style('.pager .button'), text: style('.lesson-body .rich-text p'),
    };
}"""
HEADER_ITEMS_JS = """() => {
    const boxes = [];
    for (const element of document.querySelectorAll(
        '.site-header :is(.brand, .site-menu > summary, .main-nav a, .display-link, .account a, .account button, .language-nav a)'
    )) {
        const r = element.getBoundingClientRect();
        if (r.width && r.height) {
            boxes.push({name: element.textContent.trim().replace(/\\s+/g, ' '), left: r.left, right: r.right, top: r.top, bottom: r.bottom});
        }
    }
    return {boxes, scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth};
}"""


def ui(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def guest_preferences(page, preferences: dict) -> None:
    page.add_init_script(f"localStorage.setItem('{KEY}', {json.dumps(json.dumps(preferences))})")


def look(page, site) -> dict:
    page.goto(site.absolute(site.languages["nl"].lesson))
    page.wait_for_selector(".lesson-body")
    return page.evaluate(LOOK_JS)


def test_the_computers_more_contrast_setting_gives_the_high_contrast_look(chromium, site, db):
    """Four tabs: the preference on; no choice with "more contrast"; no choice without; "off" with "more contrast"."""

    def tab(preferences: dict | None, contrast: str | None) -> tuple[dict, str]:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            if preferences is not None:
                guest_preferences(page, preferences)
            if contrast:
                page.emulate_media(contrast=contrast)
            seen = look(page, site)
            return seen, page.evaluate("document.documentElement.className")
        finally:
            context.close()

    chosen, chosen_classes = tab({"contrast": True}, None)
    from_computer, computer_classes = tab(None, "more")
    usual, _ = tab(None, "no-preference")
    switched_off, off_classes = tab({"contrast": "off"}, "more")

    assert chosen_classes == "pref-contrast" and computer_classes == "" and off_classes == "pref-contrast-off"
    assert chosen["text"][0] == chosen["lead"][0] == "rgb(0, 0, 0)"
    assert chosen["header"][1] == "rgb(0, 45, 114)"
    assert from_computer == chosen  # the same look, though nothing was chosen
    assert usual != chosen and usual["lead"][0] != "rgb(0, 0, 0)"
    assert switched_off == usual  # switched off on purpose: the computer's setting does not win


def test_a_guest_can_switch_high_contrast_off_against_the_computers_setting(page, site):
    page.emulate_media(contrast="more")
    lesson = site.absolute(site.languages["nl"].lesson)
    page.goto(lesson)
    high = page.evaluate(LOOK_JS)
    page.get_by_role("link", name=ui("nl", "Display"), exact=True).click()
    form = page.locator("form[data-display-form]")
    box = form.get_by_role("checkbox", name=ui("nl", "High contrast"), exact=True)
    expect(box).to_be_checked()  # no choice yet: the box shows what the computer asks for
    box.uncheck()
    assert "pref-contrast-off" in page.evaluate("document.documentElement.className").split()  # shown at once
    form.get_by_role("button", name=ui("nl", "Save my choices"), exact=True).click()
    expect(page.locator("[data-display-status]")).to_have_text(ui("nl", "Your choices are saved on this computer."))
    assert json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))["contrast"] == "off"
    page.goto(lesson)
    assert page.evaluate("document.documentElement.className") == "pref-contrast-off"
    assert page.evaluate(LOOK_JS)["lead"] != high["lead"]

    # "Back to the usual look" forgets the choice: the computer's setting counts again.
    page.get_by_role("link", name=ui("nl", "Display"), exact=True).click()
    expect(box).not_to_be_checked()
    form.get_by_role("button", name=ui("nl", "Back to the usual look")).click()
    expect(box).to_be_checked()
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    page.goto(lesson)
    assert page.evaluate(LOOK_JS) == high


def test_a_learner_can_switch_high_contrast_off_against_the_computers_setting(page, site):
    from django.contrib.auth import get_user_model

    page.emulate_media(contrast="more")
    lesson = site.absolute(site.languages["nl"].lesson)
    with learners_made() as make:
        learner = make()
        sign_in(page, site, learner)
        page.goto(lesson)
        high = page.evaluate(LOOK_JS)
        page.get_by_role("link", name=ui("nl", "Display"), exact=True).click()
        form = page.locator("form[data-display-form]")
        box = form.get_by_role("checkbox", name=ui("nl", "High contrast"), exact=True)
        expect(box).to_be_checked()
        box.uncheck()
        form.get_by_role("button", name=ui("nl", "Save my choices"), exact=True).click()
        page.wait_for_selector(".messages")
        stored = in_db(lambda: get_user_model().objects.get(username=learner.username).display_preferences)
        assert stored == {"text": "normal", "contrast": "off", "motion": False, "spacing": False}
        html = page.request.get(lesson).text()
        assert '<html lang="nl" dir="ltr" class="pref-contrast-off">' in html
        page.goto(lesson)
        assert page.evaluate(LOOK_JS)["lead"] != high["lead"]
        # The form remembers "off": saving again without touching the box keeps it.
        page.get_by_role("link", name=ui("nl", "Display"), exact=True).click()
        expect(box).not_to_be_checked()
        form.get_by_role("button", name=ui("nl", "Save my choices"), exact=True).click()
        page.wait_for_selector(".messages")
        stored = in_db(lambda: get_user_model().objects.get(username=learner.username).display_preferences)
        assert stored["contrast"] == "off"


def _scenarios_loaded() -> None:
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    in_db(lambda: Scenario.objects.filter(slug=SLUG).exists() or scenarios_load())


def _focus_outline(page, selector: str) -> dict:
    page.locator(selector).first.focus()
    page.keyboard.press("Shift+Tab")  # move the focus by keyboard, so :focus-visible applies
    page.keyboard.press("Tab")
    return page.evaluate(
        "() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return {tag: e.tagName, cls: e.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,"
        " color: s.outlineColor, border: s.borderTopStyle}; }"
    )


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_forced_colours_keep_focus_buttons_and_the_guided_element_visible(page, site, language):
    page.emulate_media(forced_colors="active")
    page.goto(site.absolute(site.languages["nl"].lesson if language == "nl" else site.arabic_lesson))
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    for selector in (".breadcrumbs a", ".pager .button", ".lesson-body [data-read-aloud-button]", ".language-nav a"):
        focused = _focus_outline(page, selector)
        assert focused["style"] != "none" and focused["width"] >= 2, (selector, focused)
    for selector in (".pager .button", ".site-header .button", ".readaloud-button"):
        border = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).borderTopStyle")
        assert border == "solid", selector  # a button keeps its edge without a background

    _scenarios_loaded()
    page.goto(site.absolute(play_path(SLUG, language, "guided")))
    guided = page.locator(".sim-guided").first
    expect(guided).to_be_visible()
    outline = guided.evaluate("(e) => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; }")
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 3
    badge = page.locator(".sim-badge").first
    assert badge.evaluate("(e) => getComputedStyle(e).borderTopStyle") == "solid"


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_no_axe_violations_on_a_lesson_with_more_contrast_from_the_computer(axe_page, site, language):
    axe_page.emulate_media(contrast="more")
    response = axe_page.goto(site.absolute(site.languages["nl"].lesson if language == "nl" else site.arabic_lesson))
    assert response is not None and response.status == 200
    assert axe_page.evaluate("matchMedia('(prefers-contrast: more)').matches")
    assert stylesheet_rules(axe_page) > 0
    assert axe_page.evaluate(LOOK_JS)["lead"][0] == "rgb(0, 0, 0)"  # the high-contrast look is on
    violations = run_axe(axe_page)
    assert not violations, describe_violations(violations)


def _overlaps(a: dict, b: dict) -> bool:
    """More than a pixel of overlap both ways (rounding leaves touching boxes a fraction apart)."""
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    )


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("language", ["nl", "ar"])
def test_the_header_at_the_largest_text_never_overlaps_or_scrolls_sideways(page, site, language, width):
    guest_preferences(page, {"text": "larger"})
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.absolute(site.languages["nl"].lesson if language == "nl" else site.arabic_lesson))
    assert "pref-text-larger" in page.evaluate("document.documentElement.className")
    menu_button = page.locator(".site-menu > summary")
    if menu_button.is_visible():  # narrow screens fold the menu into one button: open it
        menu_button.click()
        expect(page.locator(".language-nav")).to_be_visible()
    found = page.evaluate(HEADER_ITEMS_JS)
    boxes = found["boxes"]
    assert len(boxes) >= 10  # the brand, the menu, "Display", "Sign in" and four languages
    assert found["scrollWidth"] <= width and found["bodyScrollWidth"] <= width
    for box in boxes:
        assert box["left"] >= -0.5 and box["right"] <= width + 0.5, f"{box['name']!r} sticks out: {box}"
    clashes = [(a["name"], b["name"]) for index, a in enumerate(boxes) for b in boxes[index + 1 :] if _overlaps(a, b)]
    assert not clashes, f"header items overlap at {width}px in {language}: {clashes}"
    # "Display" and "Sign in" stay together: side by side (in reading order), or lined up under each other.
    display = next(box for box in boxes if ui(language, "Display") in box["name"])
    sign_in_box = next(box for box in boxes if box["name"] == ui(language, "Sign in"))
    same_row = min(display["bottom"], sign_in_box["bottom"]) > max(display["top"], sign_in_box["top"])
    if same_row:
        gap = display["left"] - sign_in_box["right"] if language == "ar" else sign_in_box["left"] - display["right"]
        assert 0 <= gap <= 40, (display, sign_in_box)
    else:
        lined_up = abs(display["left"] - sign_in_box["left"]) < 2 or abs(display["right"] - sign_in_box["right"]) < 2
        assert lined_up and sign_in_box["top"] >= display["bottom"], (display, sign_in_box)
