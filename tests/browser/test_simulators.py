"""The simulator player in a real browser: every built-in scenario solved in every mode, axe on every
screen, keyboard only, a safety error, nothing leaving the site, and the safe-input guard.

Elements are found by role and accessible name from the scenario's runtime data (tests/browser/simulators.py).
Writes (learners, their records) go through tests/browser/learners.py, like the other writing browser tests.
"""

import json
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from sandboxes.guard import national_number_example, sensitive_kind

from .learners import QUEUE_JS, in_db, learners_made, sign_in, wait_until_sent
from .simulators import MODES, Simulator, is_focused, play_path, scenario_data, scenario_slugs, tab_to, ui_strings
from .support import describe_violations, html_lang_and_dir, run_axe, stylesheet_rules

pytestmark = pytest.mark.browser

VERBS = "http://adlnet.gov/expapi/verbs/"
EXT = "https://oefenplein.mechelen.be/xapi/ext/"
SLUGS = scenario_slugs()
# Calls a simulator must never make: each one is replaced before any page script runs, and noted.
WATCH_PERMISSIONS_JS = """(() => {
    window.__asked = [];
    const note = (name) => () => { window.__asked.push(name); return Promise.reject(new Error('not allowed')); };
    if (navigator.permissions) navigator.permissions.query = note('permissions.query');
    if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = note('getUserMedia');
    if (navigator.geolocation) {
        navigator.geolocation.getCurrentPosition = note('geolocation');
        navigator.geolocation.watchPosition = note('geolocation');
    }
    if (window.Notification) Notification.requestPermission = note('notifications');
})();"""


def scenario_activity(slug: str) -> str:
    """The xAPI activity id of a built-in scenario; loads the built-in scenarios if they are missing."""
    from sandboxes.activities import scenario_activity_id
    from sandboxes.models import Scenario
    from sandboxes.services import scenarios_load

    def lookup():
        scenario = Scenario.objects.filter(slug=slug, locale__language_code="nl").first()
        if scenario is None:
            scenarios_load()
            scenario = Scenario.objects.get(slug=slug, locale__language_code="nl")
        return scenario_activity_id(scenario)

    return in_db(lookup)


def open_scenario(page, site, slug: str, language: str = "nl", mode: str = "") -> Simulator:
    activity = scenario_activity(slug)
    response = page.goto(site.absolute(play_path(slug, language, mode)))
    assert response is not None and response.status == 200, play_path(slug, language, mode)
    simulator = Simulator(page, scenario_data(slug, language), ui_strings(language))
    simulator.activity = activity
    simulator.response = response
    simulator.heading(simulator.data["start"]).wait_for()
    return simulator


def records(learner, activity: str) -> list[str]:
    return [row["verb"].removeprefix(VERBS) for row in learner.stored() if row["object_id"] == activity]


def attempts(learner) -> list[dict]:
    """The learner's simulator attempts as the server judged them (replayed over the scenario)."""
    from progress.models import SimulatorAttempt

    fields = ("passed", "score", "safety_errors", "wrong_actions", "hints", "trail")
    return in_db(
        lambda: list(SimulatorAttempt.objects.filter(user__username=learner.username).order_by("id").values(*fields))
    )


def is_guided(locator) -> bool:
    """The guided-mode badge is just before this element, and the element is marked as the next step."""
    return locator.evaluate(
        "e => e.classList.contains('sim-guided') && !!e.previousElementSibling"
        " && e.previousElementSibling.classList.contains('sim-badge')"
        " && document.querySelectorAll('.sim-badge').length === 1"
    )


def explicit_wrong(simulator, screen_id: str):
    """An element of this screen that is wrong whatever the state (result "wrong"), or None."""
    for component in simulator.screen(screen_id)["components"]:
        for item in [component, *component.get("options", [])]:
            if item.get("result") == "wrong" and "id" in item and not item.get("require_fields"):
                return item
    return None


