"""The H5P screens in the Wagtail admin: editors list and upload exercises and see each import's state."""

import pytest

from h5p.models import H5PContent, ImportStatus
from h5p.services import content_import

from . import builders
from .conftest import stored_files, upload_file


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editor_opens_the_list_and_the_upload_form(editor_client):
    assert editor_client.get("/admin/h5p/").status_code == 200
    response = editor_client.get("/admin/h5p/upload/")
    assert response.status_code == 200
    assert b'accept=".h5p"' in response.content


def test_upload_shows_waiting_then_rejected_with_the_reasons(
    editor_client, django_capture_on_commit_callbacks, monkeypatch
):
    from h5p import services

    monkeypatch.setattr(services, "import_start", lambda **kwargs: None)  # the worker has not started yet
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/h5p/upload/",
            {"title": "Gevaarlijk", "file": upload_file(builders.extension_package())},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    content = H5PContent.objects.get(title="Gevaarlijk")
    assert response.status_code == 302 and response["Location"] == f"/admin/h5p/{content.pk}/"
    page = editor_client.get(response["Location"]).content.decode()
    assert 'data-h5p-status="queued">Wacht<' in page  # the admin speaks Dutch unless the editor chose otherwise

    content_import(content_id=content.pk, language="en")
    page = editor_client.get(f"/admin/h5p/{content.pk}/").content.decode()
    assert 'data-h5p-status="rejected">Geweigerd<' in page
    assert "content/evil.php" in page and "extension" in page
    assert "Bestanden van het type" in page  # stored in English, shown in the reader's language
    listing = editor_client.get("/admin/h5p/").content.decode()
    assert "Gevaarlijk" in listing and "content/evil.php" in listing


