"""Uploading and importing H5P packages.

`content_upload` runs in the editor's request: it checks the file name and size, saves the upload and
starts the import (`import_start`) once the row is committed. The import never runs inside the
request: with a broker it is the Celery task `h5p.import`; on the embedded default (tasks run eagerly,
no Redis) a background thread of this process runs `manage.py h5p_import` in a child process and waits
for it, so an upload answers at once and a big package cannot hold up the site (parsing JSON is C code
that keeps Python's GIL: in a thread of the web process it would stall every other request).

`content_import` validates the package (`h5p.validation`), decides per library whether the installed
copy is reused or the package's copy is installed, writes the files to the H5P storage
(h5p/storage.py, outside MEDIA_ROOT) and marks the content ready. A package with problems ends in
`rejected` with every reason, and everything this import wrote is deleted again, the upload included.
Anything else that breaks (database, disk) ends in `failed`: what was written is deleted, the upload
is kept, and the admin offers to try again (`content_retry`) or to remove it (`content_remove`); so
does an import that is stuck in waiting or checking. The upload is deleted after a successful import
too: the unpacked files are the truth.

Library trust: a library (machine name + major.minor) is stored once, under
`libraries/<Machine>-<major>.<minor>/`, and shared. Adding a new library, or upgrading an installed
one to a newer patch version, runs someone's JavaScript for every learner, so it needs the permission
`h5p.install_h5plibrary` (superusers have it; give it to a "Library managers" group if needed). Any
other upload reuses the installed libraries and ignores the package's copies of them. A failed import
removes the libraries it added; an upgrade's files are written last and stay (other exercises use them).
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from .models import H5PContent, H5PLibrary, ImportStatus
from .storage import h5p_storage
from .validation import MIB, PackageInvalid, Problem, ValidatedPackage, limit, package_validate

logger = logging.getLogger(__name__)

LIBRARY_ROOT = "libraries/"
INSTALL_PERMISSION = "h5p.install_h5plibrary"
UNEXPECTED = gettext_noop("Something went wrong while importing. Try again, or ask for help.")


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
    try:
        content.save()
    except Exception:
        h5p_storage.delete(content.upload.name)  # no row, so nothing would ever remove this file
        raise
    _start_after_commit(content)
    return content


def _start_after_commit(content: H5PContent) -> None:
    language = translation.get_language() or settings.LANGUAGE_CODE
    content_id, attempt = content.pk, content.import_attempt
    transaction.on_commit(lambda: import_start(content_id=content_id, language=language, attempt=attempt))


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _import_executor() -> ThreadPoolExecutor:
    """One background thread for the embedded default: imports run one after the other, never in a request."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="h5p-import")
        return _executor


def import_command(*, content_id: int, language: str, attempt: int) -> list[str]:
    """`manage.py h5p_import ...` of this project, run with this Python."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    return [
        sys.executable,
        str(manage),
        "h5p_import",
        str(content_id),
        f"--language={language}",
        f"--attempt={attempt}",
    ]


def _import_in_child(content_id: int, language: str, attempt: int) -> None:
    """Run in the background thread: the import itself runs in a child process, which the thread waits for
    (waiting holds no lock). Parsing JSON is C code that keeps Python's GIL, so in a thread of this
    process a big package would hold up every request meanwhile; a child process cannot."""
    try:
        result = subprocess.run(
            import_command(content_id=content_id, language=language, attempt=attempt),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=settings.H5P_IMPORT_STUCK_SECONDS,
            check=False,
        )
        if result.returncode != 0:
            logger.error("H5P import of content %s broke: %s", content_id, result.stderr[-4000:])
            content_mark_failed(content_id=content_id)
    except (OSError, subprocess.SubprocessError):
        logger.exception("H5P import of content %s could not run", content_id)
        content_mark_failed(content_id=content_id)
    finally:
        connections.close_all()  # this thread's own connections; the request's are untouched


# The Celery task that runs `content_import` (h5p/tasks.py). Tasks call services, never the other way: the
# task module hands itself over when it is loaded (h5p/apps.py loads it), so this module never imports it.
_import_task = None


def import_task_register(task) -> None:
    global _import_task
    _import_task = task


def import_start(*, content_id: int, language: str, attempt: int) -> None:
    """Hand one import to the Celery worker, or (tasks run eagerly: no broker) to a child process started
    from the background thread. Either way the upload request only waits for the hand-off."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        _import_executor().submit(_import_in_child, content_id, language, attempt)
        return
    try:
        _import_task.delay(content_id, language=language, attempt=attempt)
    except Exception:
        # The broker is down: the upload is kept, and the admin offers to try again rather than "waiting".
        logger.exception("Could not queue the H5P import of content %s", content_id)
        content_mark_failed(content_id=content_id)


def import_threads_wait() -> None:
    """Wait until the background thread has run every import handed to it so far (scripts, benchmarks)."""
    _import_executor().submit(lambda: None).result()