def queued_statements(page) -> list[dict]:
    return [entry["statement"] for entry in page.evaluate(QUEUE_JS)]


def outcomes(statements: list[dict]) -> list[str]:
    return [
        statement["result"]["extensions"][EXT + "outcome"]
        for statement in statements
        if statement["verb"]["id"] == VERBS + "interacted"
    ]


# 1. Every scenario, every mode, end to end -------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("slug", SLUGS)
def test_scenario_is_solved_in_each_mode(page, site, slug, mode):
    with learners_made() as make:
        learner = make()
        sign_in(page, site, learner)
        simulator = open_scenario(page, site, slug, mode=mode)
        ui, data = simulator.ui, simulator.data
        expect(page.get_by_role("button", name=ui[mode], exact=True)).to_have_attribute("aria-pressed", "true")
        expect(simulator.device.get_by_text(ui["mark"], exact=True)).to_be_visible()
        hint = page.get_by_role("button", name=ui["hint"], exact=True)
        mistake = None
        for index, step in enumerate(data["solution"]):
            screen = simulator.screen(step["screen"])
            simulator.heading(step["screen"]).wait_for()
            # Guided: the instruction of every screen is shown, and the badge is on the element this step
            # needs (a field before the button that needs it); test mode shows neither help.
            if mode == "guided":
                expect(page.get_by_text(screen["instruction"], exact=True)).to_be_visible()
                kind, item = simulator.element(step["screen"], step["element"])
                if not (kind == "field" and item.get("prefill")):  # filled in already: the next one is meant
                    target = simulator.locator(step["screen"], step["element"])
                    assert is_guided(target), f"{slug}: the badge is not on {step['screen']}/{step['element']}"
            elif mode == "test":
                assert hint.count() == 0
                expect(page.get_by_text(screen["instruction"], exact=True)).to_be_hidden()
                if mistake is None and (mistake := explicit_wrong(simulator, step["screen"])):
                    simulator.locator(step["screen"], mistake["id"]).click()  # one wrong tap: -10
                    expect(page.get_by_role("status").filter(has_text=ui["not_right"])).to_be_visible()
                    simulator.do(step)
                    continue
            elif index == 0:
                hint.click()
                expect(page.get_by_text(screen["hint"], exact=True).first).to_be_visible()
            expect(simulator.device.get_by_text(ui["mark"], exact=True)).to_be_visible()
            simulator.do(step)
            expect(page.get_by_role("status").filter(has_text=ui["not_right"])).to_have_count(0)
        expect(simulator.finished()).to_be_visible()
        expect(simulator.finished()).to_be_focused()
        # One hint costs 5 points, one wrong tap 10.
        score = {"practice": 95, "test": 90 if mistake else 100, "guided": 100}[mode]
        expect(page.get_by_text(f"{score} / 100", exact=True)).to_be_visible()
        for goal in data["goals"]:
            expect(page.get_by_role("listitem").filter(has_text=f"{ui['goal_done']} {goal['label']}")).to_be_visible()
        wait_until_sent(page)
        verbs = records(learner, simulator.activity)
        judged = attempts(learner)
    assert verbs.count("attempted") == 1 and verbs.count("passed") == 1, verbs
    assert "failed" not in verbs and "interacted" in verbs, verbs
    # The server replayed the recorded actions over the scenario: it passes, with the score the engine showed.
    assert [(row["passed"], row["score"]) for row in judged] == [(True, score)], judged
    assert mode != "test" or mistake, f"{slug} has no wrong tap on its way to test the score with"


# 2. axe on every screen ---------------------------------------------------------------------------


