"""The practice pages: every scenario for free practice, and one scenario's player."""

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from learn.personal import part
from learn.signed_in_cache import shared_for_signed_in

from .activities import scenario_activity_id
from .selectors import scenario_for_language, scenario_runtime, scenarios_for_language

MODES = ("guided", "practice", "test")
# The player needs nothing from anywhere else: everything comes from this site, no frames at all.
SIMULATOR_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)


@require_GET
def practice(request):
    scenarios = scenarios_for_language(translation.get_language())
    return shared_for_signed_in(render(request, "sandboxes/practice.html", {"scenarios": scenarios}))


@require_GET
def play(request, slug: str):
    scenario = scenario_for_language(slug=slug, language=translation.get_language())
    if scenario is None:
        raise Http404("No such scenario")
    mode = request.GET.get("mode", "")
    if mode not in MODES:
        mode = ""
    response = render(
        request,
        "sandboxes/play.html",
        {
            "scenario": scenario,
            "scenario_runtime": scenario_runtime(scenario),
            "activity_id": scenario_activity_id(scenario),
            "mode": mode,
            "player_id": f"sim-{scenario.slug}",
            # No mode asked for: the first try is guided (engine.js).
            "tried": part(request, "tried", str(scenario.translation_key)),
        },
    )
    response["Content-Security-Policy"] = SIMULATOR_CSP
    return shared_for_signed_in(response)
