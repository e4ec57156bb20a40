"""Celery tasks: they take ids and call a service. Enqueued by readaloud/signals.py after commit."""

from celery import shared_task

from lessons.models import LessonPage
from sandboxes.models import Scenario

from .services import page_clips_make, scenario_clips_make


@shared_task(name="readaloud.generate_for_page")
def generate_for_page(page_id: int) -> int:
    """Clips for every sentence of a published lesson; returns how many were made."""
    page = LessonPage.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    return len(page_clips_make(page=page).made)


@shared_task(name="readaloud.generate_for_scenario")
def generate_for_scenario(scenario_id: int) -> int:
    """Clips for every instruction, hint and feedback of one scenario in its language."""
    scenario = Scenario.objects.filter(pk=scenario_id).select_related("locale").first()
    if scenario is None:
        return 0
    return len(scenario_clips_make(scenario=scenario).made)
