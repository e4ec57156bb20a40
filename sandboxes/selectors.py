"""Reading scenarios: which ones a learner may play, in which language, and their problems."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext as _
from wagtail.models import Locale

from progress.selectors import PageLink, simulator_tried

from .convert import scenario_data, scenario_runtime_for
from .models import Scenario
from .validation import LANGUAGE_NAMES, LANGUAGES, Problem, scenario_problems


@dataclass
class ScenarioCheck:
    blocking: list[Problem] = field(default_factory=list)
    translation: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blocking and not self.translation


def scenario_check(scenario) -> ScenarioCheck:
    """Every problem of a scenario and its translations. Texts missing in a language that has a
    translation are listed one by one; a language without any translation is one line."""
    data, languages = scenario_data(scenario)
    present = [language for language in LANGUAGES if language in languages]
    check = ScenarioCheck()
    for problem in scenario_problems(data, languages=present):
        (check.translation if problem.code == "translation" else check.blocking).append(problem)
    for language in LANGUAGES:
        if language not in languages:
            check.translation.append(
                Problem(
                    where="",
                    message=_("missing translation: there is no %(language)s version of this scenario yet.")
                    % {"language": _(LANGUAGE_NAMES[language])},
                    code="translation",
                )
            )
    return check


def scenarios_for_language(language: str):
    """The scenarios a learner can practise, in `language` (Dutch where there is no translation)."""
    locale = Locale.objects.filter(language_code=language).first()
    source = Locale.objects.filter(language_code="nl").first()
    rows = list(Scenario.objects.filter(locale=locale)) if locale else []
    have = {row.translation_key for row in rows}
    if source and source != locale:
        rows += [row for row in Scenario.objects.filter(locale=source) if row.translation_key not in have]
    return sorted(rows, key=lambda row: row.title.lower())


def scenario_for_language(*, slug: str, language: str) -> Scenario | None:
    for scenario in scenarios_for_language(language):
        if scenario.slug == slug:
            return scenario
    return None


def scenario_by_key(*, translation_key, language: str) -> Scenario | None:
    rows = {
        row.locale.language_code: row
        for row in Scenario.objects.filter(translation_key=translation_key).select_related("locale")
    }
    return rows.get(language) or rows.get("nl") or next(iter(rows.values()), None)


def scenario_runtime(scenario) -> dict:
    return scenario_runtime_for(scenario)


def scenario_links(*, keys, language: str, request=None) -> dict:
    """{translation key: PageLink} to the practice page of each scenario, for "My learning". One query."""
    rows = Scenario.objects.filter(translation_key__in=list(keys), locale__language_code__in={language, "nl"})
    found = {}
    for row in rows.select_related("locale"):
        if row.translation_key in found and row.locale.language_code != language:
            continue
        found[row.translation_key] = row
    links = {}
    for key, row in found.items():
        row_language = row.locale.language_code
        with override(language):
            url = reverse("sandboxes:play", args=[row.slug])
        links[key] = PageLink(
            title=row.title,
            url=url,
            language=row_language,
            direction="rtl" if get_language_info(row_language)["bidi"] else "ltr",
        )
    return links


def scenario_screen_titles_for(*, translation_keys, language: str) -> dict:
    """{translation key: {screen id: title}} for several scenarios, in `language` or Dutch. One query."""
    return {
        key: titles.screens
        for key, titles in scenario_titles_for(translation_keys=translation_keys, language=language).items()
    }


@dataclass(frozen=True)
class ScenarioTitles:
    title: str
    screens: dict  # {screen id: title}


def scenario_titles_for(*, translation_keys, language: str) -> dict:
    """{translation key: ScenarioTitles} in `language` or else Dutch: a scenario's name and its screens'
    titles, for a coach who reads where learners are stuck. One query (none without keys)."""
    keys = [key for key in translation_keys if key]
    if not keys:
        return {}
    rows = Scenario.objects.filter(translation_key__in=keys, locale__language_code__in={language, "nl"})
    chosen: dict = {}
    for row in rows.select_related("locale"):
        if row.translation_key in chosen and row.locale.language_code != language:
            continue
        chosen[row.translation_key] = row
    return {
        key: ScenarioTitles(title=row.title, screens={block.value["id"]: block.value["title"] for block in row.screens})
        for key, row in chosen.items()
    }


def scenario_tried(*, user, scenario) -> str:
    """For the player's first-try rule: "1" tried before, "0" never, "" a guest (the browser knows)."""
    return scenario_tried_key(user=user, scenario_key=str(scenario.translation_key))


def scenario_tried_key(*, user, scenario_key: str) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return "1" if simulator_tried(user=user, scenario_key=scenario_key) else "0"
