"""Editors build and check scenarios in Wagtail: saving lists every problem; preview plays it."""

import pytest
from django.urls import reverse

from sandboxes.models import Scenario

from .formdata import stream_form_data

pytestmark = pytest.mark.django_db


def edit_form_data(scenario, **changes) -> dict:
    data = {
        "title": scenario.title,
        "slug": scenario.slug,
        "summary": scenario.summary,
        "frame": scenario.frame,
        "app_name": scenario.app_name,
        "app_color": scenario.app_color,
        "persona_name": scenario.persona_name,
        "start": scenario.start,
        "initial_state": scenario.initial_state,
        "safety": scenario.safety,
    }
    for name in ("persona_facts", "fares", "goals", "screens", "solution"):
        data.update(stream_form_data(name, getattr(scenario, name)))
    data.update(changes)
    return data


def edit_url(scenario):
    return reverse("wagtailsnippets_sandboxes_scenario:edit", args=[scenario.pk])


def test_saving_a_link_to_a_screen_that_does_not_exist_is_refused_with_the_problem(admin_client, minimal_scenario):
    data = edit_form_data(minimal_scenario)
    goto = next(key for key, value in data.items() if key.endswith("-goto") and value == "end")
    data[goto] = "nowhere"
    data["start"] = "nowhere-either"
    response = admin_client.post(edit_url(minimal_scenario), data)
    assert response.status_code == 200
    errors = [str(error) for error in response.context["form"].non_field_errors()]
    assert any("nowhere" in error for error in errors)
    assert any("nowhere-either" in error for error in errors)
    minimal_scenario.refresh_from_db()
    assert minimal_scenario.start == "sms"


def test_saving_an_unreachable_screen_is_refused(admin_client, minimal_scenario):
    data = edit_form_data(minimal_scenario)
    goto = next(key for key, value in data.items() if key.endswith("-goto") and value == "end")
    data[goto] = ""
    response = admin_client.post(edit_url(minimal_scenario), data)
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].non_field_errors())
    assert "“end”" in errors  # the screen nobody can reach, and the goal on it


def test_a_good_edit_is_saved(admin_client, minimal_scenario):
    response = admin_client.post(
        edit_url(minimal_scenario), edit_form_data(minimal_scenario, title="Oefen een sms-code")
    )
    assert response.status_code == 302
    minimal_scenario.refresh_from_db()
    assert minimal_scenario.title == "Oefen een sms-code"


def test_after_saving_missing_translations_are_listed(admin_client, minimal_scenario):
    Scenario.objects.filter(translation_key=minimal_scenario.translation_key, locale__language_code="fr").delete()
    response = admin_client.post(edit_url(minimal_scenario), edit_form_data(minimal_scenario), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert any("Frans" in message or "French" in message for message in messages)


def test_the_snippet_list_shows_scenarios(admin_client, minimal_scenario):
    response = admin_client.get(reverse("wagtailsnippets_sandboxes_scenario:list"))
    assert response.status_code == 200
    assert minimal_scenario.title in response.content.decode()


@pytest.mark.parametrize("mode", ["guided", "practice", "test"])
def test_the_preview_plays_the_scenario_being_edited_in_each_mode(admin_client, minimal_scenario, mode):
    url = reverse("wagtailsnippets_sandboxes_scenario:preview_on_edit", args=[minimal_scenario.pk])
    data = edit_form_data(minimal_scenario, title="Nog niet bewaard")
    assert admin_client.post(url, data).json()["is_valid"]
    response = admin_client.get(url, {"mode": mode})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nog niet bewaard" in html
    assert "data-sim" in html
