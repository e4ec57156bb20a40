"""Uploading and importing H5P packages.

`content_upload` runs in the editor's request: it checks the file name and size, saves the upload and
queues the import. `content_import` runs in the Celery task `h5p.import`: it validates the package
(`h5p.validation`), decides per library whether the installed copy is reused or the package's copy is
installed, writes the files to the default storage and marks the content ready. Any problem, expected
or not, ends in `rejected` with the reasons, and everything this import wrote is deleted again, the
upload included. The upload is deleted after a successful import too: the unpacked files are the truth.

Library trust: a library (machine name + major.minor) is stored once, under
`h5p/libraries/<Machine>-<major>.<minor>/`, and shared. Adding a new library, or upgrading an installed
one to a newer patch version, runs someone's JavaScript for every learner, so it needs the permission
`h5p.install_h5plibrary` (superusers have it; give it to a "Library managers" group if needed). Any
other upload reuses the installed libraries and ignores the package's copies of them. A failed import
removes the libraries it added; an upgrade's files are written last and stay (other exercises use them).
"""

from __future__ import annotations

import contextlib
import logging
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from .models import H5PContent, H5PLibrary, ImportStatus
from .validation import MIB, PackageInvalid, Problem, ValidatedPackage, limit, package_validate

logger = logging.getLogger(__name__)

LIBRARY_ROOT = "h5p/libraries/"
INSTALL_PERMISSION = "h5p.install_h5plibrary"


def max_upload_bytes() -> int:
    return limit("H5P_MAX_UPLOAD_BYTES", limit("H5P_MAX_TOTAL_BYTES", 128 * MIB))


