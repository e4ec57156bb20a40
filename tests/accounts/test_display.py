"""Display preferences: kept on the learner, rendered on <html>; guests' pages never vary (they are cached)."""

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accounts.display import display_classes, display_preferences_clean

HTML_TAG = re.compile(r"<html[^>]*>")


def html_tag(response) -> str:
    return HTML_TAG.search(response.content.decode()).group(0)


def test_anything_stored_becomes_complete_valid_preferences():
    assert display_preferences_clean(None) == {"text": "normal", "contrast": False, "motion": False, "spacing": False}
    assert display_preferences_clean({"text": "huge", "contrast": "yes", "motion": True, "evil": 1}) == {
        "text": "normal",
        "contrast": False,
        "motion": True,
        "spacing": False,
    }
    assert display_classes({"text": "larger", "contrast": True, "spacing": True}) == (
        "pref-text-larger pref-contrast pref-spacing"
    )
    assert display_classes({}) == ""


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("leerling-lies", password="lies-wachtwoord-123")


def test_a_learner_keeps_preferences_and_every_page_renders_them(client, learner, lesson):
    client.force_login(learner)
    url = reverse("accounts:display")
    page = client.get(url, {"next": lesson.url})
    assert page.status_code == 200 and 'data-display-source="account"' in page.content.decode()
    answer = client.post(url, {"text": "large", "contrast": "on", "spacing": "on", "next": lesson.url})
    assert answer.status_code == 302 and "next=" in answer["Location"]
    learner.refresh_from_db()
    assert learner.display_preferences == {"text": "large", "contrast": True, "motion": False, "spacing": True}
    tag = html_tag(client.get(lesson.url))
    assert tag == '<html lang="nl" dir="ltr" class="pref-text-large pref-contrast pref-spacing">'
    assert '<meta name="display-preferences" content="account">' in client.get(lesson.url).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(reverse("accounts:my_data")).streaming_content)))
    profile = json.loads(archive.read("my-data.json"))["profile"]
    assert profile["display_preferences"] == learner.display_preferences  # part of "everything we keep about you"
    form = client.get(url).content.decode()
    assert re.search(r'<input type="radio" name="text" value="large"[^>]*checked', form)

    client.post(url, {"action": "reset", "text": "larger"})
    learner.refresh_from_db()
    assert learner.display_preferences == display_preferences_clean({})
    assert "class=" not in html_tag(client.get(lesson.url))


def test_a_guest_page_is_the_same_for_everyone_and_is_cached(client, lesson, settings):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get(lesson.url)
    tag = html_tag(first)
    assert tag == '<html lang="nl" dir="ltr">'
    assert "learn/js/preferences.js" in first.content.decode() and "display-preferences" not in first.content.decode()
    # A guest's choices in another browser change nothing on the server: the cached copy is the same.
    client.cookies.load({"oefenplein.display.v1": '{"text":"larger"}'})
    assert client.get(lesson.url).content == first.content


def test_a_guest_post_without_javascript_keeps_nothing(client, lesson):
    answer = client.post(reverse("accounts:display"), {"text": "larger"}, follow=True)
    with translation.override("nl"):
        told = gettext("Your browser did not save these choices. Sign in to keep them, or switch on JavaScript.")
    assert answer.status_code == 200 and escape(told) in answer.content.decode()
    assert "class=" not in html_tag(client.get(lesson.url))


def test_the_header_links_to_the_display_page_on_every_page(client, lesson):
    body = client.get(lesson.url).content.decode()
    assert f'href="{reverse("accounts:display")}?next=' in body


def test_a_foreign_next_address_is_ignored(client):
    body = client.get(reverse("accounts:display"), {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in body.split("</header>", 1)[1]


def test_high_contrast_switched_off_on_purpose_beats_the_computers_setting(client, learner, lesson):
    """Unticked with "off" (what preferences.js sends) is kept and rendered as pref-contrast-off, which the
    stylesheet puts above `prefers-contrast: more`; unticked without it is "no choice"."""
    client.force_login(learner)
    url = reverse("accounts:display")
    client.post(url, {"text": "normal", "contrast_choice": "off"})
    learner.refresh_from_db()
    assert learner.display_preferences["contrast"] == "off"
    assert html_tag(client.get(lesson.url)) == '<html lang="nl" dir="ltr" class="pref-contrast-off">'
    assert 'name="contrast_choice" value="off"' in client.get(url).content.decode()  # kept without JavaScript
    client.post(url, {"text": "normal", "contrast": "on", "contrast_choice": "off"})  # ticked wins
    learner.refresh_from_db()
    assert learner.display_preferences["contrast"] is True
    client.post(url, {"text": "normal"})
    learner.refresh_from_db()
    assert learner.display_preferences["contrast"] is False
    assert html_tag(client.get(lesson.url)) == '<html lang="nl" dir="ltr">'
    assert display_preferences_clean({"contrast": "of"})["contrast"] is False  # nothing else is kept
