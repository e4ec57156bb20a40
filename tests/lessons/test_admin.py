"""Editors work in the Wagtail admin: the editing screens of every content type must open for them."""

import pytest

from accounts.demo import demo_users_ensure
from lessons.models import HelpPoint, HomePage, LessonPage, ModuleIndexPage, ModulePage


@pytest.fixture
def editor_client(client, demo_site):
    demo_users_ensure()
    assert client.login(username="redacteur", password="oefen-redacteur-2026")
    return client


@pytest.mark.parametrize("model", [HomePage, ModuleIndexPage, ModulePage, LessonPage])
def test_editor_can_open_the_edit_screen_of_each_page_type(editor_client, model):
    page = model.objects.filter(locale__language_code="nl").first()
    response = editor_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200


def test_editor_can_manage_help_points(editor_client):
    point = HelpPoint.objects.filter(locale__language_code="nl").first()
    assert editor_client.get("/admin/snippets/lessons/helppoint/").status_code == 200
    assert editor_client.get(f"/admin/snippets/lessons/helppoint/edit/{point.pk}/").status_code == 200


def test_module_cover_needs_alt_text_unless_decorative(demo_site):
    from django.core.exceptions import ValidationError

    module = ModulePage.objects.filter(locale__language_code="nl").first()
    module.cover_alt = ""
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert "cover_alt" in error.value.message_dict
    module.cover_decorative = True
    module.full_clean()


def test_learners_cannot_open_the_admin(client, demo_site):
    demo_users_ensure()
    client.login(username="leerling", password="oefen-leerling-2026")
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/login/" in response.get("Location", "/admin/login/")
