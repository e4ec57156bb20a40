"""Uploading and importing packages through the services: the stored layout, library sharing and trust,
and that a rejected package leaves nothing behind."""

import io

import pytest
from django.core.exceptions import ValidationError

from h5p.models import H5PContent, H5PLibrary, ImportStatus
from h5p.services import content_import, content_upload
from h5p.storage import h5p_storage
from h5p.tasks import h5p_import

from . import builders
from .conftest import stored_files, upload_file

LIBRARY_FILES = {
    f"libraries/{builders.FOLDER}/library.json",
    f"libraries/{builders.FOLDER}/oefenvraag.js",
    f"libraries/{builders.FOLDER}/oefenvraag.css",
}


def upload_and_import(user, data: bytes, title: str = "Oefening") -> H5PContent:
    content = content_upload(user=user, title=title, uploaded_file=upload_file(data))
    assert content.status == ImportStatus.QUEUED
    assert h5p_storage.exists(content.upload.name)
    return content_import(content_id=content.pk, language="en")


def test_minimal_package_imports_to_ready_in_the_documented_layout(library_manager, h5p_root):
    content = upload_and_import(library_manager, builders.minimal_package())
    assert content.status == ImportStatus.READY, content.errors
    assert content.errors == []
    library = H5PLibrary.objects.get()
    assert (library.machine_name, library.major_version, library.minor_version) == (builders.LIBRARY, 1, 0)
    assert library.runnable and library.installed_by == library_manager
    assert content.main_library == library
    assert list(content.libraries.all()) == [library]
    assert content.language == "nl" and content.h5p_json["mainLibrary"] == builders.LIBRARY
    prefix = f"content/{content.key}/"
    assert stored_files(h5p_root) == LIBRARY_FILES | {f"{prefix}h5p.json", f"{prefix}content/content.json"}
    assert not content.upload  # the upload is deleted after a successful import too


def test_a_second_package_reuses_the_installed_library(library_manager, h5p_root):
    first = upload_and_import(library_manager, builders.minimal_package())
    second = upload_and_import(library_manager, builders.minimal_package(question="Nog een vraag"))
    assert first.status == second.status == ImportStatus.READY
    assert H5PLibrary.objects.count() == 1
    assert second.main_library == first.main_library
    library_files = {name for name in stored_files(h5p_root) if name.startswith("libraries/")}
    assert library_files == LIBRARY_FILES


def test_editor_reuses_an_installed_library_but_may_not_add_one(library_manager, editor, h5p_root):
    refused = upload_and_import(editor, builders.minimal_package())
    assert refused.status == ImportStatus.REJECTED
    assert [(p["rule"], p["file"]) for p in refused.errors] == [
        ("library_permission", f"{builders.FOLDER}/library.json")
    ]
    assert "library manager" in refused.errors[0]["message"]
    assert stored_files(h5p_root) == set() and H5PLibrary.objects.count() == 0

    upload_and_import(library_manager, builders.minimal_package())
    reused = upload_and_import(editor, builders.content_only_package())
    assert reused.status == ImportStatus.READY, reused.errors
    again = upload_and_import(editor, builders.minimal_package(question="Met bibliotheek"))
    assert again.status == ImportStatus.READY, again.errors  # the package's copy is ignored, not refused


def test_only_a_library_manager_may_upgrade_a_library(library_manager, editor):
    upload_and_import(library_manager, builders.minimal_package())
    refused = upload_and_import(editor, builders.minimal_package(patch=3))
    assert refused.errors[0]["rule"] == "library_permission"
    assert H5PLibrary.objects.get().patch_version == 0
    upgraded = upload_and_import(library_manager, builders.minimal_package(patch=3))
    assert upgraded.status == ImportStatus.READY
    assert H5PLibrary.objects.get().patch_version == 3


