from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_users_ensure
from lessons.demo.loader import demo_content_load


class Command(BaseCommand):
    help = "Load the demo modules, lessons, help points and sign-ins. Safe to run again: unchanged data is left alone."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="Load content only, no demo sign-ins.")

    def handle(self, *args, **options):
        report = demo_content_load()
        self.stdout.write(
            f"Demo content: {len(report.created)} created, {len(report.updated)} updated, {report.unchanged} unchanged."
        )
        if options["no_users"]:
            return
        if settings.PRODUCTION:
            raise CommandError("Demo sign-ins have public passwords; they are never created in production.")
        self.stdout.write("\nDemo sign-ins (http://127.0.0.1:8000/nl/account/login/, editors at /admin/):")
        for role, username, password, _created in demo_users_ensure():
            self.stdout.write(f"  {role:<18} user name: {username:<10} password: {password}")
