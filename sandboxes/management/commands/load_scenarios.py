from django.core.management.base import BaseCommand, CommandError

from sandboxes.services import scenarios_load
from sandboxes.validation import ScenarioInvalid


class Command(BaseCommand):
    help = "Load or update the built-in simulator scenarios (sandboxes/scenarios/*.json) in every language."

    def handle(self, *args, **options):
        try:
            report = scenarios_load()
        except ScenarioInvalid as error:
            raise CommandError("\n".join(str(problem) for problem in error.problems)) from error
        self.stdout.write(
            f"Scenarios: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )
