"""Every problem of a scenario, in plain words: shape, graph, translations and made-up data.

Used when an editor saves a scenario in Wagtail, by `load_scenarios` for the built-in data files, and by
the tests. It never stops at the first problem: an editor fixes them all in one go.
"""

import re
from collections import deque
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pydantic import ValidationError

from . import guard
from .schema import Action, Scenario

LANGUAGES = ("nl", "fr", "en", "ar")
LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English", "ar": "Arabic"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ScenarioInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def scenario_parse(data: dict) -> Scenario:
    """The scenario as a model, or ScenarioInvalid with every problem."""
    problems = scenario_problems(data)
    if problems:
        raise ScenarioInvalid(problems)
    return Scenario.model_validate(data)


def scenario_problems(data, *, languages=LANGUAGES) -> list[Problem]:
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        return [_shape_problem(item) for item in error.errors()]
    checker = _Checker(scenario, languages)
    checker.run()
    return checker.problems


def _shape_problem(item: dict) -> Problem:
    where = " › ".join(str(part) for part in item.get("loc", ()) if not str(part).endswith("Component"))
    kind = item.get("type", "")
    if kind == "missing":
        message = _("this is missing.")
    elif kind == "extra_forbidden":
        message = _("this is not part of a scenario.")
    elif kind == "union_tag_invalid":
        message = _("unknown kind of element.")
    else:
        message = _("not valid (%(detail)s).") % {"detail": item.get("msg", "")}
    return Problem(where=where, message=message, code="shape")


