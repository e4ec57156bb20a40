import pytest

from lessons.models import LessonPage
from tests.factories import LessonPageFactory, fresh, module_with_lessons, site_tree, text, translation


@pytest.fixture(scope="module")
def _site_for_module(module_data):
    """A lesson on wifi in Dutch, English and Arabic, next to a lesson on something else."""
    catalogue = site_tree("nl", "en", "ar").catalogue["nl"]
    module, _ = module_with_lessons(catalogue, [text("<p>Bellen en berichten sturen.</p>")])
    wifi = LessonPageFactory(
        parent=module,
        title="Verbinden met wifi",
        slug="verbinden-met-wifi",
        body=[text("<p>Kies een wifi-netwerk.</p>")],
    )
    for language, title in (("en", "Connecting to wifi"), ("ar", "الاتصال بشبكة wifi")):
        translation(module, language)
        translation(wifi, language, title=title)


@pytest.fixture
def site(_site_for_module, db):
    return fresh(_site_for_module)


def test_search_finds_lessons_in_the_learners_language_only(client, site):
    dutch = client.get("/nl/search/", {"q": "wifi"})
    results = list(dutch.context["results"])
    assert results
    assert all(page.locale.language_code == "nl" for page in results)

    arabic_lesson = LessonPage.objects.live().filter(locale__language_code="ar", slug="verbinden-met-wifi").get()
    word = arabic_lesson.title.split()[0]
    arabic = client.get("/ar/search/", {"q": word})
    found = list(arabic.context["results"])
    assert arabic_lesson.pk in [page.pk for page in found]
    assert all(page.locale.language_code == "ar" for page in found)


def test_empty_search_shows_the_form(client, site):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'role="search"' in response.content.decode()


@pytest.mark.parametrize("params", [{"q": "x" * 201}, {"q": "wifi", "page": "abc"}, {"q": "wifi", "page": "50"}])
def test_bad_search_input_is_a_400(client, site, params):
    assert client.get("/nl/search/", params).status_code == 400
