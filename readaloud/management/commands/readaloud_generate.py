"""Make the read-aloud clips of every live lesson and every scenario (or of one language).

`make setup` (and so `make run`) runs this after loading the demo content, because tasks run
in-process there and publishing makes no clips. The sentences of all lessons and scenarios are
gathered per language first, so a sentence used in many places is looked up once, and the clips
are made several at a time. A second run only checks which clips exist (a few seconds).
"""

import time

from django.core.management.base import BaseCommand

from lessons.models import LessonPage
from readaloud import selectors, services
from sandboxes.models import Scenario


class Command(BaseCommand):
    help = "Make read-aloud audio (espeak-ng) for every live lesson and scenario."

    def add_arguments(self, parser):
        parser.add_argument("--language", help="Only this language (nl, fr, en, ar).")
        parser.add_argument(
            "--workers", type=int, default=None, help="Clips made at once (default: one per processor, at most 8)."
        )

    def handle(self, *args, language=None, workers=None, **options):
        started = time.monotonic()
        pages = LessonPage.objects.live().select_related("locale")
        scenarios = Scenario.objects.select_related("locale")
        if language:
            pages = pages.filter(locale__language_code=language)
            scenarios = scenarios.filter(locale__language_code=language)
        by_language: dict[str, list[str]] = {}
        for page in pages:
            by_language.setdefault(page.locale.language_code, []).extend(selectors.lesson_sentences(page=page))
        for scenario in scenarios:
            by_language.setdefault(scenario.locale.language_code, []).extend(
                selectors.scenario_sentences(scenario=scenario)
            )
        made = existing = failed = 0
        for code, sentences in sorted(by_language.items()):
            report = services.clips_make(
                sentences=sentences,
                language=code,
                label=f"every lesson and scenario ({code})",
                workers=workers or services.default_workers(),
            )
            if report.skipped:
                self.stderr.write(f"Read-aloud: no audio made ({report.skipped}).")
                break
            made, existing, failed = made + len(report.made), existing + report.existing, failed + report.failed
        seconds = time.monotonic() - started
        self.stdout.write(f"Read-aloud: {made} clips made, {existing} existed, {failed} failed ({seconds:.1f} s).")
