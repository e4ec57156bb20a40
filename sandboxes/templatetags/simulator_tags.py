import json

from django import template
from django.utils import translation

from learn.personal import part
from progress.xapi import EXTENSION_BASE
from sandboxes.replay import score_rule
from sandboxes.selectors import scenario_by_key, scenario_runtime, scenario_tried

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_simulator(context, page, block_id, scenario, activity_id=""):
    """What a lesson's simulator block needs: the scenario in the page's language, with the activity id
    the lesson gave the block (lessons' simulator_block_activity_id; empty in the admin's block preview,
    so nothing is recorded there)."""
    if scenario is None:
        return None
    language = getattr(getattr(page, "locale", None), "language_code", None) or translation.get_language()
    localized = scenario_by_key(translation_key=scenario.translation_key, language=language) or scenario
    return {
        "scenario": localized,
        "runtime": scenario_runtime(localized),
        "activity_id": activity_id,
        "player_id": f"sim-{block_id or localized.slug}",
        "tried": _tried(context.get("request"), localized),
    }


def _tried(request, scenario) -> str:
    """Personal (learn/personal.py): a lesson body shared by all learners gets each one's own answer."""
    if request is None or getattr(request, "user", None) is None:
        return scenario_tried(user=None, scenario=scenario)
    return part(request, "tried", str(scenario.translation_key))


@register.simple_tag
def xapi_extension_base() -> str:
    """Where this site's xAPI extensions live (progress/xapi.py), for the engine's statements."""
    return EXTENSION_BASE


@register.simple_tag
def simulator_score_rule() -> str:
    """The score's numbers (sandboxes/replay.py), for the score the engine shows."""
    return json.dumps(score_rule(), separators=(",", ":"))