@pytest.mark.parametrize(
    ("build", "rule", "file"),
    [
        (builders.zip_slip_package, "path", "content/../../evil.txt"),
        (builders.absolute_path_package, "path", "/tmp/evil.txt"),
        (builders.backslash_package, "path", "content\\..\\evil.txt"),
        (builders.symlink_package, "symlink", "content/passwd.txt"),
        (builders.duplicate_package, "duplicate", "content/content.json"),
        (builders.zip_bomb_package, "ratio", "content/bomb.txt"),
        (builders.extension_package, "extension", "content/evil.php"),
        (lambda: builders.extension_package("content/x.svg"), "extension", "content/x.svg"),
        (builders.missing_preloaded_package, "preloaded_file", f"{builders.FOLDER}/oefenvraag.js"),
        (builders.broken_json_package, "json", "content/content.json"),
        (builders.wrong_folder_package, "folder_name", f"{builders.LIBRARY}-1.1/library.json"),
        (builders.unresolvable_dependency_package, "dependency", f"{builders.FOLDER}/library.json"),
        (builders.not_runnable_package, "main_library", f"{builders.FOLDER}/library.json"),
    ],
)
def test_a_malicious_package_is_rejected_and_leaves_nothing_behind(library_manager, h5p_root, build, rule, file):
    upload_and_import(library_manager, builders.minimal_package(question="Er staat al iets"))
    before = stored_files(h5p_root)
    content = upload_and_import(library_manager, build(), title="Kwaadaardig")
    assert content.status == ImportStatus.REJECTED
    assert (rule, file) in [(p["rule"], p["file"]) for p in content.errors]
    assert all(p["message"] for p in content.errors)
    assert stored_files(h5p_root) == before  # no content files, no new library, no upload
    assert not any(name.startswith(f"content/{content.key}") for name in before)
    assert H5PLibrary.objects.count() == 1


def test_a_failure_while_writing_removes_what_was_written(library_manager, h5p_root, monkeypatch):
    from h5p import services

    original = services._write
    calls = []

    def failing_write(zf, name, target, archive_bytes, written):
        calls.append(name)
        if len(calls) == 4:
            raise OSError("disk full")
        original(zf, name, target, archive_bytes, written)

    monkeypatch.setattr(services, "_write", failing_write)
    content = upload_and_import(library_manager, builders.minimal_package())
    assert content.status == ImportStatus.FAILED
    assert content.errors[0]["rule"] == "unexpected"
    # Only the upload is kept (the package may be fine), so the import can be tried again.
    assert stored_files(h5p_root) == {content.upload.name}
    assert content.upload.name.startswith("uploads/")
    assert H5PLibrary.objects.count() == 0
    assert content.can_retry and content.can_remove


def test_problems_are_written_in_the_uploaders_language(library_manager):
    content = content_upload(
        user=library_manager, title="Taal", uploaded_file=upload_file(builders.extension_package())
    )
    content = content_import(content_id=content.pk, language="nl")
    assert content.errors[0]["message"] != "Files of type 'php' are not allowed here."
    assert "php" in content.errors[0]["message"]


def test_the_task_is_idempotent(library_manager, h5p_root):
    content = content_upload(
        user=library_manager, title="Twee keer", uploaded_file=upload_file(builders.minimal_package())
    )
    assert h5p_import.apply(args=[content.pk]).get() == ImportStatus.READY
    files = stored_files(h5p_root)
    assert h5p_import.apply(args=[content.pk]).get() == ImportStatus.READY
    assert stored_files(h5p_root) == files
    assert H5PContent.objects.get(pk=content.pk).imported_at == H5PContent.objects.get(pk=content.pk).imported_at


def test_with_a_broker_the_upload_sends_the_task_after_commit(
    library_manager, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(h5p_import, "delay", lambda *args, **kwargs: sent.append((args, kwargs)))
    with django_capture_on_commit_callbacks(execute=True):
        content = content_upload(
            user=library_manager, title="Wachtrij", uploaded_file=upload_file(builders.minimal_package())
        )
        assert sent == []
    assert sent == [((content.pk,), {"language": "nl", "attempt": 0})]


def test_on_the_embedded_default_the_import_runs_in_a_child_process_beside_the_request(
    library_manager, django_capture_on_commit_callbacks, monkeypatch, settings, h5p_root
):
    """Tasks run eagerly (no Redis): the upload returns while the import has not even started; a
    background thread runs `manage.py h5p_import` in a child process (JSON parsing holds Python's GIL,
    so it must not run in the web process) and that command imports the package."""
    import threading

    from django.core.management import call_command

    from h5p import services

    settings.CELERY_TASK_ALWAYS_EAGER = True
    started, release, runs = threading.Event(), threading.Event(), []

    def child_process(command, **kwargs):
        runs.append((threading.current_thread().name, command, kwargs["cwd"]))
        started.set()
        assert release.wait(timeout=30)
        return services.subprocess.CompletedProcess(command, 0, "ready", "")

    monkeypatch.setattr(services.subprocess, "run", child_process)
    monkeypatch.setattr(services.connections, "close_all", lambda: None)  # the fake opened none
    with django_capture_on_commit_callbacks(execute=True):
        content = content_upload(
            user=library_manager, title="Beside", uploaded_file=upload_file(builders.minimal_package())
        )
    # Back in the request while the import is still busy.
    assert started.wait(timeout=30)
    assert not release.is_set()
    assert H5PContent.objects.get(pk=content.pk).status == ImportStatus.QUEUED
    release.set()
    services.import_threads_wait()
    [(thread, command, cwd)] = runs
    assert thread.startswith("h5p-import") and thread != threading.current_thread().name
    assert command[1:] == [
        str(settings.BASE_DIR / "manage.py"),
        "h5p_import",
        str(content.pk),
        "--language=nl",
        "--attempt=0",
    ]
    assert cwd == settings.BASE_DIR
    # What the child process runs:
    call_command(*command[2:], stdout=io.StringIO())
    content.refresh_from_db()
    assert content.status == ImportStatus.READY, content.errors


def test_a_child_process_that_breaks_marks_the_import_failed(library_manager, monkeypatch, settings):
    from h5p import services

    content = content_upload(user=library_manager, title="Kapot", uploaded_file=upload_file(b"PK"))
    monkeypatch.setattr(
        services.subprocess,
        "run",
        lambda command, **kwargs: services.subprocess.CompletedProcess(command, 1, "", "Traceback: killed"),
    )
    monkeypatch.setattr(services.connections, "close_all", lambda: None)
    services._import_in_child(content.pk, "nl", 0)  # what the background thread runs
    content.refresh_from_db()
    assert content.status == ImportStatus.FAILED and content.can_retry


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [("oefening.zip", b"PK", "extension"), ("leeg.h5p", b"", "empty")],
)
def test_upload_refuses_wrong_files_early(library_manager, h5p_root, name, data, code):
    with pytest.raises(ValidationError) as error:
        content_upload(user=library_manager, title="Fout", uploaded_file=upload_file(data, name))
    assert error.value.code == code
    assert stored_files(h5p_root) == set() and not H5PContent.objects.exists()


