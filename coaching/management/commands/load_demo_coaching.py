from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coaching.demo import DEMO_GROUP, demo_group_ensure


class Command(BaseCommand):
    help = "Give the demo coach a group with the demo learner and one task. Run after load_demo; safe to run again."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        made = demo_group_ensure()
        if made is None:
            self.stdout.write("No demo coach, learner or module yet: run load_demo first.")
        else:
            self.stdout.write(f"Demo group '{DEMO_GROUP}': {'created' if made else 'unchanged'}.")