def _axe_walk(page, simulator) -> list[str]:
    """Run axe on the start screen and after every solution step (guided mode, so the guide is shown)."""
    found = []

    def check(where):
        page.wait_for_timeout(120)  # the feedback message appears a moment after an action
        violations = run_axe(page)
        if violations:
            found.append(f"{simulator.data['slug']} {where}:\n{describe_violations(violations)}")

    check(f"screen {simulator.data['start']}")
    for step in simulator.data["solution"]:
        simulator.do(step)
        check(f"after {step['screen']}/{step['element']}")
    expect(simulator.finished()).to_be_visible()
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_every_screen_has_no_axe_violations(axe_page, site, slug):
    simulator = open_scenario(axe_page, site, slug, mode="guided")
    assert html_lang_and_dir(axe_page) == ("nl", "ltr")
    assert stylesheet_rules(axe_page) > 100, "The simulator stylesheet did not load"
    found = _axe_walk(axe_page, simulator)
    assert not found, "\n".join(found)
    axe_page.request_log.assert_all_local()


def test_arabic_at_320_pixels_has_no_axe_violations(axe_page, site):
    slug = "train" if "train" in SLUGS else SLUGS[0]
    axe_page.set_viewport_size({"width": 320, "height": 800})
    simulator = open_scenario(axe_page, site, slug, language="ar", mode="guided")
    assert html_lang_and_dir(axe_page) == ("ar", "rtl")
    found = []
    for step in simulator.data["solution"]:
        # Nothing is wider than the screen: no sideways scrolling at 320 px.
        assert axe_page.evaluate("document.documentElement.scrollWidth") <= 320, step
        simulator.do(step)
    expect(simulator.finished()).to_be_visible()
    violations = run_axe(axe_page)
    if violations:
        found.append(describe_violations(violations))
    assert not found, "\n".join(found)


def test_the_safety_stop_and_the_mark_have_no_axe_violations_in_arabic(axe_page, site):
    slug = "train" if "train" in SLUGS else SLUGS[0]
    axe_page.set_viewport_size({"width": 320, "height": 800})
    simulator = open_scenario(axe_page, site, slug, language="ar", mode="practice")
    violations = run_axe(axe_page)
    assert not violations, describe_violations(violations)
    axe_page.reload()
    simulator.heading(simulator.data["start"]).wait_for()
    _unsafe_step(simulator)[1].click()
    expect(axe_page.get_by_role("alertdialog")).to_be_visible()
    violations = run_axe(axe_page)
    assert not violations, describe_violations(violations)
    # The other way on from the Stop: back to the start, in the same attempt, with a note that it does not count.
    # (axe swapped the Arabic texts for Latin letters: the second way on is found by its place.)
    axe_page.get_by_role("alertdialog").get_by_role("button").nth(1).click()
    expect(simulator.heading(simulator.data["start"])).to_be_focused()
    expect(axe_page.get_by_role("alertdialog")).to_be_hidden()
    axe_page.wait_for_timeout(120)  # the note appears a moment later
    violations = run_axe(axe_page)
    assert not violations, describe_violations(violations)


# 3. Keyboard only ---------------------------------------------------------------------------------


