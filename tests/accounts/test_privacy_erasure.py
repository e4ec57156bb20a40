"""Erasure removes a person everywhere at once: no row in a dump of the database and no file under private or
media storage names them any more, whoever deletes the account (the person, their coach, an administrator).

The dump is `pg_dump` on PostgreSQL (committed rows, so that test is transactional) and sqlite3's
`iterdump` on SQLite (the same connection, so the test's own transaction is enough).
"""

import os
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts import cards as account_cards
from accounts.models import CardSheetStatus, User
from coaching import cards as coaching_cards
from coaching.models import CardSheet
from training.models import Certificate

from .privacy_support import _sheet_file, make_coach, person_with_everything


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def database_dump() -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = ["pg_dump", "--data-only", "--no-owner", "-d", db["NAME"]]
        for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if db.get(key):
                command += [option, str(db[key])]
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump())


def stored_files() -> list[Path]:
    roots = [Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def files_naming(words) -> list[Path]:
    found = []
    for path in stored_files():
        data = path.read_bytes()
        if any(word.encode() in data for word in words):
            found.append(path)
    return found


def people(lesson=None):
    coach = make_coach("coach-an", "An")
    zoltan = person_with_everything(coach=coach, lesson=lesson, first="Zoltan", last="Quibbleworth", number="EMP-7781")
    wilma = person_with_everything(coach=coach, lesson=lesson, first="Wilma", last="Otterbeek", number="EMP-5523")
    # A sheet of cards for both: erasing one of them removes the whole sheet.
    shared = CardSheet.objects.create(
        group=CardSheet.objects.filter(learners=wilma.user).first().group,
        coach=coach,
        secrets="new",
        status=CardSheetStatus.READY,
    )
    shared.learners.add(zoltan.user, wilma.user)
    shared.file_name = _sheet_file(coaching_cards.FOLDER, shared.pk, [zoltan.full_name, wilma.full_name])
    shared.save()
    zoltan.files.append(account_cards.sheet_path(coaching_cards.FOLDER, shared.file_name))
    return coach, zoltan, wilma, shared


def self_erasure(client) -> dict:
    """Zoltan, who has every kind of record, deletes his own account: what of him is left, and of Wilma."""
    coach, zoltan, wilma, shared = people()
    dump = database_dump()
    assert all(word in dump for word in zoltan.words()), "the dump must see the rows before the erasure"
    assert {Path(path) for path in zoltan.files} <= set(files_naming([zoltan.full_name]))
    client.force_login(zoltan.user)
    response = client.post("/nl/account/delete/", {"password": "EMP-7781-wachtwoord"})
    dump = database_dump()
    shared.refresh_from_db()
    return {
        "status": response.status_code,
        "account left": User.objects.filter(pk=zoltan.user.pk).exists(),
        "his words in the database": [word for word in zoltan.words() if word in dump],
        "files naming him": files_naming(zoltan.words()),
        "his files left": [path for path in zoltan.files if Path(path).exists()],
        "shared sheet": (shared.status, shared.file_name),
        "her rows kept": wilma.full_name in dump and wilma.employee_number in dump,
        "her certificate kept": Path(Certificate.objects.get(staff__user=wilma.user).pdf.path).exists(),
    }


NO_TRACE = {
    "status": 302,
    "account left": False,
    "his words in the database": [],
    "files naming him": [],
    "his files left": [],
    "shared sheet": (CardSheetStatus.REMOVED, ""),  # a sheet with several people goes as a whole
    "her rows kept": True,  # nobody else loses anything
    "her certificate kept": True,
}


@pytest.mark.django_db
def test_self_erasure_leaves_no_trace_sqlite(client):
    if connection.vendor != "sqlite":
        pytest.skip("The PostgreSQL version of this test is the transactional one below.")
    assert self_erasure(client) == NO_TRACE


@pytest.mark.django_db(transaction=True)
def test_self_erasure_leaves_no_trace_postgresql(client):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): pg_dump reads committed rows.")
    assert self_erasure(client) == NO_TRACE


@pytest.mark.django_db
def test_private_pdfs_are_for_the_site_user_only(client):
    people()
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf")}
    assert modes and set(modes.values()) == {0o600}, modes


@pytest.mark.django_db
def test_the_coach_erases_a_learner_with_every_file(client):
    coach, zoltan, wilma, shared = people()
    client.force_login(coach)
    response = client.post(f"/nl/account/coach/learners/{zoltan.user.pk}/delete/")
    assert response.status_code == 302
    assert not User.objects.filter(pk=zoltan.user.pk).exists()
    assert not files_naming(zoltan.words())
    assert files_naming([wilma.full_name])  # her own certificate and sheets stay


@pytest.mark.django_db
def test_certificates_are_written_for_the_site_user_only(settings, tmp_path):
    from django.core.files.base import ContentFile

    from training.storage import certificate_storage

    name = certificate_storage().save("certificates/check.pdf", ContentFile(b"%PDF-1.4"))
    path = Path(certificate_storage().path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_private_files_written_before_are_protected_by_the_nightly_run(settings, tmp_path):
    from accounts.retention import private_files_protect

    old = Path(settings.PRIVATE_MEDIA_ROOT) / "certificates" / "old.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF-1.4")
    old.chmod(0o644)
    old.parent.chmod(0o755)
    assert private_files_protect() == 3  # the file, its folder and the root
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE(old.parent.stat().st_mode) == 0o700
    assert private_files_protect() == 0
