"""`manage.py backup` and `manage.py restore` on PostgreSQL: what a backup holds comes back whole.

These need committed data (pg_dump reads in its own connection), hence `transactional_db`, and a second,
empty database to restore into, made and dropped here.
"""

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from backups.services import DUMP, MANIFEST


@pytest.fixture
def postgres_only():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("Backups need PostgreSQL (DATABASE_URL).")


def _admin_conninfo(name: str = "postgres") -> dict:
    db = connection.settings_dict
    return {"dbname": name, "user": db["USER"] or None, "host": db["HOST"] or None, "port": db["PORT"] or None,
            "password": db["PASSWORD"] or None, "autocommit": True}  # fmt: skip


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_database(postgres_only):
    """An empty database next to the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**_admin_conninfo()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**_admin_conninfo()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def roots(settings, tmp_path):
    """This site's file roots in a temporary folder, each with one file."""
    for name, setting in (("private", "PRIVATE_MEDIA_ROOT"), ("h5p", "H5P_ROOT"), ("media", "MEDIA_ROOT")):
        root = tmp_path / "site" / name
        (root / "sub").mkdir(parents=True)
        (root / "sub" / f"{name}.bin").write_bytes(f"{name} bytes ".encode() * 100)
        setattr(settings, setting, root)
    return tmp_path / "site"


@pytest.fixture
def learner_with_progress(transactional_db, django_user_model):
    from progress.models import LessonProgress

    user = django_user_model.objects.create_user("backup-learner", display_name="Backup")
    LessonProgress.objects.create(
        user=user,
        lesson_key=uuid.uuid4(),
        status="completed",
        started_at=timezone.now(),
        last_activity_at=timezone.now(),
    )
    return user


def _restored_targets(tmp_path) -> dict[str, Path]:
    return {name: tmp_path / "restored" / name for name in ("private", "h5p", "media")}


def _restore(folder, database, targets, settings):
    settings.PRIVATE_MEDIA_ROOT, settings.H5P_ROOT, settings.MEDIA_ROOT = (
        targets["private"], targets["h5p"], targets["media"])  # fmt: skip
    call_command("restore", str(folder), "--database-url", _url(database))


def test_a_backup_restores_the_database_and_every_file_into_a_fresh_copy(
    roots, learner_with_progress, fresh_database, tmp_path, settings
):
    folder = Path(_call_backup(tmp_path))
    manifest = json.loads((folder / MANIFEST).read_text())
    assert {entry["name"] for entry in manifest["files"]} == {DUMP, "private.tar", "h5p.tar", "media.tar"}
    assert all(len(entry["sha256"]) == 64 and entry["bytes"] > 0 for entry in manifest["files"])
    assert manifest["versions"]["postgresql"] and "progress" in manifest["versions"]["migrations"]

    targets = _restored_targets(tmp_path)
    _restore(folder, fresh_database, targets, settings)

    with psycopg.connect(**_admin_conninfo(fresh_database)) as restored:
        row = restored.execute(
            "SELECT p.status FROM progress_lessonprogress p JOIN accounts_user u ON u.id = p.user_id "
            "WHERE u.username = 'backup-learner'"
        ).fetchone()
    assert row == ("completed",)
    for name in ("private", "h5p", "media"):
        restored_file = targets[name] / "sub" / f"{name}.bin"
        assert restored_file.read_bytes() == (roots / name / "sub" / f"{name}.bin").read_bytes()


def test_a_damaged_backup_is_refused_before_anything_is_written(
    roots, learner_with_progress, fresh_database, tmp_path, settings
):
    folder = Path(_call_backup(tmp_path))
    with (folder / "private.tar").open("r+b") as handle:  # one byte changed, as a failing disk would
        handle.seek(600)
        byte = handle.read(1)
        handle.seek(600)
        handle.write(bytes([byte[0] ^ 0xFF]))
    targets = _restored_targets(tmp_path)

    with pytest.raises(CommandError, match="private.tar does not match its checksum"):
        _restore(folder, fresh_database, targets, settings)

    with psycopg.connect(**_admin_conninfo(fresh_database)) as restored:
        assert restored.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
    assert not any(path.exists() for path in targets.values())


def test_restore_never_overwrites_a_database_in_use(roots, learner_with_progress, tmp_path, settings):
    folder = Path(_call_backup(tmp_path))
    targets = _restored_targets(tmp_path)

    with pytest.raises(CommandError, match="is not empty"):
        _restore(folder, connection.settings_dict["NAME"], targets, settings)

    assert not any(path.exists() for path in targets.values())


def _call_backup(tmp_path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    return out.getvalue().strip()
