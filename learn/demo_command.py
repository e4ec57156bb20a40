"""The shape of the demo commands that run after `load_demo` (coaching, training, group sessions).

Each refuses in production, makes its demo data (safe to run again) and says what it did, or that
`load_demo` must run first. The app's command names its `ensure` function and its two messages.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class DemoCommand(BaseCommand):
    # `ensure()` answers None when what it needs is missing, else what `made_message` words.
    missing_message = ""

    def ensure(self):
        raise NotImplementedError

    def made_message(self, made) -> str:
        raise NotImplementedError

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created in production.")
        made = self.ensure()
        self.stdout.write(self.missing_message if made is None else self.made_message(made))
