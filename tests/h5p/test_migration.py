"""The data migration that moves H5P files of older versions out of MEDIA_ROOT (served on the site's
origin) into H5P_ROOT (served by the player only)."""

import importlib

from django.apps import apps

from h5p.models import H5PContent

from .conftest import stored_files

migration = importlib.import_module("h5p.migrations.0004_move_files_out_of_media_root")


def test_old_files_move_from_media_root_to_h5p_root(db, media_root, h5p_root):
    old = media_root / "h5p"
    for name in ("libraries/H5P.OefenVraag-1.0/oefenvraag.js", "content/abc/h5p.json", "uploads/abc.h5p"):
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(name)
    (h5p_root / "libraries" / "H5P.Ander-1.0").mkdir(parents=True)  # already there: merged, not replaced
    (h5p_root / "libraries" / "H5P.Ander-1.0" / "library.json").write_text("{}")
    content = H5PContent.objects.create(title="Oud", upload="h5p/uploads/abc.h5p")

    migration.forwards(apps, None)
    assert stored_files(media_root) == set() and not old.exists()
    assert stored_files(h5p_root) == {
        "libraries/H5P.OefenVraag-1.0/oefenvraag.js",
        "libraries/H5P.Ander-1.0/library.json",
        "content/abc/h5p.json",
        "uploads/abc.h5p",
    }
    content.refresh_from_db()
    assert content.upload.name == "uploads/abc.h5p" and content.upload.size == len("uploads/abc.h5p")

    migration.forwards(apps, None)  # a second run has nothing to move
    assert len(stored_files(h5p_root)) == 4
