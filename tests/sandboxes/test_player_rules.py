"""The rules the browser engine needs are written once on the server and handed over by the page.

engine.js takes the xAPI extension address (progress/xapi.py) and the score's numbers
(sandboxes/replay.py) from its player element; it has no copy of its own. tests/browser/test_simulators.py
checks that the score the engine shows is the server's on every built-in scenario.
"""

import html
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from progress.xapi import EXTENSION_BASE
from sandboxes.replay import attempt_score, score_rule

SCRIPTS = "sandboxes/static/sandboxes/js"


def player_attribute(page: str, name: str) -> str:
    match = re.search(rf'<div class="sim" data-sim [^>]*{name}="([^"]*)"', page)
    assert match, f"no {name} on the player"
    return html.unescape(match[1])


@pytest.fixture
def play_page(client, minimal_scenario):
    with translation.override("nl"):
        url = reverse("sandboxes:play", args=[minimal_scenario.slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_player_gets_the_extension_address_of_the_server(play_page):
    assert player_attribute(play_page, "data-xapi-ext") == EXTENSION_BASE


def test_the_player_gets_the_numbers_of_the_server_score(play_page):
    rule = json.loads(player_attribute(play_page, "data-score-rule"))
    assert rule == score_rule()
    # The engine's formula with these numbers is the server's rule.
    for wrong, hints in [(0, 0), (1, 0), (0, 3), (4, 5), (12, 0)]:
        engine = max(0, rule["full"] - rule["wrong"] * wrong - rule["hint"] * hints)
        assert engine == attempt_score(wrong=wrong, hints=hints, safety=0, passed=True)


def test_the_engine_has_no_copy_of_the_address_or_the_numbers(settings):
    scripts = sorted((settings.BASE_DIR / SCRIPTS).rglob("*.*js"))
    assert scripts
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        assert "xapi/ext" not in source, script
        assert not re.search(r"100 - 10 \*", source), script
