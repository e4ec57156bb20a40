import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each H5P test gets an empty storage, so "nothing left behind" is checked against a clean slate."""
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = str(folder)
    return folder


def stored_files(media_root: Path) -> set[str]:
    """Every file under MEDIA_ROOT, as storage names (forward slashes)."""
    found = set()
    for dirpath, _dirs, files in os.walk(media_root):
        for name in files:
            found.add(Path(dirpath, name).relative_to(media_root).as_posix())
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
