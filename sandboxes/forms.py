"""The Wagtail edit form of a scenario: saving checks the whole scenario and lists every problem."""

import copy

from wagtail.admin.forms import WagtailAdminModelForm

from .selectors import scenario_check


class ScenarioAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = copy.copy(self.instance)
        for name, value in cleaned.items():
            if hasattr(candidate, name):
                setattr(candidate, name, value)
        check = scenario_check(candidate)
        # Gaps in other languages never block saving (translations come after the source); they are
        # listed after saving instead. Everything else must be fixed first.
        for problem in check.blocking:
            self.add_error(None, str(problem))
        return cleaned
