"""The privacy page says what is kept, why, for how long and whom to ask, in the four languages, linked from
every footer and from the account page."""

import pytest


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
def test_the_privacy_page_is_in_every_language_and_in_every_footer(client, site_pages, language):
    page = client.get(f"/{language}/privacy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'lang="{language}"' in html
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/privacy/"' in home


def test_the_page_gives_the_kept_times_from_the_settings(client, db, settings):
    settings.PRIVACY_INACTIVE_DAYS = 548
    settings.PRIVACY_INACTIVE_NOTICE_DAYS = 92
    settings.PRIVACY_STATEMENT_DAYS = 1096
    settings.PRIVACY_STAFF_LEFT_DAYS = 365
    settings.PRIVACY_CONTACT_EMAIL = "privacy@example.org"
    html = client.get("/en/privacy/").content.decode()
    assert "You do not sign in for 18 months: we tell your coach." in html
    assert "3 months later we delete your account" in html
    assert "After 3 years we keep only counts" in html
    assert "certificates 12 months later" in html
    assert 'href="mailto:privacy@example.org"' in html


def test_the_account_page_links_to_the_privacy_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("amina", password="x"))
    assert 'href="/en/privacy/"' in client.get("/en/account/").content.decode()
