"""Where H5P files live: a folder of their own (settings.H5P_ROOT, default `var/h5p/`), never MEDIA_ROOT.

Library files are somebody's JavaScript, CSS and SVG. Under MEDIA_ROOT they would also answer on the
site's own origin (`/media/...`, served by Django with SERVE_MEDIA=1 or by the web server), where an
SVG that loads a script from its folder runs with the site's cookies. Here only the player views on
H5P_PLAYER_ORIGIN read them (h5p/player_views.py); this storage has no URL at all.

Layout: `libraries/<Machine>-<major>.<minor>/`, `content/<key>/` (h5p.json, content/content.json, media)
and `uploads/<key>.h5p` (removed once the import is over). The folder is read from the settings on
every use, so tests can point it at a temporary folder.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage


class H5PFileStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.H5P_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("H5P files have no URL on the site: the player origin serves them (h5p/player_views.py).")


h5p_storage = H5PFileStorage()


def h5p_storage_get() -> H5PFileStorage:
    """The storage of H5PContent.upload (a callable, so migrations do not copy a path into the field)."""
    return h5p_storage


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def check_h5p_root(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """H5P_ROOT must not be (inside) a folder that the site's origin serves."""
    root = Path(settings.H5P_ROOT)
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name, None)
        if served and _inside(root, Path(served)):
            errors.append(
                checks.Error(
                    f"H5P_ROOT ({root}) lies inside {name} ({served}).",
                    hint="Keep H5P files in a folder of their own that the web server never serves, e.g. var/h5p/.",
                    id="h5p.E001",
                )
            )
    return errors
