"""`manage.py h5p_import <content id> [--language nl] [--attempt N]`: run one H5P import in this process.

On the embedded default (no broker) the site hands each import to this command in a child process
(h5p.services.import_start): parsing a big JSON file is C code that holds Python's GIL, so in a thread
of the web process it would hold up every other request meanwhile. It is also handy to re-run an
import by hand. The exit status is 0 when the import ended (ready, rejected or failed are all ends).
"""

from django.core.management.base import BaseCommand, CommandError

from h5p.tasks import h5p_import


class Command(BaseCommand):
    help = "Import one uploaded H5P package (what the Celery task h5p.import does)."

    def add_arguments(self, parser):
        parser.add_argument("content_id", type=int)
        parser.add_argument("--language", default=None)
        parser.add_argument("--attempt", type=int, default=None)

    def handle(self, *args, content_id: int, language: str | None, attempt: int | None, **options):
        try:
            status = h5p_import.run(content_id, language=language, attempt=attempt)
        except Exception as error:
            raise CommandError(f"The import of H5P content {content_id} broke: {error}") from error
        self.stdout.write(status)