def content_mark_failed(*, content_id: int) -> None:
    """Best effort after an import broke outside its own error handling (say the database went away):
    a content that is still waiting or checking becomes failed, so the admin offers to try again."""
    problem = Problem("unexpected", "", UNEXPECTED).as_dict()
    try:
        H5PContent.objects.filter(pk=content_id, status__in=[ImportStatus.QUEUED, ImportStatus.VALIDATING]).update(
            status=ImportStatus.FAILED, errors=[problem], status_changed_at=timezone.now()
        )
    except Exception:
        # Still down: the content stays waiting or checking, and is offered again once it counts as stuck.
        logger.exception("Could not mark H5P content %s as failed", content_id)


def _installed_lookup(name: str, major: int, minor: int) -> dict | None:
    library = H5PLibrary.objects.filter(machine_name=name, major_version=major, minor_version=minor).first()
    return library.library_json if library is not None else None


def _storage_delete_tree(prefix: str) -> None:
    """Delete every file under a storage folder (storages have no recursive delete)."""
    prefix = prefix.rstrip("/")
    try:
        folders, files = h5p_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        h5p_storage.delete(f"{prefix}/{name}")
    for folder in folders:
        _storage_delete_tree(f"{prefix}/{folder}")
    with contextlib.suppress(OSError, NotImplementedError):  # the file system storage keeps empty folders
        os.rmdir(h5p_storage.path(prefix))


def _write(zf, name: str, target: str, archive_bytes: int, written: list[str]) -> None:
    """Stream one member into storage, chunk by chunk.

    The validator has already read every byte of this same archive under the size and ratio limits
    (`archive_bytes` was part of that check), so the copy does not hold a file in memory: memory stays
    flat whatever the largest file is. The target is noted before writing, so a half-written file is
    removed when the import is rejected.
    """
    info = zf.getinfo(name)
    if h5p_storage.exists(target):
        h5p_storage.delete(target)
    written.append(target)
    with zf.open(info) as stream:
        content = File(stream, name=target.rsplit("/", 1)[-1])
        content.size = info.file_size
        stored = h5p_storage.save(target, content)
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


class _Superseded(Exception):
    """The content was removed, or retried, while this import ran: this run's result is not wanted."""

    def __init__(self, *, gone: bool):
        self.gone = gone


def content_import(*, content_id: int, language: str | None = None, attempt: int | None = None) -> H5PContent:
    """Validate and unpack one queued content. A content that is ready, rejected or failed is left alone,
    and so is one that was retried since this import was sent (`attempt` is older than the content's)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        with transaction.atomic():
            content = H5PContent.objects.select_for_update().get(pk=content_id)
            if content.status in (ImportStatus.READY, ImportStatus.REJECTED, ImportStatus.FAILED):
                return content
            if attempt is not None and attempt != content.import_attempt:
                return content
            content.status = ImportStatus.VALIDATING
            content.errors = []
            content.status_changed_at = timezone.now()
            content.save(update_fields=["status", "errors", "status_changed_at"])
        # A worker that died half-way (acks_late re-delivers the task) may have left files: start clean.
        _storage_delete_tree(content.storage_prefix)
        written: list[str] = []
        new_libraries: list[str] = []
        upload = content.upload.name if content.upload else ""
        try:
            _import(content, written, new_libraries)
        except PackageInvalid as invalid:
            problems = [p.as_dict() for p in invalid.problems]
            notices = [n.as_dict() for n in invalid.notices]
            _end(content, ImportStatus.REJECTED, problems, written, new_libraries, upload, notices=notices)
        except _Superseded as superseded:
            if superseded.gone:  # removed meanwhile: nothing of it may stay
                _files_undo(content, written, new_libraries, content_files=True)
                if upload:
                    h5p_storage.delete(upload)
            # Retried meanwhile: the newer attempt owns the content's files (the same paths); leave them.
        except Exception:
            logger.exception("H5P import of content %s failed", content_id)
            problems = [Problem("unexpected", "", UNEXPECTED).as_dict()]
            # The package may be fine: keep the upload, so the import can be tried again.
            _end(content, ImportStatus.FAILED, problems, written, new_libraries, "")
        return content


def _validate(content: H5PContent, handle, archive_bytes: int) -> tuple[ValidatedPackage, dict, list]:
    """The package's own problems and the library-trust problems, all in one list (not the first only)."""
    try:
        package = package_validate(fileobj=handle, archive_bytes=archive_bytes, installed=_installed_lookup)
        problems, notices = [], package.notices
    except PackageInvalid as invalid:
        package, problems, notices = invalid.package, list(invalid.problems), invalid.notices
    reuse, install = {}, []
    if package is not None:
        reuse, install, refused = _plan_libraries(package, content.uploaded_by)
        problems += [problem for problem in refused if problem not in problems]
    if problems:
        raise PackageInvalid(problems, notices=notices)
    return package, reuse, install


