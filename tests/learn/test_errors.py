import re

import pytest
from django.utils import translation


def _lang_dir(response):
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.content.decode()).groups()


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")])
def test_unknown_page_is_a_translated_404_in_the_site_style(client, course, language, direction):
    response = client.get(f"/{language}/deze-pagina-bestaat-niet/")
    assert response.status_code == 404
    with translation.override(language):
        assert translation.gettext("We cannot find this page") in response.content.decode()
    assert _lang_dir(response) == (language, direction)
    assert 'class="skip-link"' in response.content.decode()


def test_unknown_language_ends_in_a_404_not_an_error(client, course):
    response = client.get("/xx/modules/", follow=True)
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["q=%ff%fe", "q=abc%00def", "%ff=1", "topic=%c0"])
def test_malformed_query_string_is_a_400(client, course, query):
    response = client.get(f"/nl/search/?{query}")
    assert response.status_code == 400
    with translation.override("nl"):
        assert translation.gettext("This address contains characters we cannot read.") in response.content.decode()


def test_malformed_query_on_a_wagtail_page_is_a_400(client, lesson):
    assert client.get(f"{lesson.url}?answer=%ff").status_code == 400


def test_server_error_page_renders_without_database_or_context(rf):
    from learn.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Oefenplein" in response.content.decode()
