import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each H5P test gets an empty MEDIA_ROOT, where no H5P file may ever land."""
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = str(folder)
    return folder


@pytest.fixture(autouse=True)
def h5p_root(settings, tmp_path, media_root):
    """Each H5P test gets an empty H5P storage, so "nothing left behind" is checked against a clean slate.
    After the test, MEDIA_ROOT is still empty: H5P files live on the player's side only."""
    folder = tmp_path / "h5p"
    folder.mkdir()
    settings.H5P_ROOT = str(folder)
    yield folder
    assert stored_files(media_root) == set(), "an H5P file landed under MEDIA_ROOT"


def stored_files(root: Path) -> set[str]:
    """Every file under a storage folder (H5P_ROOT, say), as storage names (forward slashes)."""
    found = set()
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            found.add(Path(dirpath, name).relative_to(root).as_posix())
    return found


def upload_file(data: bytes, name: str = "oefening.h5p") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


@pytest.fixture
def editor(db, django_user_model):
    """An editor: may upload exercises, may not add or upgrade libraries."""
    user = django_user_model.objects.create_user(username="h5p-redacteur", password="oefen-h5p-2026", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def library_manager(db, django_user_model):
    return django_user_model.objects.create_superuser(username="h5p-beheer", password="oefen-h5p-2026")