def _import(content: H5PContent, written: list[str], new_libraries: list[str]) -> None:
    if not content.upload or not h5p_storage.exists(content.upload.name):
        raise PackageInvalid([Problem("missing_file", "", gettext_noop("The uploaded file is gone. Upload it again."))])
    archive_bytes = content.upload.size
    with content.upload.open("rb") as handle:
        package, reuse, install = _validate(content, handle, archive_bytes)
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
        # Removed or retried meanwhile (in the admin)? Then this run must not bring the row back.
        row = H5PContent.objects.select_for_update().filter(pk=content.pk).values("import_attempt").first()
        if row is None or row["import_attempt"] != content.import_attempt:
            raise _Superseded(gone=row is None)
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
        content.status_changed_at = content.imported_at = timezone.now()
        content.errors = []
        content.notices = [notice.as_dict() for notice in package.notices]
        upload = content.upload.name
        content.upload = ""
        content.save()
        content.libraries.set(libraries[key] for key in package.closure)
    if upload:
        h5p_storage.delete(upload)


def _files_undo(content: H5PContent, written: list[str], new_libraries: list[str], *, content_files: bool) -> None:
    for name in written:
        try:
            h5p_storage.delete(name)
        except OSError:
            logger.warning("Could not delete %s after an unfinished H5P import", name)
    if content_files:
        _storage_delete_tree(content.storage_prefix)
    for prefix in new_libraries:
        folder = prefix[len(LIBRARY_ROOT) :].rstrip("/")
        name, _, version = folder.rpartition("-")
        major, _, minor = version.partition(".")
        # A concurrent import may have installed the same library meanwhile: its files stay.
        if not H5PLibrary.objects.filter(machine_name=name, major_version=major, minor_version=minor).exists():
            _storage_delete_tree(prefix)


def _end(
    content: H5PContent,
    status: str,
    problems: list[dict],
    written: list[str],
    new_libraries: list[str],
    upload: str,
    *,
    notices: list[dict] | None = None,
) -> None:
    """Rejected (the upload is deleted: the package itself is wrong) or failed (the upload stays)."""
    row = H5PContent.objects.filter(pk=content.pk).values("import_attempt").first()
    if row is None:  # removed meanwhile: nothing of it may stay
        _files_undo(content, written, new_libraries, content_files=True)
        if content.upload:
            h5p_storage.delete(content.upload.name)
        return
    if row["import_attempt"] != content.import_attempt:
        return  # retried meanwhile: the newer attempt owns the content's files and its outcome
    _files_undo(content, written, new_libraries, content_files=True)
    if upload:
        h5p_storage.delete(upload)
        content.upload = ""
    content.status = status
    content.status_changed_at = timezone.now()
    content.errors = problems
    content.notices = notices or []
    content.main_library = None
    updated = H5PContent.objects.filter(pk=content.pk, import_attempt=content.import_attempt).update(
        upload=content.upload.name or "",
        status=status,
        status_changed_at=content.status_changed_at,
        errors=problems,
        notices=content.notices,
        main_library=None,
    )
    if updated:
        content.refresh_from_db()


def content_retry(*, content: H5PContent, user) -> H5PContent:
    """Run a failed or stuck import again from its kept upload (a new attempt: a late task of the old
    one does nothing). Raises ValidationError when there is nothing to try again."""
    if not user.has_perm("h5p.add_h5pcontent"):
        raise ValidationError(gettext("You may not upload exercises."), code="permission")
    with transaction.atomic():
        content = H5PContent.objects.select_for_update().get(pk=content.pk)
        if not content.can_retry:
            raise ValidationError(gettext("This exercise cannot be checked again."), code="state")
        content.status = ImportStatus.QUEUED
        content.status_changed_at = timezone.now()
        content.errors = []
        content.notices = []
        content.import_attempt += 1
        content.save(update_fields=["status", "status_changed_at", "errors", "notices", "import_attempt"])
        _start_after_commit(content)
    return content


def content_remove(*, content: H5PContent, user) -> None:
    """Delete a failed, rejected or stuck import with its upload and any files it left; ready exercises
    are deleted through the snippet screens, which show where a lesson uses them."""
    if not user.has_perm("h5p.delete_h5pcontent"):
        raise ValidationError(gettext("You may not delete exercises."), code="permission")
    with transaction.atomic():
        content = H5PContent.objects.select_for_update().get(pk=content.pk)
        if not content.can_remove:
            raise ValidationError(gettext("This exercise cannot be removed here."), code="state")
        content.delete()
    content_files_delete(content=content)


def content_files_delete(*, content: H5PContent) -> None:
    """Delete a (deleted) content's unpacked files and upload; the shared libraries stay installed."""
    _storage_delete_tree(content.storage_prefix)
    if content.upload:
        h5p_storage.delete(content.upload.name)
