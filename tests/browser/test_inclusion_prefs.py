"""Display preferences in a real browser: each one changes lessons and simulators, stays after a reload
(in the browser for a guest, in the account for a learner), and axe finds nothing with all of them on.

The preferences are chosen on the display page, reached from the header link, like a learner does.
"""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .learners import in_db, learners_made, sign_in, sign_out
from .simulators import play_path
from .support import describe_violations, html_lang_and_dir, run_axe, stylesheet_rules

pytestmark = pytest.mark.browser

KEY = "oefenplein.display.v1"
SLUG = "train"
ALL_ON = {"text": "larger", "contrast": True, "motion": True, "spacing": True}
STYLE_JS = """(selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const style = getComputedStyle(element);
    const px = (value) => parseFloat(value) || 0;
    return {
        fontSize: px(style.fontSize), color: style.color, background: style.backgroundColor,
        letterSpacing: px(style.letterSpacing), wordSpacing: px(style.wordSpacing), lineHeight: px(style.lineHeight),
        transition: style.transitionDuration, animation: style.animationName,
    };
}"""
LESSON_TEXT = ".lesson-body .rich-text p"
SIM_TEXT = ".sim-coach .sim-panel h3"


def ui(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def style(page, selector: str) -> dict:
    page.wait_for_selector(selector, state="attached")
    return page.evaluate(STYLE_JS, selector)


def open_simulator(page, site, language: str = "nl"):
    sim_scenarios_loaded()
    page.goto(site.absolute(play_path(SLUG, language, "guided")))
    page.wait_for_selector(".sim-coach")


_loaded = []


def sim_scenarios_loaded() -> None:
    if _loaded:
        return
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    in_db(lambda: Scenario.objects.filter(slug=SLUG).exists() or scenarios_load())
    _loaded.append(True)


def choose(page, site, language: str, *, text: str | None = None, **toggles) -> None:
    """Open the display page from the header, set the choices and press "Save my choices"."""
    page.get_by_role("link", name=ui(language, "Display"), exact=True).click()
    page.wait_for_selector("form[data-display-form]")
    form = page.locator("form[data-display-form]")
    if text:
        labels = {"normal": "Normal", "large": "Large", "larger": "Larger"}
        form.get_by_role("radio", name=ui(language, labels[text]), exact=True).check()
    names = {"contrast": "High contrast", "motion": "Less movement", "spacing": "More space between letters and lines"}
    for name, on in toggles.items():
        form.get_by_role("checkbox", name=ui(language, names[name]), exact=True).set_checked(on)
    form.get_by_role("button", name=ui(language, "Save my choices"), exact=True).click()


def back(page) -> None:
    page.go_back()
    page.wait_for_load_state()


def expectations(name: str, before: dict, after: dict) -> None:
    if name == "text":
        assert after["fontSize"] == pytest.approx(before["fontSize"] * 150 / 112.5, rel=0.02)
    elif name == "contrast":
        assert after["color"] == "rgb(0, 0, 0)"
    elif name == "motion":
        assert after["transition"] in ("0s", "0s, 0s") or after["animation"] == "none"
    elif name == "spacing":
        assert after["letterSpacing"] == pytest.approx(0.12 * after["fontSize"], abs=0.3)
        assert after["wordSpacing"] == pytest.approx(0.16 * after["fontSize"], abs=0.3)
        assert after["lineHeight"] >= 1.5 * after["fontSize"]


CHOICES = {
    "text": {"text": "larger"},
    "contrast": {"contrast": True},
    "motion": {"motion": True},
    "spacing": {"spacing": True},
}


@pytest.mark.parametrize("name", list(CHOICES))
def test_a_guest_preference_changes_lessons_and_simulators_and_stays(page, site, name):
    lesson = site.absolute(site.languages["nl"].lesson)
    page.goto(lesson)
    assert page.evaluate("document.documentElement.className") == ""
    lesson_before = style(page, LESSON_TEXT)
    button_before = style(page, ".pager .button")
    open_simulator(page, site)
    sim_before = style(page, SIM_TEXT)
    badge_before = style(page, ".sim-badge")
    assert button_before["transition"] not in ("0s",) and badge_before["animation"] == "sim-nudge"

    page.goto(lesson)
    choose(page, site, "nl", **CHOICES[name])
    expect(page.locator("[data-display-status]")).to_have_text(ui("nl", "Your choices are saved on this computer."))
    assert json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))[name] == CHOICES[name][name]

    for reload in (False, True):
        page.goto(lesson)
        if reload:
            page.reload()
        lesson_after = style(page, LESSON_TEXT)
        if name == "motion":
            expectations(name, button_before, style(page, ".pager .button"))
        else:
            expectations(name, lesson_before, lesson_after)
        open_simulator(page, site)
        if name == "motion":
            assert style(page, ".sim-badge")["animation"] == "none"
        elif name == "contrast":
            expectations(name, sim_before, style(page, SIM_TEXT))
            assert style(page, ".sim-appbar")["background"] == "rgb(0, 0, 0)"
            assert style(page, ".site-header")["background"] == "rgb(0, 45, 114)"
        else:
            expectations(name, sim_before, style(page, SIM_TEXT))

    # The cached page itself never carries a guest's choice: the script in <head> adds it.
    html = page.request.get(lesson).text()
    assert "pref-" not in html.split("<head>", 1)[0] and "display-preferences" not in html


