"""`manage.py backup [--output DIR]`: a consistent database dump plus the file roots, with a manifest."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.services import BackupError, backup_make


class Command(BaseCommand):
    help = "Write a backup folder: PostgreSQL dump, private files, H5P files, media, manifest.json with checksums."

    def add_arguments(self, parser):
        default = os.environ.get("BACKUP_DIR") or str(settings.VAR_DIR / "backups")
        parser.add_argument("--output", default=default, help=f"where the backup folder goes (default {default})")

    def handle(self, *args, output: str, **options):
        try:
            folder = backup_make(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