def test_upload_refuses_a_file_over_the_limit(library_manager, settings):
    settings.H5P_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as error:
        content_upload(user=library_manager, title="Groot", uploaded_file=upload_file(builders.minimal_package()))
    assert error.value.code == "size"


def test_the_task_of_a_deleted_content_does_nothing(db):
    assert h5p_import.apply(args=[987654]).get() == "gone"


def test_a_failed_upgrade_keeps_the_installed_library_usable(library_manager, h5p_root, monkeypatch):
    from h5p import services

    upload_and_import(library_manager, builders.minimal_package())
    original = services._write

    def failing_write(zf, name, target, archive_bytes, written):
        if target.endswith("oefenvraag.css"):
            raise OSError("disk full")
        original(zf, name, target, archive_bytes, written)

    monkeypatch.setattr(services, "_write", failing_write)
    content = upload_and_import(library_manager, builders.minimal_package(patch=2))
    assert content.status == ImportStatus.FAILED
    assert stored_files(h5p_root) >= LIBRARY_FILES
    assert not any(name.startswith(f"content/{content.key}") for name in stored_files(h5p_root))
    assert H5PLibrary.objects.get().patch_version == 0


def test_stray_top_level_files_are_skipped_named_and_not_stored(library_manager, h5p_root):
    content = upload_and_import(library_manager, builders.stray_top_level_package())
    assert content.status == ImportStatus.READY, content.errors
    assert [(n["rule"], n["file"]) for n in content.notices] == [
        ("ignored", "H5P_CONTENT_HERE"),
        ("ignored", "readme.txt"),
    ]
    assert not any(name.endswith(("H5P_CONTENT_HERE", "readme.txt")) for name in stored_files(h5p_root))


def test_package_problems_and_library_trust_problems_are_listed_together(editor, h5p_root):
    content = upload_and_import(editor, builders.broken_json_package())
    assert {(p["rule"], p["file"]) for p in content.errors} == {
        ("json", "content/content.json"),
        ("library_permission", f"{builders.FOLDER}/library.json"),
    }
    assert stored_files(h5p_root) == set()


