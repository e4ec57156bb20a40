"""One backup = one folder: a PostgreSQL dump, a tar of each file root, and manifest.json.

Why this shape:
* `pg_dump --format=custom` reads the whole database in one snapshot (a repeatable-read transaction), so
  the dump is consistent while the site keeps running; `pg_restore` can restore it into any empty database.
* The database is dumped BEFORE the files. A file written in between is extra (harmless); a file the
  database points at was already there when the snapshot was taken (files are never changed in place,
  only added or removed), so nothing the restored database names can be missing unless it was removed in
  those seconds.
* manifest.json lists every file with its size and SHA-256. `restore` checks all of them before it
  touches anything, so a damaged or incomplete copy is refused as a whole instead of half-restored.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.db import connection, connections

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
# The file roots a backup holds: name in the backup -> the setting that says where it lives.
ROOTS = {"private": "PRIVATE_MEDIA_ROOT", "h5p": "H5P_ROOT", "media": "MEDIA_ROOT"}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, nothing was changed by restore."""


@dataclass(frozen=True)
class Database:
    name: str
    user: str
    host: str
    port: str
    password: str

    @classmethod
    def from_settings(cls, alias: str = "default") -> Database:
        db = connections[alias].settings_dict
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError("Backups need PostgreSQL (DATABASE_URL=postgres://...).")
        return cls(str(db["NAME"]), db.get("USER") or "", db.get("HOST") or "", str(db.get("PORT") or ""),
                   db.get("PASSWORD") or "")  # fmt: skip

    @classmethod
    def from_url(cls, url: str) -> Database:
        import dj_database_url

        config = dj_database_url.parse(url)
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError("Backups need PostgreSQL (postgres://...).")
        return cls(config["NAME"], config.get("USER") or "", config.get("HOST") or "", str(config.get("PORT") or ""),
                   config.get("PASSWORD") or "")  # fmt: skip

    def args(self) -> list[str]:
        """Connection arguments for pg_dump/pg_restore/psql; the password goes in the environment."""
        args = ["--dbname", self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(args: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client).") from error
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-800:]}")
    return done.stdout


def _versions(database: Database) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "postgresql": server,
        "pg_dump": _run(["pg_dump", "--version"], database.env()).strip(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "migrations": _latest_migrations(),
    }


def _latest_migrations() -> dict[str, str]:
    """Per app, the last migration applied: which code the backup belongs to (README "Rollback")."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        return dict(cursor.fetchall())


def _tar_root(root: Path, target: Path) -> None:
    """The folder's contents (not the folder itself), so restore can put them under another path."""
    with tarfile.open(target, "w") as tar:
        if root.is_dir():
            for child in sorted(root.iterdir()):
                tar.add(child, arcname=child.name)


def backup_make(output_dir: Path) -> Path:
    """Write a new backup folder under output_dir and return it."""
    database = Database.from_settings()
    created = datetime.now(UTC)
    folder = Path(output_dir) / f"oefenplein-{created:%Y%m%dT%H%M%SZ}"
    if folder.exists():
        raise BackupError(f"{folder} exists already; wait a second and try again.")
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        versions = _versions(database)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial / DUMP),
              *database.args()], database.env())  # fmt: skip
        roots = {}
        for name, setting in ROOTS.items():
            root = Path(getattr(settings, setting))
            _tar_root(root, partial / f"{name}.tar")
            roots[name] = {"setting": setting, "path": str(root)}
        files = [
            {"name": path.name, "bytes": path.stat().st_size, "sha256": sha256(path)}
            for path in sorted(partial.iterdir())
        ]
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "database": database.name,
            "versions": versions,
            "roots": roots,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        # Only a complete backup gets its final name: a crash leaves a *.partial folder, never a backup.
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def manifest_verify(folder: Path) -> dict:
    """The manifest, once every file it lists is there with its size and checksum; else BackupError."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder / MANIFEST} cannot be read: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    names = {entry["name"] for entry in manifest["files"]}
    expected = {DUMP, *(f"{name}.tar" for name in ROOTS)}
    if not expected <= names:
        raise BackupError(f"The manifest lacks {', '.join(sorted(expected - names))}.")
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if Path(entry["name"]).name != entry["name"] or not path.is_file():
            raise BackupError(f"{entry['name']} is missing from the backup.")
        if path.stat().st_size != entry["bytes"] or sha256(path) != entry["sha256"]:
            raise BackupError(f"{entry['name']} does not match its checksum: the backup is damaged.")
    return manifest


def _database_is_empty(database: Database) -> bool:
    out = _run(["psql", "--no-psqlrc", "--tuples-only", "--no-align", "--command",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", *database.args()],
               database.env())  # fmt: skip
    return out.strip() == "0"


def _is_empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def restore(folder: Path, *, database: Database | None = None, roots: dict[str, Path] | None = None) -> dict:
    """Restore a verified backup into an EMPTY database and EMPTY folders (this site's, unless given).

    Everything is checked first (checksums, an empty target database, empty target folders); only then is
    anything written. Returns the manifest.
    """
    folder = Path(folder)
    manifest = manifest_verify(folder)
    database = database or Database.from_settings()
    roots = roots or {name: Path(getattr(settings, setting)) for name, setting in ROOTS.items()}
    if not _database_is_empty(database):
        raise BackupError(f"Database {database.name} is not empty: restore only into a new, empty database.")
    full = [str(path) for path in roots.values() if not _is_empty_dir(path)]
    if full:
        raise BackupError(f"Not empty: {', '.join(full)}. Restore only into new, empty folders.")
    connections.close_all()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          *database.args(), str(folder / DUMP)], database.env())  # fmt: skip
    for name, root in roots.items():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / f"{name}.tar") as tar:
            tar.extractall(root, filter="data")  # no absolute paths, no "..", no device files
    return manifest