def test_back_to_the_usual_look_forgets_a_guest_choice(page, site):
    page.goto(site.absolute(site.languages["nl"].lesson))
    choose(page, site, "nl", text="large", contrast=True)
    assert "pref-contrast" in page.evaluate("document.documentElement.className")
    page.locator("form[data-display-form]").get_by_role("button", name=ui("nl", "Back to the usual look")).click()
    assert page.evaluate("document.documentElement.className") == ""
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    assert page.get_by_role("radio", name=ui("nl", "Normal"), exact=True).is_checked()


def test_a_learner_keeps_preferences_in_the_account(page, site):
    lesson = site.absolute(site.languages["nl"].lesson)
    with learners_made() as make:
        learner = make()
        sign_in(page, site, learner)
        page.goto(lesson)
        choose(page, site, "nl", text="large", contrast=True, spacing=True)
        page.wait_for_selector(".messages")
        assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
        from django.contrib.auth import get_user_model

        stored = in_db(lambda: get_user_model().objects.get(username=learner.username).display_preferences)
        assert stored == {"text": "large", "contrast": True, "motion": False, "spacing": True}

        html = page.request.get(lesson).text()
        assert 'class="pref-text-large pref-contrast pref-spacing"' in html.split("<head>", 1)[0]
        page.goto(lesson)
        page.reload()
        assert style(page, "html")["fontSize"] == pytest.approx(21, abs=0.1)
        assert style(page, LESSON_TEXT)["color"] == "rgb(0, 0, 0)"
        open_simulator(page, site)
        assert style(page, ".sim-appbar")["background"] == "rgb(0, 0, 0)"
        assert style(page, SIM_TEXT)["letterSpacing"] > 0

        # The next person at this shared computer does not get them.
        sign_out(page)
        page.goto(lesson)
        assert page.evaluate("document.documentElement.className") == ""


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_no_axe_violations_with_every_preference_on(axe_page, site, language):
    axe_page.add_init_script(f"localStorage.setItem('{KEY}', {json.dumps(json.dumps(ALL_ON))!s})")
    pages = site.languages[language]
    paths = [pages.lesson if language == "nl" else site.arabic_lesson, play_path(SLUG, language, "guided")]
    sim_scenarios_loaded()
    with translation.override(language):
        from django.urls import reverse

        paths.append(reverse("accounts:display"))
    problems = []
    for path in paths:
        response = axe_page.goto(site.absolute(path))
        assert response is not None and response.status == 200, path
        if "oefenen" in path or "sandboxes" in path or "/play" in path:
            axe_page.wait_for_selector(".sim-coach .readaloud-button")
        assert html_lang_and_dir(axe_page)[0] == language
        assert stylesheet_rules(axe_page) > 0
        assert axe_page.evaluate("document.documentElement.className").split() == [
            "pref-text-larger",
            "pref-contrast",
            "pref-motion",
            "pref-spacing",
        ]
        violations = run_axe(axe_page)
        if violations:
            problems.append(f"{path}:\n{describe_violations(violations)}")
    assert not problems, "\n".join(problems)
