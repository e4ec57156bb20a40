"""Make the read-aloud clips of every live lesson and every scenario (or of one language)."""

from django.core.management.base import BaseCommand

from readaloud import services


class Command(BaseCommand):
    help = "Make read-aloud audio (espeak-ng) for every live lesson and scenario."

    def add_arguments(self, parser):
        parser.add_argument("--language", help="Only this language (nl, fr, en, ar).")

    def handle(self, *args, language=None, **options):
        from lessons.models import LessonPage
        from sandboxes.models import Scenario

        pages = LessonPage.objects.live().select_related("locale")
        scenarios = Scenario.objects.select_related("locale")
        if language:
            pages = pages.filter(locale__language_code=language)
            scenarios = scenarios.filter(locale__language_code=language)
        made = 0
        for page in pages:
            made += len(services.page_clips_make(page=page).made)
        for scenario in scenarios:
            made += len(services.scenario_clips_make(scenario=scenario).made)
        self.stdout.write(f"{made} clips made.")
