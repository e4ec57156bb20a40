"""Translators see only texts: ids, targets and expected values stay the source's in every language."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from sandboxes.models import Scenario
from sandboxes.selectors import scenario_check

pytestmark = pytest.mark.django_db


def test_wagtail_localize_offers_the_texts_and_never_the_wiring(minimal_scenario):
    source, _created = TranslationSource.get_or_create_from_instance(minimal_scenario)
    texts = set(source.stringsegment_set.values_list("string__data", flat=True))
    assert {"Oefen een code", "Verder", "Dat is niet de code uit de sms.", "Gelukt!"} <= texts
    assert not texts & {"sms", "end", "code", "next", "12345", "done", "#1d4e89", "minimal"}


def test_a_translation_made_in_wagtail_localize_keeps_the_structure(minimal_scenario):
    Scenario.objects.filter(translation_key=minimal_scenario.translation_key, locale__language_code="fr").delete()
    french = Locale.objects.get(language_code="fr")
    source, _created = TranslationSource.get_or_create_from_instance(minimal_scenario)
    translation = Translation.objects.create(source=source, target_locale=french)
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=french,
            context=segment.context,
            data="FR " + segment.string.data,
        )
    translation.save_target(publish=True)

    result = Scenario.objects.get(translation_key=minimal_scenario.translation_key, locale=french)
    assert result.title == "FR Oefen een code"
    assert (result.start, result.slug) == ("sms", "minimal")
    button = next(c for c in result.screens[0].value["components"] if c.value["id"] == "next")
    assert (button.value["goto"], button.value["label"]) == ("end", "FR Verder")
    assert scenario_check(minimal_scenario).ok


def test_a_missing_language_is_reported_in_one_line(minimal_scenario):
    Scenario.objects.filter(translation_key=minimal_scenario.translation_key, locale__language_code="ar").delete()
    check = scenario_check(minimal_scenario)
    assert check.blocking == []
    assert len(check.translation) == 1
