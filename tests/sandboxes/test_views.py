"""The practice pages: a list of scenarios and a player, in each language, with a strict policy."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

pytestmark = pytest.mark.django_db

BUILT_IN = ("itsme", "doctor", "train", "privacy")


@pytest.fixture
def practice_site(site_pages):
    """The site's pages, and the built-in scenarios loaded as `manage.py load_scenarios` does."""
    from sandboxes.services import scenarios_load

    scenarios_load()


def url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
def test_the_practice_page_lists_every_built_in_scenario_in_the_language(client, practice_site, language):
    from sandboxes.models import Scenario

    response = client.get(url("sandboxes:practice", language))
    assert response.status_code == 200
    html = response.content.decode()
    for slug in BUILT_IN:
        scenario = Scenario.objects.get(slug=slug, locale__language_code=language)
        assert escape(scenario.title) in html
        assert url("sandboxes:play", language, slug) in html


@pytest.mark.parametrize("slug", BUILT_IN)
def test_the_player_page_carries_the_scenario_in_the_page_language(client, practice_site, slug):
    from sandboxes.models import Scenario

    response = client.get(url("sandboxes:play", "ar", slug))
    assert response.status_code == 200
    scenario = Scenario.objects.get(slug=slug, locale__language_code="ar")
    html = response.content.decode()
    assert escape(scenario.title) in html
    assert 'dir="rtl"' in html
    marker = f'<script id="sim-data-sim-{slug}" type="application/json">'
    data = json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])
    assert data["slug"] == slug and data["title"] == scenario.title


def test_the_player_allows_only_this_site(client, practice_site):
    response = client.get(url("sandboxes:play", "nl", "train"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "frame-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_an_unknown_scenario_is_a_translated_404(client, practice_site):
    response = client.get(url("sandboxes:play", "nl", "bestaat-niet"))
    assert response.status_code == 404


def test_an_unknown_mode_falls_back_to_letting_the_learner_choose(client, practice_site):
    response = client.get(url("sandboxes:play", "nl", "train") + "?mode=<script>")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[-1].split("data-sim", 1)[0]


def test_the_player_says_whether_the_learner_tried_the_scenario_before(client, practice_site, django_user_model):
    """No mode asked for: the engine starts a first try guided. The server knows a learner's tries; for a
    guest the attribute is empty and the browser keeps its own note."""
    import uuid

    from django.utils import timezone

    from progress.models import SimulatorAttempt
    from sandboxes.models import Scenario

    def tried():
        html = client.get(url("sandboxes:play", "nl", "train")).content.decode()
        return html.split('data-tried="', 1)[1].split('"', 1)[0]

    assert tried() == ""
    learner = django_user_model.objects.create_user("amal", password="een-goed-wachtwoord")
    client.force_login(learner)
    assert tried() == "0"
    scenario = Scenario.objects.get(slug="train", locale__language_code="nl")
    now = timezone.now()
    SimulatorAttempt.objects.create(
        user=learner,
        registration=uuid.uuid4(),
        scenario_key=scenario.translation_key,
        started_at=now,
        last_activity_at=now,
    )
    assert tried() == "1"
