"""Writing scenarios: loading the built-in data files into Wagtail."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale

from .convert import scenario_fields
from .models import Scenario
from .validation import LANGUAGES, scenario_parse

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
SOURCE_LANGUAGE = "nl"


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def scenario_files(directory: Path = SCENARIO_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def scenario_file_read(path: Path) -> dict:
    """A built-in scenario file, checked: ScenarioInvalid lists every problem."""
    data = json.loads(path.read_text(encoding="utf-8"))
    scenario_parse(data)
    return data


@transaction.atomic
def scenarios_load(directory: Path = SCENARIO_DIR) -> LoadReport:
    """Create or update every built-in scenario in Dutch and its translations. Safe to run again."""
    report = LoadReport()
    locales = {language: Locale.objects.get_or_create(language_code=language)[0] for language in LANGUAGES}
    for path in scenario_files(directory):
        data = scenario_file_read(path)
        scenario_load(data, locales=locales, report=report)
    return report


def scenario_load(data: dict, *, locales: dict, report: LoadReport) -> Scenario:
    slug = data["slug"]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    source = Scenario.objects.filter(locale=locales[SOURCE_LANGUAGE], slug=slug).first()
    outcome = _apply(source, scenario_fields(data, SOURCE_LANGUAGE), locale=locales[SOURCE_LANGUAGE], digest=digest)
    source = outcome[0]
    _report(report, slug, SOURCE_LANGUAGE, outcome[1])
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        translation = Scenario.objects.filter(translation_key=source.translation_key, locale=locales[language]).first()
        if translation is None:
            translation = source.copy_for_translation(locales[language])
        translation, state = _apply(
            translation, scenario_fields(data, language), locale=locales[language], digest=digest
        )
        _report(report, slug, language, state)
    return source


def _apply(instance, fields: dict, *, locale, digest: str) -> tuple[Scenario, str]:
    """Write the file's version, unless this instance already holds it.

    The digest of the file is kept on the row: an unchanged file leaves the scenario alone, so an
    editor's later changes in Wagtail survive `make run`; a changed file replaces them.
    """
    if instance is None:
        instance = Scenario(locale=locale, built_in=True, data_digest=digest, **fields)
        instance.save()
        return instance, "created"
    if instance.pk is not None and instance.data_digest == digest:
        return instance, "unchanged"
    was_new = instance.pk is None
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.built_in = True
    instance.data_digest = digest
    instance.save()
    return instance, "created" if was_new else "updated"


def _report(report: LoadReport, slug: str, language: str, state: str) -> None:
    getattr(report, state).append(f"{slug} ({language})")
