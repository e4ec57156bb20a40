from django import template
from django.utils import translation

from learn.personal import part
from sandboxes.selectors import scenario_by_key, scenario_runtime, scenario_tried

register = template.Library()


@register.simple_tag(takes_context=True)
def lesson_simulator(context, page, block_id, scenario):
    """What a lesson's simulator block needs: the scenario in the page's language and its activity id.

    The activity id is empty in the admin's block preview (no page), so nothing is recorded there.
    """
    if scenario is None:
        return None
    language = getattr(getattr(page, "locale", None), "language_code", None) or translation.get_language()
    localized = scenario_by_key(translation_key=scenario.translation_key, language=language) or scenario
    activity = ""
    if page is not None and getattr(page, "translation_key", None) and block_id:
        from lessons.activities import simulator_activity_id

        activity = simulator_activity_id(page, block_id)
    return {
        "scenario": localized,
        "runtime": scenario_runtime(localized),
        "activity_id": activity,
        "player_id": f"sim-{block_id or localized.slug}",
        "tried": _tried(context.get("request"), localized),
    }


def _tried(request, scenario) -> str:
    """Personal (learn/personal.py): a lesson body shared by all learners gets each one's own answer."""
    if request is None or getattr(request, "user", None) is None:
        return scenario_tried(user=None, scenario=scenario)
    return part(request, "tried", str(scenario.translation_key))
