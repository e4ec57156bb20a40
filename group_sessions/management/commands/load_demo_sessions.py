from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from group_sessions.demo import demo_sessions_ensure


class Command(BaseCommand):
    help = "Make the demo group sessions and sign the demo learner up for one. Run after load_demo_training; safe to run again."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        made = demo_sessions_ensure()
        if made is None:
            self.stdout.write("No demo coach, learner, library or module yet: run load_demo first.")
        else:
            self.stdout.write(f"Demo sessions: {made} made.")