class _Checker:
    def __init__(self, scenario: Scenario, languages):
        self.scenario = scenario
        self.languages = tuple(languages)
        self.problems: list[Problem] = []
        self.screens = {}
        self.goals = {goal.id for goal in scenario.goals}
        self.pins = {c.id for s in scenario.screens for c in s.components if c.type == "pin"}

    def add(self, where: str, message: str, code: str) -> None:
        self.problems.append(Problem(where=where, message=message, code=code))

    def run(self) -> None:
        scenario = self.scenario
        self._unique([goal.id for goal in scenario.goals], _("Goals"), _("goal"))
        self._unique([screen.id for screen in scenario.screens], _("Screens"), _("screen"))
        self.screens = {screen.id: screen for screen in scenario.screens}
        if scenario.start not in self.screens:
            self.add(_("Start"), _("the start screen “%(id)s” does not exist.") % {"id": scenario.start}, "target")
        self._text(scenario.title, _("Title"))
        self._text(scenario.summary, _("Summary"))
        self._text(scenario.app.name, _("App name"))
        self._text(scenario.persona.name, _("Persona"))
        self._made_up(scenario.persona.name, _("Persona"))
        for number, fact in enumerate(scenario.persona.facts, 1):
            where = _("Persona, fact %(n)s") % {"n": number}
            self._text(fact.label, where)
            self._text(fact.value, where)
            self._made_up(fact.value, where)
        for goal in scenario.goals:
            self._text(goal.label, _("Goal “%(id)s”") % {"id": goal.id})
        if scenario.safety:
            self._text(scenario.safety, _("Safety lesson"))
        for screen in scenario.screens:
            self._screen(screen)
        self._graph()
        self._solution()

    def _solution(self) -> None:
        for number, step in enumerate(self.scenario.solution, 1):
            where = _("Solution, step %(n)s") % {"n": number}
            screen = self.screens.get(step.screen)
            if screen is None:
                self.add(where, _("the screen “%(id)s” does not exist.") % {"id": step.screen}, "target")
                continue
            ids = {c.id for c in screen.components} | {
                o.id for c in screen.components for o in getattr(c, "options", ())
            }
            if step.element not in ids:
                self.add(where, _("the element “%(id)s” is not on this screen.") % {"id": step.element}, "target")

    def _unique(self, ids, where, noun) -> None:
        seen = set()
        for item_id in ids:
            if item_id in seen:
                self.add(
                    where, _("the %(noun)s id “%(id)s” is used twice.") % {"noun": noun, "id": item_id}, "duplicate"
                )
            seen.add(item_id)

    def _text(self, text, where) -> None:
        for language in self.languages:
            if not (text or {}).get(language, "").strip():
                self.add(
                    where,
                    _("missing translation: there is no %(language)s text.")
                    % {"language": _(LANGUAGE_NAMES.get(language, language))},
                    "translation",
                )
        unknown = set(text or {}) - set(LANGUAGES)
        if unknown:
            self.add(where, _("unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}, "shape")

    def _made_up(self, text, where) -> None:
        for value in (text or {}).values():
            if guard.sensitive_kind(value):
                self.add(
                    where,
                    _("this looks like a real personal number (its check digits are valid). Use made-up data."),
                    "real_data",
                )
                return

    def _screen(self, screen) -> None:
        here = _("Screen “%(id)s”") % {"id": screen.id}
        self._text(screen.title, here + " › " + _("title"))
        self._text(screen.instruction, here + " › " + _("instruction"))
        self._text(screen.hint, here + " › " + _("hint"))
        if screen.goal and screen.goal not in self.goals:
            self.add(here, _("the goal “%(id)s” does not exist.") % {"id": screen.goal}, "target")
        element_ids = []
        fields = set()
        for component in screen.components:
            element_ids.append(component.id)
            where = here + " › " + component.id
            self._component(component, where, screen)
            if component.type in ("field", "pin"):
                fields.add(component.id)
            for option in getattr(component, "options", ()):
                element_ids.append(option.id)
                self._text(option.label, where + " › " + option.id)
                if option.detail:
                    self._text(option.detail, where + " › " + option.id)
                self._action(option, where + " › " + option.id, screen)
        self._unique(element_ids, here, _("element"))
        if screen.guide and screen.guide not in element_ids:
            self.add(here, _("the guided element “%(id)s” is not on this screen.") % {"id": screen.guide}, "target")
        for component in screen.components:
            for action in [component, *getattr(component, "options", ())]:
                for field_id in getattr(action, "require_fields", ()) or ():
                    if field_id not in fields:
                        self.add(
                            here + " › " + action.id,
                            _("the field “%(id)s” is not on this screen.") % {"id": field_id},
                            "target",
                        )

    def _component(self, component, where, screen) -> None:
        kind = component.type
        for name in ("text", "label", "alt", "title", "site", "app", "sender", "feedback", "prefill", "help"):
            value = getattr(component, name, None)
            if isinstance(value, dict):
                self._text(value, where + " › " + name)
        for line in [*getattr(component, "lines", ()), *getattr(component, "details", ())]:
            self._text(line.label, where)
            self._text(line.value, where)
            self._made_up(line.value, where)
        if kind == "field":
            if component.pattern:
                try:
                    re.compile(component.pattern)
                except re.error:
                    self.add(where, _("the pattern is not a valid regular expression."), "shape")
            for value in [component.expected or "", *((component.prefill or {}).values())]:
                if guard.sensitive_kind(value):
                    self.add(where, _("this looks like a real personal number. Use made-up data."), "real_data")
        if kind == "pin":
            if component.weak and not component.weak_feedback:
                self.add(where, _("weak codes need a warning text."), "feedback")
            if component.weak_feedback:
                self._text(component.weak_feedback, where + " › " + _("warning"))
            if component.match and component.match not in self.pins:
                self.add(where, _("the code to repeat, “%(id)s”, does not exist.") % {"id": component.match}, "target")
            if component.expected and len(component.expected) != component.length:
                self.add(where, _("the expected code does not have %(n)s digits.") % {"n": component.length}, "shape")
        if kind == "price" and not self.scenario.fares:
            self.add(where, _("a price needs fare rules in the scenario."), "target")
        if kind == "summary":
            for row in component.rows:
                self._text(row.label, where)
                for value in row.values.values():
                    self._text(value, where)
        if isinstance(component, Action):
            self._action(component, where, screen)

    def _action(self, action: Action, where, screen) -> None:
        if action.goto and action.goto not in self.screens and action.goto not in {s.id for s in self.scenario.screens}:
            self.add(where, _("the target screen “%(id)s” does not exist.") % {"id": action.goto}, "target")
        if action.goal and action.goal not in self.goals:
            self.add(where, _("the goal “%(id)s” does not exist.") % {"id": action.goal}, "target")
        if (action.outcome == "wrong" or action.safety) and not action.feedback:
            self.add(where, _("a wrong or unsafe action needs feedback for the learner."), "feedback")
        if action.feedback:
            self._text(action.feedback, where + " › " + _("feedback"))
        if action.require and not action.require_feedback:
            self.add(where, _("a condition needs feedback for when it is not met."), "feedback")
        if action.require_feedback:
            self._text(action.require_feedback, where + " › " + _("feedback"))

    def _graph(self) -> None:
        scenario = self.scenario
        if scenario.start not in self.screens:
            return
        every = self._reach(lambda action: True)
        for screen in scenario.screens:
            if screen.id not in every:
                self.add(
                    _("Screen “%(id)s”") % {"id": screen.id},
                    _("no button or choice leads to this screen, so nobody can reach it."),
                    "unreachable",
                )
        good = self._reach(lambda action: action.outcome != "wrong" and not action.safety)
        reached = set()
        for screen_id in good:
            screen = self.screens[screen_id]
            if screen.goal:
                reached.add(screen.goal)
            for action in _actions(screen):
                if action.goal and action.outcome != "wrong" and not action.safety:
                    reached.add(action.goal)
        for goal in scenario.goals:
            if goal.id not in reached:
                self.add(
                    _("Goal “%(id)s”") % {"id": goal.id},
                    _("no path through the screens reaches this goal without a mistake."),
                    "goal_unreachable",
                )

    def _reach(self, follow) -> set:
        seen = {self.scenario.start}
        queue = deque([self.scenario.start])
        while queue:
            screen = self.screens[queue.popleft()]
            for action in _actions(screen):
                if action.goto in self.screens and action.goto not in seen and follow(action):
                    seen.add(action.goto)
                    queue.append(action.goto)
        return seen


def _actions(screen):
    for component in screen.components:
        if isinstance(component, Action):
            yield component
        yield from getattr(component, "options", ())
