"""Built-in scenarios: loaded into Wagtail in four languages, idempotent, and faithful to the file."""

import json

import pytest

from sandboxes.convert import scenario_data, scenario_runtime_for
from sandboxes.models import Scenario
from sandboxes.schema import Scenario as ScenarioShape
from sandboxes.services import scenarios_load

pytestmark = pytest.mark.django_db


def test_loading_makes_one_scenario_per_language_with_one_translation_key(minimal_scenario):
    rows = Scenario.objects.filter(translation_key=minimal_scenario.translation_key)
    assert sorted(rows.values_list("locale__language_code", flat=True)) == ["ar", "en", "fr", "nl"]
    assert rows.get(locale__language_code="ar").title == "تدرّب على رمز"
    assert all(row.built_in for row in rows)


def test_translations_share_block_ids_so_wagtail_localize_can_match_them(minimal_scenario):
    arabic = Scenario.objects.get(translation_key=minimal_scenario.translation_key, locale__language_code="ar")
    assert [block.id for block in arabic.screens] == [block.id for block in minimal_scenario.screens]
    source_ids = [c.id for c in minimal_scenario.screens[0].value["components"]]
    assert [c.id for c in arabic.screens[0].value["components"]] == source_ids


def test_the_model_holds_exactly_what_the_file_says(minimal_scenario, minimal_data):
    data, languages = scenario_data(minimal_scenario)
    assert languages == {"nl", "fr", "en", "ar"}
    assert ScenarioShape.model_validate(data) == ScenarioShape.model_validate(minimal_data)


def test_the_runtime_has_every_text_in_one_language(minimal_scenario):
    arabic = Scenario.objects.get(translation_key=minimal_scenario.translation_key, locale__language_code="ar")
    runtime = scenario_runtime_for(arabic)
    assert runtime["title"] == "تدرّب على رمز"
    button = runtime["screens"][0]["components"][2]
    assert button == {
        "type": "button",
        "id": "next",
        "label": "التالي",
        "variant": "primary",
        "goto": "end",
        "require_fields": ["code"],
    }


def test_loading_again_changes_nothing_and_keeps_an_editors_change(minimal_scenario, tmp_path):
    minimal_scenario.summary = "Aangepast door de redactie."
    minimal_scenario.save()
    report = scenarios_load(tmp_path)
    assert report.created == [] and report.updated == []
    minimal_scenario.refresh_from_db()
    assert minimal_scenario.summary == "Aangepast door de redactie."


def test_a_changed_file_updates_every_language(minimal_scenario, minimal_data, tmp_path):
    minimal_data["title"] = {"nl": "Nieuwe titel", "fr": "Nouveau titre", "en": "New title", "ar": "عنوان جديد"}
    (tmp_path / "minimal.json").write_text(json.dumps(minimal_data, ensure_ascii=False), encoding="utf-8")
    report = scenarios_load(tmp_path)
    assert len(report.updated) == 4
    titles = Scenario.objects.filter(translation_key=minimal_scenario.translation_key).values_list("title", flat=True)
    assert set(titles) == {"Nieuwe titel", "Nouveau titre", "New title", "عنوان جديد"}


def test_a_broken_file_loads_nothing(db, tmp_path, minimal_data):
    from sandboxes.validation import ScenarioInvalid

    minimal_data["slug"] = "broken"
    minimal_data["start"] = "nowhere"
    (tmp_path / "broken.json").write_text(json.dumps(minimal_data), encoding="utf-8")
    with pytest.raises(ScenarioInvalid):
        scenarios_load(tmp_path)
    assert not Scenario.objects.filter(slug="broken").exists()
