"""Simulator scenarios (sandboxes): one of the built-in scenario files, loaded in every language.

The built-in scenarios ship with the app (sandboxes/scenarios/*.json, loaded by `load_scenarios`); they are
not demo content. A test loads only the one it plays.
"""

from wagtail.models import Locale

from sandboxes.models import Scenario
from sandboxes.services import SCENARIO_DIR, LoadReport, scenario_file_read, scenario_load
from sandboxes.validation import LANGUAGES


def scenario(slug: str = "train", language: str = "nl") -> Scenario:
    """The built-in scenario `slug` (train, itsme, doctor, privacy) in `language`, loaded if needed."""
    found = Scenario.objects.filter(slug=slug, locale__language_code=language).first()
    if found is not None:
        return found
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    scenario_load(scenario_file_read(SCENARIO_DIR / f"{slug}.json"), locales=locales, report=LoadReport())
    return Scenario.objects.get(slug=slug, locale__language_code=language)