def test_a_scenario_can_be_completed_with_the_keyboard_only(page, site):
    """Also: with no mode asked for, the first try of a guest in this browser is guided, later ones practice."""
    slug = "train" if "train" in SLUGS else SLUGS[0]
    simulator = open_scenario(page, site, slug)  # no mode asked for, never tried here: guided
    expect(page.get_by_role("button", name=simulator.ui["guided"], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    for step in simulator.data["solution"]:
        simulator.do_by_keyboard(step)
    expect(simulator.finished()).to_be_visible()
    assert is_focused(simulator.finished())
    # Shift+Tab goes back into the player, and "Start again" is reachable and works from the keyboard.
    restart = page.get_by_role("button", name=simulator.ui["restart"], exact=True)
    for _ in range(80):
        page.keyboard.press("Shift+Tab")
        if is_focused(restart):
            break
    assert is_focused(restart)
    page.keyboard.press("Enter")
    expect(simulator.heading(simulator.data["start"])).to_be_focused()
    page.reload()
    simulator.heading(simulator.data["start"]).wait_for()
    expect(page.get_by_role("button", name=simulator.ui["practice"], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def test_the_pin_pad_takes_digits_and_refuses_weak_and_different_codes(page, site):
    """Digits typed on the keyboard fill the pad and Backspace deletes one; a weak code is a wrong
    step that empties the pad; the repeated code must be the same as the first."""
    slug = next((slug for slug in SLUGS if _first_pin_step(slug)), None)
    if slug is None:
        pytest.skip("No built-in scenario has a PIN pad")
    simulator = open_scenario(page, site, slug, mode="practice")
    ui = simulator.ui
    index, step = _first_pin_step(slug)
    for earlier in simulator.data["solution"][:index]:
        simulator.do(earlier)
    _, pin = simulator.element(step["screen"], step["element"])
    pad = simulator.locator(step["screen"], step["element"])
    wrong = page.get_by_role("status").filter(has_text=ui["not_right"])
    tab_to(page, pad.get_by_role("button", name="1", exact=True))
    if pin.get("weak"):
        page.keyboard.type(pin["weak"][0])
        expect(wrong).to_contain_text(pin["weak_feedback"])
        expect(simulator.heading(step["screen"])).to_be_visible()
    page.keyboard.type(step["value"][:-1])
    page.keyboard.press("Backspace")
    expect(simulator.heading(step["screen"])).to_be_visible()
    page.keyboard.type(step["value"][-2:])
    expect(simulator.heading(step["screen"])).to_have_count(0)
    expect(wrong).to_have_count(0)
    following = simulator.data["solution"][index + 1]
    kind, repeat = simulator.element(following["screen"], following["element"])
    if kind == "pin" and repeat.get("match") == pin["id"]:
        other = "".join(str((int(digit) + 1) % 10) for digit in following["value"])
        for digit in other:
            simulator.locator(following["screen"], following["element"]).get_by_role(
                "button", name=digit, exact=True
            ).click()
        expect(wrong).to_contain_text(repeat["feedback"])
        simulator.do(following)
        expect(simulator.heading(following["screen"])).to_have_count(0)


def _first_pin_step(slug):
    data = scenario_data(slug, "nl")
    for index, step in enumerate(data["solution"]):
        screen = next(screen for screen in data["screens"] if screen["id"] == step["screen"])
        if any(c["id"] == step["element"] and c["type"] == "pin" for c in screen["components"]):
            return index, step
    return None


# 4. A safety error means starting again -----------------------------------------------------------


def _unsafe_step(simulator):
    """The first unsafe element on a screen of the solution path that is reached before it, its locator and screen."""
    for index, step in enumerate(simulator.data["solution"]):
        screen = simulator.screen(step["screen"])
        for component in screen["components"]:
            for item in [component, *component.get("options", [])]:
                if item.get("safety") and "id" in item and "feedback" in item:
                    for earlier in simulator.data["solution"][:index]:
                        simulator.do(earlier)
                    return item, simulator.locator(screen["id"], item["id"]), screen["id"]
    raise AssertionError(f"{simulator.data['slug']} has no unsafe action on its way")


def test_after_a_safety_stop_the_learner_goes_on_before_the_mistake_and_the_error_stays(page, site):
    slug = "train" if "train" in SLUGS else SLUGS[0]
    with learners_made() as make:
        learner = make()
        sign_in(page, site, learner)
        simulator = open_scenario(
            page, site, slug, mode="guided"
        )  # guided: its "Well done!" must not show above an unsafe end
        ui = simulator.ui
        item, unsafe, mistake_screen = _unsafe_step(simulator)
        unsafe.click()
        stop = page.get_by_role("alertdialog", name=ui["stop"])
        expect(stop).to_be_visible()
        expect(stop).to_be_focused()
        expect(stop).to_contain_text(item["feedback"])
        # The attempt cannot go on as before: only the two ways on from the Stop are there.
        expect(simulator.device.get_by_role("button")).to_have_count(2)
        wait_until_sent(page)
        verbs = records(learner, simulator.activity)
        assert verbs.count("failed") == 1 and "passed" not in verbs, verbs
        stop.get_by_role("button", name=ui["step_again"], exact=True).click()
        # Back on the screen of the mistake, as it was just before it: not the first screen again.
        expect(simulator.heading(mistake_screen)).to_be_focused()
        expect(stop).to_be_hidden()
        index = next(i for i, step in enumerate(simulator.data["solution"]) if step["screen"] == mistake_screen)
        for step in simulator.data["solution"][index:]:
            simulator.do(step)
        # The end is reached, but the try does not count: score 0, and the safety error is shown.
        end = page.get_by_role("heading", name=ui["done_unsafe"], exact=True)
        expect(end).to_be_focused()
        expect(page.get_by_text(ui["not_counted"], exact=True)).to_be_visible()
        expect(page.get_by_text("0 / 100", exact=True)).to_be_visible()
        # Not dressed as a success: the end panel is marked unsafe, and no guide says "Well done!" above it.
        expect(page.locator("section.sim-end")).to_have_class(re.compile(r"\bsim-end-unsafe\b"))
        expect(page.locator(".sim-guide-panel")).to_be_hidden()
        wait_until_sent(page)
        verbs = records(learner, simulator.activity)
        judged = attempts(learner)
    # One attempt (one registration) that keeps its safety error; the server replayed the way on.
    assert verbs.count("attempted") == 1 and verbs.count("failed") == 1 and "passed" not in verbs, verbs
    assert len(judged) == 1, judged
    row = judged[0]
    assert (row["passed"], row["score"], row["safety_errors"]) == (False, 0, 1), row
    outcomes_done = [step["outcome"] for step in row["trail"]]
    assert outcomes_done.index("safety") + 1 == outcomes_done.index("resume"), outcomes_done
    assert row["trail"][outcomes_done.index("resume")]["screen"] == mistake_screen


# 5. Nothing leaves the site -----------------------------------------------------------------------


def test_a_full_run_stays_on_the_site_and_asks_for_no_permission(page, site):
    slug = "privacy" if "privacy" in SLUGS else SLUGS[0]
    page.add_init_script(WATCH_PERMISSIONS_JS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    simulator = open_scenario(page, site, slug, mode="test")
    headers = simulator.response.headers
    policy = headers.get("permissions-policy", "")
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy, policy
    assert "default-src 'self'" in headers.get("content-security-policy", "")
    # The app's colour reaches the app bar under that policy (a CSS custom property set from the script).
    color = simulator.data["app"]["color"]
    rgb = f"rgb({int(color[1:3], 16)}, {int(color[3:5], 16)}, {int(color[5:7], 16)})"
    bar = simulator.heading(simulator.data["start"]).evaluate("e => getComputedStyle(e.parentElement).backgroundColor")
    assert bar == rgb
    for step in simulator.data["solution"]:
        simulator.do(step)
    expect(simulator.finished()).to_be_visible()
    page.wait_for_timeout(300)
    page.request_log.assert_all_local()
    assert page.evaluate("window.__asked") == []
    # The player works under the page's strict CSP: no inline script or style was refused.
    assert not [text for text in console if "Content Security Policy" in text], console


# 6. The safe-input guard --------------------------------------------------------------------------

NATIONAL_NUMBER = national_number_example(date(1956, 3, 14), 123)
IBAN = "BE71 0961 2345 6769"
CARD = "4111 1111 1111 1111"


def _guard_field(simulator):
    """The first solution step that types in a field, after doing the steps before it."""
    for index, step in enumerate(simulator.data["solution"]):
        kind, _ = simulator.element(step["screen"], step["element"])
        if kind == "field":
            for earlier in simulator.data["solution"][:index]:
                simulator.do(earlier)
            return step
    raise AssertionError("No field in this scenario")


def test_the_guard_refuses_real_looking_numbers(page, site):
    slug = "privacy" if "privacy" in SLUGS else SLUGS[0]
    simulator = open_scenario(page, site, slug, mode="practice")  # a guest: everything stays in localStorage
    ui = simulator.ui
    step = _guard_field(simulator)
    field = simulator.locator(step["screen"], step["element"])
    submit = next(
        c
        for c in simulator.screen(step["screen"])["components"]
        if c["type"] == "button" and step["element"] in c.get("require_fields", [])
    )
    button = simulator.locator(step["screen"], submit["id"])
    cases = [
        (NATIONAL_NUMBER, "guard_national_number", "click"),
        (IBAN, "guard_iban", "tab"),
        (CARD, "guard_card", "enter"),
    ]
    for number, message, how in cases:
        field.fill(number)
        if how == "click":
            button.click()
        elif how == "tab":
            field.press("Tab")
        else:
            field.press("Enter")
        expect(page.get_by_role("status").filter(has_text=ui[message])).to_be_visible()
        expect(field).to_have_value("")
        expect(simulator.heading(step["screen"])).to_be_visible()
        expect(page.get_by_role("status").filter(has_text=ui["not_right"])).to_have_count(0)
        expect(field).not_to_have_attribute("aria-invalid", "true")

    # Wrong check digits: an ordinary value, and here a wrong one.
    broken = NATIONAL_NUMBER[:-2] + f"{(int(NATIONAL_NUMBER[-2:]) + 1) % 97:02d}"
    assert sensitive_kind(broken) is None
    field.fill(broken)
    button.click()
    expect(page.get_by_role("status").filter(has_text=ui["not_right"])).to_be_visible()
    expect(field).to_have_value(broken)

    statements = queued_statements(page)
    assert outcomes(statements)[-4:] == ["guarded", "guarded", "guarded", "wrong"], outcomes(statements)
    stored = json.dumps(page.evaluate("() => ({...localStorage, ...sessionStorage})"))
    for number in (NATIONAL_NUMBER, IBAN, CARD, broken):
        compact = number.replace(" ", "")
        assert compact not in stored.replace(" ", ""), f"{number} was kept in the browser"
        assert compact not in json.dumps(statements).replace(" ", ""), f"{number} is in a statement"


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_digits_typed_on_an_arabic_keyboard_count_and_are_guarded(page, site):
    """A number typed as ٠٤٧٠... is the same number: the step is right, and a real-looking number in
    Arabic-Indic digits is refused by the guard like one in 0-9."""
    slug = next(
        (
            slug
            for slug in SLUGS
            if any(
                component.get("normalize") == "digits"
                for screen in scenario_data(slug, "nl")["screens"]
                for component in screen["components"]
            )
        ),
        None,
    )
    if slug is None:
        pytest.skip("No built-in scenario has a digits field")
    simulator = open_scenario(page, site, slug, mode="practice")
    typed_arabic = 0
    for step in simulator.data["solution"]:
        kind, component = simulator.element(step["screen"], step["element"])
        if kind == "field" and component.get("normalize") == "digits" and not typed_arabic:
            simulator.heading(step["screen"]).wait_for()
            field = simulator.locator(step["screen"], step["element"])
            field.fill(NATIONAL_NUMBER.translate(ARABIC_INDIC))
            field.press("Enter")
            expect(page.get_by_role("status").filter(has_text=simulator.ui["guard_national_number"])).to_be_visible()
            expect(field).to_have_value("")
            field.fill(step["value"].translate(ARABIC_INDIC))
            typed_arabic += 1
        else:
            simulator.do(step)
        expect(simulator.feedback()).to_have_count(0)
    assert typed_arabic == 1
    expect(simulator.finished()).to_be_visible()