def test_a_failed_import_can_be_tried_again_from_its_kept_upload(
    library_manager, h5p_root, monkeypatch, django_capture_on_commit_callbacks
):
    from h5p import services

    original = services._write

    def failing_write(zf, name, target, archive_bytes, written):
        raise OSError("disk full")

    monkeypatch.setattr(services, "_write", failing_write)
    content = upload_and_import(library_manager, builders.minimal_package())
    assert content.status == ImportStatus.FAILED
    monkeypatch.setattr(services, "_write", original)
    started = []
    monkeypatch.setattr(services, "import_start", lambda **kwargs: started.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        retried = services.content_retry(content=content, user=library_manager)
    assert retried.status == ImportStatus.QUEUED and retried.import_attempt == 1 and retried.errors == []
    assert started == [{"content_id": content.pk, "language": "nl", "attempt": 1}]
    # A late task of the first attempt does nothing; the retry's task imports.
    assert content_import(content_id=content.pk, attempt=0).status == ImportStatus.QUEUED
    done = content_import(content_id=content.pk, attempt=1)
    assert done.status == ImportStatus.READY, done.errors
    assert not done.upload and f"content/{content.key}/h5p.json" in stored_files(h5p_root)
    with pytest.raises(ValidationError):
        services.content_retry(content=done, user=library_manager)  # nothing to try again


def test_a_stuck_import_can_be_tried_again_or_removed_with_its_upload(library_manager, editor, h5p_root, settings):
    from datetime import timedelta

    from django.utils import timezone

    from h5p import services

    content = content_upload(user=editor, title="Vast", uploaded_file=upload_file(builders.content_only_package()))
    assert not content.can_retry and not content.can_remove  # just queued: not stuck yet
    with pytest.raises(ValidationError):
        services.content_remove(content=content, user=editor)
    H5PContent.objects.filter(pk=content.pk).update(
        status=ImportStatus.VALIDATING,
        status_changed_at=timezone.now() - timedelta(seconds=settings.H5P_IMPORT_STUCK_SECONDS + 1),
    )
    content.refresh_from_db()
    assert content.is_stuck and content.can_retry and content.can_remove
    upload = content.upload.name
    assert stored_files(h5p_root) == {upload}
    services.content_remove(content=content, user=editor)
    assert not H5PContent.objects.filter(pk=content.pk).exists()
    assert stored_files(h5p_root) == set()


def test_an_import_whose_content_was_removed_meanwhile_leaves_nothing(library_manager, h5p_root, monkeypatch):
    from h5p import services

    content = content_upload(user=library_manager, title="Weg", uploaded_file=upload_file(builders.minimal_package()))
    original = services._write

    def write_then_remove(zf, name, target, archive_bytes, written):
        original(zf, name, target, archive_bytes, written)
        H5PContent.objects.filter(pk=content.pk).delete()  # removed in the admin while the import runs

    monkeypatch.setattr(services, "_write", write_then_remove)
    content_import(content_id=content.pk)
    assert not H5PContent.objects.filter(pk=content.pk).exists()
    assert stored_files(h5p_root) == set() and H5PLibrary.objects.count() == 0


def test_an_import_that_breaks_before_it_starts_is_marked_failed(library_manager, monkeypatch):
    from django.db import DatabaseError

    from h5p import services

    content = content_upload(
        user=library_manager, title="Databank", uploaded_file=upload_file(builders.minimal_package())
    )
    real_get = H5PContent.objects.select_for_update

    def broken(*args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(H5PContent.objects, "select_for_update", broken)
    with pytest.raises(DatabaseError):
        h5p_import.apply(args=[content.pk], kwargs={"attempt": 0}, throw=True)
    monkeypatch.setattr(H5PContent.objects, "select_for_update", real_get)
    content.refresh_from_db()
    assert content.status == ImportStatus.FAILED and content.can_retry
    assert content.errors[0]["rule"] == "unexpected"
    monkeypatch.setattr(services, "import_start", lambda **kwargs: None)
    assert services.content_retry(content=content, user=library_manager).status == ImportStatus.QUEUED


def test_an_import_that_cannot_be_queued_is_marked_failed(library_manager, monkeypatch, settings):
    from kombu.exceptions import OperationalError

    from h5p import services

    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(h5p_import, "delay", broker_down)
    content = content_upload(user=library_manager, title="Geen broker", uploaded_file=upload_file(b"PK"))
    services.import_start(content_id=content.pk, language="nl", attempt=0)
    content.refresh_from_db()
    assert content.status == ImportStatus.FAILED and content.can_retry


def test_a_late_run_of_an_earlier_attempt_does_not_decide_the_outcome(library_manager, monkeypatch):
    from django.db.models import F

    from h5p import services

    content = content_upload(user=library_manager, title="Twee", uploaded_file=upload_file(builders.minimal_package()))
    original = services._write

    def write_then_retry(zf, name, target, archive_bytes, written):
        original(zf, name, target, archive_bytes, written)
        # Someone pressed "Check the file again" while this run was busy.
        H5PContent.objects.filter(pk=content.pk, import_attempt=0).update(
            status=ImportStatus.QUEUED, import_attempt=F("import_attempt") + 1
        )

    monkeypatch.setattr(services, "_write", write_then_retry)
    content_import(content_id=content.pk, attempt=0)
    content.refresh_from_db()
    assert content.status == ImportStatus.QUEUED and content.import_attempt == 1
    assert H5PLibrary.objects.count() == 0 and content.upload  # the retry still has its upload
    monkeypatch.setattr(services, "_write", original)
    assert content_import(content_id=content.pk, attempt=1).status == ImportStatus.READY
