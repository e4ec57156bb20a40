"""Private file storage for certificates: outside MEDIA_ROOT, never served by a URL of its own."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Reads PRIVATE_MEDIA_ROOT on each use, so tests and workers can point it elsewhere."""

    def __init__(self):
        # Readable by the site's own user only: a certificate names a person.
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT))

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Certificates have no public URL; download them through training's views.")


@cache
def _storage() -> PrivateStorage:
    return PrivateStorage()


def certificate_storage() -> PrivateStorage:
    return _storage()
