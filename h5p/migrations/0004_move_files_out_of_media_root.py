"""Move H5P files from MEDIA_ROOT/h5p/ (served on the site's origin) to H5P_ROOT (served by the player only).

Before, libraries, content and uploads lived in the default storage under `h5p/libraries/`,
`h5p/content/` and `h5p/uploads/`, so `/media/h5p/...` answered on the site's own origin. Each of
the three folders moves as a whole to `H5P_ROOT/libraries/`, `H5P_ROOT/content/`, `H5P_ROOT/uploads/`
(merged file by file when the target exists already), and the upload names lose their `h5p/` prefix.
A site without H5P files has nothing to move. Going back moves them back.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations

FOLDERS = ("libraries", "content", "uploads")


def _move_tree(source: Path, target: Path) -> None:
    if not source.is_dir():
        return
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(source), str(target))
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(destination))
    shutil.rmtree(source, ignore_errors=True)


def forwards(apps, schema_editor):
    old_root = Path(settings.MEDIA_ROOT) / "h5p"
    new_root = Path(settings.H5P_ROOT)
    for folder in FOLDERS:
        _move_tree(old_root / folder, new_root / folder)
    if old_root.is_dir() and not any(old_root.iterdir()):
        old_root.rmdir()
    H5PContent = apps.get_model("h5p", "H5PContent")
    for content in H5PContent.objects.filter(upload__startswith="h5p/uploads/"):
        content.upload = content.upload.name.removeprefix("h5p/")
        content.save(update_fields=["upload"])


def backwards(apps, schema_editor):
    old_root = Path(settings.MEDIA_ROOT) / "h5p"
    new_root = Path(settings.H5P_ROOT)
    for folder in FOLDERS:
        _move_tree(new_root / folder, old_root / folder)
    H5PContent = apps.get_model("h5p", "H5PContent")
    for content in H5PContent.objects.filter(upload__startswith="uploads/"):
        content.upload = "h5p/" + content.upload.name
        content.save(update_fields=["upload"])


class Migration(migrations.Migration):
    dependencies = [("h5p", "0003_import_state_notices_h5p_storage")]

    operations = [migrations.RunPython(forwards, backwards)]
