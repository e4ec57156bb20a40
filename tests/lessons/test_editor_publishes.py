"""The demo editor writes, publishes and translates a lesson, and builds simulators, with nobody else's help."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Workflow

from accounts.demo import demo_users_ensure
from lessons.models import LessonPage, ModulePage
from sandboxes.models import Scenario
from tests.sandboxes.conftest import minimal_data, minimal_scenario  # noqa: F401  (fixtures)


@pytest.fixture
def editor_client(client, demo_site):
    demo_users_ensure()
    assert client.login(username="redacteur", password="oefen-redacteur-2026")
    return client


def lesson_form_data(*, title: str, slug: str, action: str) -> dict:
    data = {
        "title": title,
        "slug": slug,
        "summary": "Je leert hoe je veilig een code typt.",
        "estimated_minutes": "5",
        "body-count": "1",
        "body-0-type": "tip",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-title": "Tip",
        "body-0-value-text": "Neem je tijd. Je kan hier niets stuk maken.",
        "simple_body-count": "0",
    }
    data[action] = "on"
    return data


def test_the_demo_has_no_moderation_step_left_waiting_for_nobody(demo_site):
    assert not Workflow.objects.filter(active=True).exists()


def test_the_editor_writes_publishes_and_translates_a_lesson(editor_client, django_capture_on_commit_callbacks):
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path").first()
    add_url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonpage", module.pk])
    page = editor_client.get(add_url)
    assert page.status_code == 200
    assert "Moderators" not in page.content.decode()  # no "Submit to Moderators approval" button

    response = editor_client.post(
        add_url, lesson_form_data(title="Een code typen", slug="code-typen", action="action-publish")
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    lesson = LessonPage.objects.get(slug="code-typen", locale__language_code="nl")
    assert lesson.live and not lesson.locked

    french = Locale.objects.get(language_code="fr")
    submit = reverse("wagtail_localize:submit_page_translation", args=[lesson.pk])
    assert editor_client.get(submit).status_code == 200
    response = editor_client.post(submit, {"locales": [french.pk]})
    assert response.status_code == 302
    translated = LessonPage.objects.get(translation_key=lesson.translation_key, locale=french)
    assert not translated.live  # a draft, until the editor publishes the translation

    edit_url = reverse("wagtailadmin_pages:edit", args=[translated.pk])
    assert editor_client.get(edit_url).status_code == 200
    # wagtail-localize publishes the translation once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(edit_url, {"action": "publish"})
    assert response.status_code == 302
    translated.refresh_from_db()
    assert translated.live


def test_the_editor_opens_edits_previews_and_publishes_a_simulator(editor_client, minimal_scenario):  # noqa: F811
    from tests.sandboxes.test_admin import edit_form_data

    assert editor_client.get(reverse("wagtailsnippets_sandboxes_scenario:list")).status_code == 200
    edit_url = reverse("wagtailsnippets_sandboxes_scenario:edit", args=[minimal_scenario.pk])
    assert editor_client.get(edit_url).status_code == 200

    preview = reverse("wagtailsnippets_sandboxes_scenario:preview_on_edit", args=[minimal_scenario.pk])
    data = edit_form_data(minimal_scenario, title="Oefen een sms-code")
    assert editor_client.post(preview, data).json()["is_valid"]
    shown = editor_client.get(preview, {"mode": "guided"})
    assert shown.status_code == 200 and "Oefen een sms-code" in shown.content.decode()

    response = editor_client.post(edit_url, data)
    assert response.status_code == 302
    minimal_scenario.refresh_from_db()
    assert minimal_scenario.title == "Oefen een sms-code"  # saved is published: scenarios have no drafts

    add_url = reverse("wagtailsnippets_sandboxes_scenario:add")
    assert editor_client.get(add_url).status_code == 200
    assert Scenario.objects.filter(slug="minimal").count() == 4


# What the project adds to the editors' Wagtail admin menu (sandboxes, h5p and lessons wagtail_hooks).
ADMIN_MENU_MSGIDS = ("Simulators", "H5P exercises", "Easy-language checks")


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
def test_the_admin_menu_names_what_the_project_adds_in_the_editors_language(editor_client, language):
    import json
    import re

    from django.contrib.auth import get_user_model
    from django.utils import translation
    from django.utils.translation import gettext
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(get_user_model().objects.get(username="redacteur"))
    profile.preferred_language = language
    profile.save()
    html = editor_client.get("/admin/").content.decode()
    # The sidebar is JSON in the page; read its strings as the browser will.
    shown = {json.loads(f'"{text}"') for text in re.findall(r'"((?:[^"\\]|\\.)*)"', html)}
    with translation.override(language):
        for msgid in ADMIN_MENU_MSGIDS:
            label = gettext(msgid)
            if language in ("fr", "ar"):
                assert label != msgid, f"{msgid!r} is not translated into {language}"
            assert any(label in text for text in shown), f"{label!r} is not in the {language} admin menu"
