"""Signing in and a simulator with the keyboard alone, with a visible focus indicator at every stop.

test_keyboard.py follows a whole module (read, answer a question, next lesson) by keyboard and checks every
focus stop of a lesson; test_simulators.py completes a scenario by keyboard. This file adds what those leave
out: both ways of signing in (learner code + PIN, user name + password) by keyboard only, and a visible focus
on every stop of the simulator page. After the first `goto` nothing is clicked: only Tab, Shift+Tab, Enter and
typing.
"""

import uuid

import pytest

from .learners import in_db
from .support import active_element, has_visible_focus, press_until
from .test_inclusion_prefs import SLUG, sim_scenarios_loaded

pytestmark = pytest.mark.browser


class FocusStops:
    """Tab (or Shift+Tab) to an element, remembering every element the focus passed through."""

    def __init__(self, page):
        self.page = page
        self.seen: list[dict] = []

    def to(self, wanted, key: str = "Tab") -> dict:
        def record(element):
            self.seen.append(element)
            return wanted(element)

        return press_until(self.page, key, record)

    def assert_all_visible(self) -> None:
        invisible = [element for element in self.seen if element["tag"] != "body" and not has_visible_focus(element)]
        assert self.seen, "The focus never moved"
        assert not invisible, f"Focus is not visible on: {invisible}"


def _enter_and_wait(page):
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    return navigation.value


def _signed_in_as(page) -> str | None:
    body = page.locator("body[data-learner]")
    return body.get_attribute("data-learner") if body.count() else None


def _is_submit(element: dict, text: str | None = None) -> bool:
    return element["tag"] == "button" and element["type"] == "submit" and (text is None or text in element["text"])


@pytest.fixture
def people(db):
    """A coach's learner who signs in with a code and a PIN, and a person with a user name and password.

    Made inside the test (so with the test's password hasher), committed, and removed afterwards.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles
    from accounts.models import SignInKind
    from accounts.services import learner_create

    suffix = uuid.uuid4().hex[:10]
    password = f"oefen-{uuid.uuid4().hex}"

    def make():
        User = get_user_model()
        coach = User.objects.create_user(f"coach-{suffix}", display_name="An")
        coach.groups.add(Group.objects.get_or_create(name=roles.COACHES)[0])
        new = learner_create(coach=coach, display_name="Marie", language="nl", kind=SignInKind.PIN)
        reader = User.objects.create_user(f"reader-{suffix}", password=password, display_name="Lotte")
        return {
            "coach": coach.pk,
            "code": new.learner.learner_sign_in.code,
            "pin": new.secret,
            "pin_public_id": str(new.learner.public_id),
            "username": reader.username,
            "password": password,
            "password_public_id": str(reader.public_id),
        }

    made = in_db(make)
    yield made

    def clean():
        User = get_user_model()
        User.objects.filter(created_by_id=made["coach"]).delete()
        User.objects.filter(pk=made["coach"]).delete()
        User.objects.filter(username=made["username"]).delete()

    in_db(clean)


def test_a_learner_signs_in_with_code_and_pin_by_keyboard_only(page, site, people):
    page.goto(site.absolute("/nl/account/login/"))
    stops = FocusStops(page)
    stops.to(lambda element: element["id"] == "id_learner_code")
    page.keyboard.type(people["code"])
    stops.to(lambda element: _is_submit(element))
    response = _enter_and_wait(page)
    assert response.status == 200 and page.url.endswith("/nl/account/login/learner/"), page.url
    assert "Marie" in page.locator("h1").inner_text()

    stops.to(lambda element: element["id"] == "id_pin")
    page.keyboard.type(people["pin"])
    stops.to(lambda element: _is_submit(element))
    _enter_and_wait(page)
    assert _signed_in_as(page) == people["pin_public_id"]
    stops.assert_all_visible()
    page.request_log.assert_all_local()


def test_a_person_signs_in_with_user_name_and_password_by_keyboard_only(page, site, people):
    page.goto(site.absolute("/nl/account/login/"))
    stops = FocusStops(page)
    stops.to(lambda element: element["id"] == "id_username")
    page.keyboard.type(people["username"])
    page.keyboard.press("Tab")
    assert active_element(page)["id"] == "id_password"
    stops.seen.append(active_element(page))
    page.keyboard.type(people["password"])
    # Shift+Tab back to the user name and Tab again: the typed text is kept.
    page.keyboard.press("Shift+Tab")
    assert active_element(page)["id"] == "id_username"
    assert page.locator("#id_username").input_value() == people["username"]
    page.keyboard.press("Tab")
    stops.to(lambda element: _is_submit(element))
    _enter_and_wait(page)
    assert _signed_in_as(page) == people["password_public_id"]
    stops.assert_all_visible()
    page.request_log.assert_all_local()


def test_every_focus_stop_of_a_simulator_shows_a_visible_focus_indicator(page, site):
    """Tab through the whole simulator page once (player included); every stop shows where the focus is."""
    sim_scenarios_loaded()
    page.goto(site.absolute(f"/nl/oefenen/{SLUG}/"))
    page.wait_for_selector(".sim-coach")
    stops = []
    for _ in range(250):
        page.keyboard.press("Tab")
        element = active_element(page)
        if element is None or element["tag"] == "body" or (stops and "skip-link" in element["classes"]):
            break
        stops.append(element)
    else:
        pytest.fail("Tab never came back to the start of the page")
    assert len(stops) > 5 and any(element["tag"] == "button" for element in stops), stops
    invisible = [element for element in stops if not has_visible_focus(element)]
    assert not invisible, f"Focus is not visible on: {invisible}"