def test_upload_runs_the_import_and_shows_ready(
    client, library_manager, django_capture_on_commit_callbacks, monkeypatch
):
    from h5p import services
    from h5p.tasks import h5p_import

    # Run the task in this thread (a worker or the background thread could not see this test's rows).
    monkeypatch.setattr(services, "import_start", lambda content_id, **kwargs: h5p_import.apply([content_id], kwargs))
    client.force_login(library_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/h5p/upload/", {"title": "Goed", "file": upload_file(builders.minimal_package())})
    content = H5PContent.objects.get(title="Goed")
    assert content.status == ImportStatus.READY, content.errors
    assert 'data-h5p-status="ready">Klaar<' in client.get(response["Location"]).content.decode()


def test_checking_state_is_shown(editor_client):
    content = H5PContent.objects.create(title="Bezig", status=ImportStatus.VALIDATING)
    page = editor_client.get(f"/admin/h5p/{content.pk}/").content.decode()
    assert 'data-h5p-status="validating">Wordt gecontroleerd<' in page


def test_a_wrong_file_is_refused_on_the_form(editor_client, h5p_root):
    response = editor_client.post("/admin/h5p/upload/", {"title": "Zip", "file": upload_file(b"PK", "oefening.zip")})
    assert response.status_code == 200
    assert not H5PContent.objects.exists() and stored_files(h5p_root) == set()


def test_users_without_permission_are_kept_out(client, django_user_model, db):
    staff = django_user_model.objects.create_user(username="zonder-rechten", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    for url in ("/admin/h5p/", "/admin/h5p/upload/"):
        assert client.get(url).status_code in (302, 403)
    client.logout()
    assert client.get("/admin/h5p/").status_code == 302


def test_h5p_content_is_a_snippet_whose_add_screen_is_the_upload(editor_client):
    from wagtail.snippets.models import get_snippet_models

    assert H5PContent in get_snippet_models()
    response = editor_client.get("/admin/snippets/h5p/h5pcontent/add/")
    assert response.status_code == 302 and response["Location"] == "/admin/h5p/upload/"
    assert editor_client.get("/admin/snippets/h5p/h5pcontent/").status_code == 200


def test_the_chooser_offers_ready_exercises_only(editor_client):
    H5PContent.objects.create(title="Klaar om te kiezen", status=ImportStatus.READY)
    H5PContent.objects.create(title="Geweigerd en verborgen", status=ImportStatus.REJECTED)
    response = editor_client.get("/admin/snippets/choose/h5p/h5pcontent/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Klaar om te kiezen" in body and "Geweigerd en verborgen" not in body


def test_deleting_an_exercise_deletes_its_files_but_not_the_library(client, library_manager, h5p_root):
    content = content_import(
        content_id=content_upload_for(library_manager).pk,
        language="en",
    )
    assert content.status == ImportStatus.READY
    client.force_login(library_manager)
    response = client.post(f"/admin/snippets/h5p/h5pcontent/delete/{content.pk}/")
    assert response.status_code == 302
    assert not H5PContent.objects.filter(pk=content.pk).exists()
    remaining = stored_files(h5p_root)
    assert remaining and all(name.startswith("libraries/") for name in remaining)


def content_upload_for(user, package: bytes | None = None):
    from h5p.services import content_upload

    data = package if package is not None else builders.minimal_package()
    return content_upload(user=user, title="Weg ermee", uploaded_file=upload_file(data))


def test_notices_are_shown_after_the_import(client, library_manager):
    content = content_import(
        content_id=content_upload_for(library_manager, builders.stray_top_level_package()).pk, language="en"
    )
    assert content.status == ImportStatus.READY
    client.force_login(library_manager)
    page = client.get(f"/admin/h5p/{content.pk}/").content.decode()
    assert "H5P_CONTENT_HERE" in page and "readme.txt" in page
    assert "Weggelaten uit de oefening" in page  # the admin speaks Dutch
    assert 'data-h5p-notices="2"' in client.get("/admin/h5p/").content.decode()


def test_a_failed_import_is_tried_again_or_removed_from_the_admin(
    editor_client, editor, h5p_root, monkeypatch, django_capture_on_commit_callbacks
):
    from h5p import services

    content = content_upload_for(editor, builders.content_only_package())
    H5PContent.objects.filter(pk=content.pk).update(status=ImportStatus.FAILED)
    page = editor_client.get(f"/admin/h5p/{content.pk}/").content.decode()
    assert f'action="/admin/h5p/{content.pk}/retry/"' in page
    assert f'action="/admin/h5p/{content.pk}/remove/"' in page
    assert editor_client.get(f"/admin/h5p/{content.pk}/retry/").status_code == 405

    started = []
    monkeypatch.setattr(services, "import_start", lambda **kwargs: started.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/h5p/{content.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/admin/h5p/{content.pk}/"
    assert H5PContent.objects.get(pk=content.pk).status == ImportStatus.QUEUED
    assert [kwargs["content_id"] for kwargs in started] == [content.pk]
    # Waiting (not stuck): neither again nor removed.
    assert editor_client.post(f"/admin/h5p/{content.pk}/remove/").status_code == 302
    assert H5PContent.objects.filter(pk=content.pk).exists()

    H5PContent.objects.filter(pk=content.pk).update(status=ImportStatus.FAILED)
    assert stored_files(h5p_root) == {content.upload.name}
    response = editor_client.post(f"/admin/h5p/{content.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/admin/h5p/"
    assert not H5PContent.objects.filter(pk=content.pk).exists()
    assert stored_files(h5p_root) == set()


def test_retry_and_remove_need_their_permissions(client, django_user_model, db):
    from django.contrib.auth.models import Permission

    content = H5PContent.objects.create(title="Mislukt", status=ImportStatus.FAILED, upload="uploads/x.h5p")
    viewer = django_user_model.objects.create_user(username="alleen-kijken", password="x", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_h5pcontent")
    )
    client.force_login(viewer)
    page = client.get(f"/admin/h5p/{content.pk}/").content.decode()
    assert "/retry/" not in page and "/remove/" not in page
    assert client.post(f"/admin/h5p/{content.pk}/retry/").status_code in (302, 403)
    assert client.post(f"/admin/h5p/{content.pk}/remove/").status_code in (302, 403)
    content.refresh_from_db()
    assert content.status == ImportStatus.FAILED
