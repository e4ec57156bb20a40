"""`manage.py restore FOLDER`: check every checksum, then restore into an empty database and empty folders.

The target is this environment's DATABASE_URL, PRIVATE_MEDIA_ROOT, H5P_ROOT and MEDIA_ROOT (or
--database-url for another database). Nothing is written unless the whole backup checks out and the
targets are empty; run `manage.py migrate` afterwards when the code is newer than the backup.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, Database, manifest_verify, restore


class Command(BaseCommand):
    help = "Restore a backup folder made by `manage.py backup` into an empty database and empty folders."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--database-url", default=None, help="restore into this database instead")
        parser.add_argument("--verify-only", action="store_true", help="only check the checksums")

    def handle(self, *args, folder: str, database_url: str | None, verify_only: bool, **options):
        try:
            if verify_only:
                manifest = manifest_verify(Path(folder))
            else:
                database = Database.from_url(database_url) if database_url else None
                manifest = restore(Path(folder), database=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        done = "checked" if verify_only else "restored"
        self.stdout.write(f"{folder}: {len(manifest['files'])} files {done} (made {manifest['created_at']})")