def content_upload(*, user, title: str, uploaded_file) -> H5PContent:
    """Save an uploaded `.h5p` file as a queued content and start its import once the row is committed.

    Raises ValidationError (plain words, in the active language) for a wrong file name, an empty file
    or a file over H5P_MAX_UPLOAD_BYTES; nothing is stored then.
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError(gettext("Give the exercise a title."), code="title")
    name = getattr(uploaded_file, "name", "") or ""
    if not name.lower().endswith(".h5p"):
        raise ValidationError(gettext("Choose an H5P file: its name ends in .h5p."), code="extension")
    size = getattr(uploaded_file, "size", None) or 0
    if size <= 0:
        raise ValidationError(gettext("This file is empty."), code="empty")
    if size > max_upload_bytes():
        raise ValidationError(
            gettext("This file is too large. The limit is %(limit)s MB.") % {"limit": max_upload_bytes() // MIB},
            code="size",
        )
    content = H5PContent(title=title[:255], uploaded_by=user if getattr(user, "pk", None) else None)
    content.upload.save(f"{content.key}.h5p", uploaded_file, save=False)
    content.save()
    language = translation.get_language() or settings.LANGUAGE_CODE
    content_id = content.pk

    def enqueue():
        from .tasks import h5p_import

        h5p_import.delay(content_id, language=language)

    transaction.on_commit(enqueue)
    return content


def _installed_lookup(name: str, major: int, minor: int) -> dict | None:
    library = H5PLibrary.objects.filter(machine_name=name, major_version=major, minor_version=minor).first()
    return library.library_json if library is not None else None


def _storage_delete_tree(prefix: str) -> None:
    """Delete every file under a storage folder (storages have no recursive delete)."""
    prefix = prefix.rstrip("/")
    try:
        folders, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for folder in folders:
        _storage_delete_tree(f"{prefix}/{folder}")
    with contextlib.suppress(OSError, NotImplementedError):  # the file system storage keeps empty folders
        os.rmdir(default_storage.path(prefix))


def _write(zf, name: str, target: str, archive_bytes: int, written: list[str]) -> None:
    """Stream one member into storage, chunk by chunk.

    The validator has already read every byte of this same archive under the size and ratio limits
    (`archive_bytes` was part of that check), so the copy does not hold a file in memory: memory stays
    flat whatever the largest file is. The target is noted before writing, so a half-written file is
    removed when the import is rejected.
    """
    info = zf.getinfo(name)
    if default_storage.exists(target):
        default_storage.delete(target)
    written.append(target)
    with zf.open(info) as stream:
        content = File(stream, name=target.rsplit("/", 1)[-1])
        content.size = info.file_size
        stored = default_storage.save(target, content)
    if stored != target:
        written.append(stored)
        raise OSError(f"storage renamed {target} to {stored}")


def _plan_libraries(package: ValidatedPackage, user) -> tuple[dict, list, list[Problem]]:
    """Split the dependency closure into reused, to-install (new or newer patch) and refused libraries."""
    allowed = bool(user is not None and user.is_active and user.has_perm(INSTALL_PERMISSION))
    reuse: dict[tuple[str, int, int], H5PLibrary] = {}
    install = []
    problems: list[Problem] = []
    for key in package.closure:
        name, major, minor = key
        current = H5PLibrary.objects.filter(machine_name=name, major_version=major, minor_version=minor).first()
        candidate = package.libraries.get(key)
        if current is not None and (candidate is None or candidate.patch <= current.patch_version):
            reuse[key] = current
            continue
        if candidate is None:
            problems.append(
                Problem(
                    "dependency",
                    "h5p.json",
                    gettext_noop("The library %(library)s is needed but is neither in the package nor installed."),
                    {"library": f"{name}-{major}.{minor}"},
                )
            )
            continue
        if not allowed:
            text = (
                gettext_noop(
                    "This package brings a newer version of the library %(library)s. Only a library manager may upgrade libraries."
                )
                if current is not None
                else gettext_noop(
                    "This package brings the new library %(library)s. Only a library manager may add libraries."
                )
            )
            problems.append(
                Problem("library_permission", f"{candidate.folder}/library.json", text, {"library": candidate.folder})
            )
            continue
        install.append((candidate, current))
    return reuse, install, problems


def content_import(*, content_id: int, language: str | None = None) -> H5PContent:
    """Validate and unpack one queued content. A content that is already ready or rejected is left alone."""
    with translation.override(language or settings.LANGUAGE_CODE):
        with transaction.atomic():
            content = H5PContent.objects.select_for_update().get(pk=content_id)
            if content.status in (ImportStatus.READY, ImportStatus.REJECTED):
                return content
            content.status = ImportStatus.VALIDATING
            content.errors = []
            content.save(update_fields=["status", "errors"])
        # A worker that died half-way (acks_late re-delivers the task) may have left files: start clean.
        _storage_delete_tree(content.storage_prefix)
        written: list[str] = []
        new_libraries: list[str] = []
        upload = content.upload.name if content.upload else ""
        try:
            _import(content, written, new_libraries)
        except PackageInvalid as invalid:
            _reject(content, [p.as_dict() for p in invalid.problems], written, new_libraries, upload)
        except Exception:
            logger.exception("H5P import of content %s failed", content_id)
            problem = Problem(
                "unexpected", "", gettext_noop("Something went wrong while importing. Try again, or ask for help.")
            )
            _reject(content, [problem.as_dict()], written, new_libraries, upload)
        return content


def _import(content: H5PContent, written: list[str], new_libraries: list[str]) -> None:
    if not content.upload or not default_storage.exists(content.upload.name):
        raise PackageInvalid([Problem("missing_file", "", gettext_noop("The uploaded file is gone. Upload it again."))])
    archive_bytes = content.upload.size
    with content.upload.open("rb") as handle:
        package = package_validate(fileobj=handle, archive_bytes=archive_bytes, installed=_installed_lookup)
        reuse, install, problems = _plan_libraries(package, content.uploaded_by)
        if problems:
            raise PackageInvalid(problems)
        handle.seek(0)
        with zipfile.ZipFile(handle) as zf:
            for name in package.content_members:
                _write(zf, name, content.storage_prefix + name, archive_bytes, written)
            for candidate, current in install:
                if current is None:
                    prefix = f"{LIBRARY_ROOT}{candidate.folder}/"
                    new_libraries.append(prefix)
                    _storage_delete_tree(prefix)
                    for name in candidate.members:
                        _write(zf, name, LIBRARY_ROOT + name, archive_bytes, written)
            # Upgrades come last and are not undone on failure: other exercises use these files, and a
            # newer patch version is compatible by H5P's rules. Their row keeps the old patch number
            # until an import commits, so the next upgrade writes them again.
            for candidate, current in install:
                if current is not None:
                    for name in candidate.members:
                        _write(zf, name, LIBRARY_ROOT + name, archive_bytes, [])
    with transaction.atomic():
        libraries = dict(reuse)
        for candidate, current in install:
            data = candidate.library_json
            fields = {
                "title": str(data["title"])[:255],
                "patch_version": candidate.patch,
                "runnable": data.get("runnable") in (1, True, "1"),
                "library_json": data,
            }
            if current is None:
                name, major, minor = candidate.key
                library = H5PLibrary.objects.create(
                    machine_name=name,
                    major_version=major,
                    minor_version=minor,
                    installed_by=content.uploaded_by,
                    **fields,
                )
            else:
                library = current
                for attr, value in fields.items():
                    setattr(library, attr, value)
                library.save()
            libraries[candidate.key] = library
        content.main_library = libraries[package.main_library]
        content.h5p_json = package.h5p_json
        content.language = str(package.h5p_json.get("language", ""))[:16]
        content.status = ImportStatus.READY
        content.errors = []
        content.imported_at = timezone.now()
        upload = content.upload.name
        content.upload = ""
        content.save()
        content.libraries.set(libraries[key] for key in package.closure)
    if upload:
        default_storage.delete(upload)


def _reject(
    content: H5PContent, problems: list[dict], written: list[str], new_libraries: list[str], upload: str
) -> None:
    for name in written:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s after a rejected H5P import", name)
    _storage_delete_tree(content.storage_prefix)
    for prefix in new_libraries:
        folder = prefix[len(LIBRARY_ROOT) :].rstrip("/")
        name, _, version = folder.rpartition("-")
        major, _, minor = version.partition(".")
        # A concurrent import may have installed the same library meanwhile: its files stay.
        if not H5PLibrary.objects.filter(machine_name=name, major_version=major, minor_version=minor).exists():
            _storage_delete_tree(prefix)
    if upload:
        default_storage.delete(upload)
    content.upload = ""
    content.status = ImportStatus.REJECTED
    content.errors = problems
    content.main_library = None
    content.save(update_fields=["upload", "status", "errors", "main_library"])
    content.refresh_from_db()


def content_files_delete(*, content: H5PContent) -> None:
    """Delete a (deleted) content's unpacked files and upload; the shared libraries stay installed."""
    _storage_delete_tree(content.storage_prefix)
    if content.upload:
        default_storage.delete(content.upload.name)
