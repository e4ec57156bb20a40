from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.demo import DEMO_PROGRAMME, demo_training_ensure


class Command(BaseCommand):
    help = "Demo departments, teams, staff and a required programme. Run after load_demo; safe to run again."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        made = demo_training_ensure()
        if made is None:
            self.stdout.write("No demo manager, learner or modules yet: run load_demo first.")
        else:
            self.stdout.write(f"Demo programme '{DEMO_PROGRAMME}': {'created' if made else 'unchanged'}.")
