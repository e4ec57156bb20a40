"""Playing a simulator scenario in the browser the way a learner does: by role and accessible name only.

Every element is found from the scenario's runtime data (the texts in the page language), never by a CSS
class: a button, list option or slot is a button named by its label, a field is a textbox labelled by its
label, a PIN pad is a group named by its label with digit buttons. The UI strings of the player are the
English msgids of sandboxes/includes/player.html, looked up with gettext like the template does.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from sandboxes.runtime import scenario_runtime

SCENARIO_DIR = Path(settings.BASE_DIR) / "sandboxes" / "scenarios"
MODES = ("guided", "practice", "test")
OPTION_TYPES = ("list", "slots", "permission", "cookies", "request")
UI_MSGIDS = {
    "restart": "Start again",
    "guided": "Step by step",
    "practice": "Practise",
    "test": "Test yourself",
    "instruction": "What to do now",
    "hint": "Show a hint",
    "goals": "What you need to do",
    "goal_done": "Done:",
    "done": "Well done! You finished this exercise.",
    "stop": "Stop! This was not safe.",
    "step_again": "Try this step again",
    "from_start": "Go back to the start",
    "done_unsafe": "You reached the end of this exercise.",
    "not_counted": "This try does not count because of the safety error. Start again and do every step safely.",
    "score": "Score",
    "not_right": "Not right.",
    "delete": "Delete",
    "guard_national_number": "This looks like a real national register number. Never type a real one here: this is "
    "only practice. We emptied the field and kept nothing. Use the details of the practice person.",
    "guard_iban": "This looks like a real bank account number (IBAN). Never type a real one here: this is only "
    "practice. We emptied the field and kept nothing. Use the details of the practice person.",
    "guard_card": "This looks like a real bank card number. Never type a real one here: this is only practice. "
    "We emptied the field and kept nothing. Use the details of the practice person.",
}


def scenario_slugs() -> list[str]:
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.json"))


def scenario_data(slug: str, language: str) -> dict:
    """The runtime scenario (every text in `language`), as the player receives it."""
    return scenario_runtime(json.loads((SCENARIO_DIR / f"{slug}.json").read_text(encoding="utf-8")), language)


def ui_strings(language: str) -> dict:
    with translation.override(language):
        strings = {key: gettext(msgid) for key, msgid in UI_MSGIDS.items()}
        strings["mark"] = pgettext("simulator mark on every screen", "PRACTICE")
    return strings


def play_path(slug: str, language: str, mode: str = "") -> str:
    with translation.override(language):
        path = reverse("sandboxes:play", kwargs={"slug": slug})
    return path + (f"?mode={mode}" if mode else "")


@dataclass
class Simulator:
    """One scenario on an open page: the steps of its `solution`, done by mouse or keyboard."""

    page: object
    data: dict
    ui: dict

    @property
    def device(self):
        return self.page.get_by_role("region", name=self.data["app"]["name"], exact=True)

    def screen(self, screen_id: str) -> dict:
        return next(screen for screen in self.data["screens"] if screen["id"] == screen_id)

    def heading(self, screen_id: str):
        return self.device.get_by_role("heading", name=self.screen(screen_id)["title"], exact=True)

    def element(self, screen_id: str, element_id: str) -> tuple[str, dict]:
        """The kind ("button", "option", "field", "pin", "notification") and data of an element."""
        for component in self.screen(screen_id)["components"]:
            if component["id"] == element_id:
                return component["type"], component
            for option in component.get("options", []) if component["type"] in OPTION_TYPES else []:
                if option["id"] == element_id:
                    return "option", option
        raise AssertionError(f"{element_id!r} is not on screen {screen_id!r} of {self.data['slug']}")

    def locator(self, screen_id: str, element_id: str):
        kind, item = self.element(screen_id, element_id)
        if kind in ("button", "option"):
            return self.device.get_by_role("button", name=item["label"], exact=True)
        if kind == "notification":
            return self.device.get_by_role("button", name=item["text"])
        if kind == "field":
            return self.device.get_by_role("textbox", name=item["label"], exact=True)
        if kind == "pin":
            return self.device.get_by_role("group", name=item["label"], exact=True)
        raise AssertionError(f"{kind} {element_id!r} cannot be used")

    def do(self, step: dict) -> None:
        """One solution step with the mouse (typing for fields and PIN pads)."""
        self.heading(step["screen"]).wait_for()
        kind, _ = self.element(step["screen"], step["element"])
        target = self.locator(step["screen"], step["element"])
        if kind == "field":
            target.fill(step["value"])
        elif kind == "pin":
            for digit in step["value"]:
                target.get_by_role("button", name=digit, exact=True).click()
        else:
            target.click()

    def do_by_keyboard(self, step: dict) -> None:
        """One solution step with Tab, Enter and typing only; fails when Tab never reaches the element."""
        self.heading(step["screen"]).wait_for()
        kind, _ = self.element(step["screen"], step["element"])
        target = self.locator(step["screen"], step["element"])
        if kind == "pin":
            target = target.get_by_role("button", name=step["value"][0], exact=True)
        tab_to(self.page, target)
        if kind in ("field", "pin"):
            self.page.keyboard.type(step["value"])
        else:
            self.page.keyboard.press("Enter")

    def finished(self):
        return self.page.get_by_role("heading", name=self.ui["done"], exact=True)

    def feedback(self):
        return self.page.get_by_role("status").filter(has_text=self.ui["not_right"])


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, limit: int = 60) -> None:
    for _ in range(limit):
        if locator.count() == 1 and is_focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {locator}")
