import re

import pytest
from django.utils import translation

from lessons.choices import Level, TargetGroup, Topic
from lessons.models import LessonPage, ModuleIndexPage, ModulePage
from tests.factories import (
    HelpPointFactory,
    fresh,
    help_point_translation,
    image,
    module_with_lessons,
    question,
    site_tree,
    text,
    tip,
    translated_module,
)

LANGUAGES = ("nl", "fr", "en", "ar")


@pytest.fixture(scope="module")
def _site_for_module(module_data):
    """The site in four languages: a smartphone module (three lessons, a cover image, translated) and a
    safety module (Dutch only), and two help points in Dutch and Arabic."""
    catalogue = site_tree(*LANGUAGES).catalogue["nl"]
    phone, lessons = module_with_lessons(
        catalogue,
        [text(), question()],
        [text(), question(right=1)],
        [tip()],
        topic=Topic.SMARTPHONE,
        level=Level.STARTER,
        target_groups=[TargetGroup.SENIORS, TargetGroup.YOUTH],
        cover_image=image(),
        cover_alt="Een smartphone op een tafel",
    )
    alt = {"fr": "Un smartphone sur une table", "en": "A smartphone on a table", "ar": "هاتف ذكي على طاولة"}
    translated_module(phone, lessons, LANGUAGES[1:], **{code: {"cover_alt": words} for code, words in alt.items()})
    module_with_lessons(
        catalogue, [text(), question()], topic=Topic.SAFETY, level=Level.BASIC, target_groups=[TargetGroup.NEWCOMERS]
    )
    for name, street in (("Bibliotheek Predikheren", "Goswin de Stassartstraat 6"), ("Digibankpunt", "Kerkstraat 1")):
        help_point_translation(HelpPointFactory(name=name, street=street), "ar", name=f"{name} (ar)")
    return lessons


@pytest.fixture
def site(_site_for_module, db):
    return fresh(_site_for_module)


@pytest.fixture
def lesson(site):
    """The first Dutch lesson (of three, with a question)."""
    return site[0]


def _html_attrs(response):
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', response.content.decode())
    return match.groups() if match else None


@pytest.mark.parametrize("language,direction", [("nl", "ltr"), ("fr", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_every_page_type_carries_lang_and_dir(client, site, language, direction):
    lesson = LessonPage.objects.live().filter(locale__language_code=language).first()
    module = ModulePage.objects.live().filter(locale__language_code=language).first()
    catalogue = ModuleIndexPage.objects.live().get(locale__language_code=language)
    for url in [f"/{language}/", catalogue.url, module.url, lesson.url, f"/{language}/search/?q=wifi"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _html_attrs(response) == (language, direction), url


def test_root_redirects_to_the_language_of_the_browser(client, site):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_catalogue_filters_by_topic_level_and_target_group(client, site):
    catalogue = ModuleIndexPage.objects.get(locale__language_code="nl")
    safety = client.get(catalogue.url, {"topic": "safety"})
    assert [m.topic for m in safety.context["modules"]] == ["safety"]

    starters = client.get(catalogue.url, {"level": "starter"})
    assert {m.level for m in starters.context["modules"]} == {"starter"}

    youth = client.get(catalogue.url, {"target_group": "youth"})
    assert youth.context["modules"]
    assert all("youth" in m.target_groups for m in youth.context["modules"])

    everything = client.get(catalogue.url, {"topic": "", "level": "", "target_group": ""})
    assert len(everything.context["modules"]) == ModulePage.objects.live().filter(locale__language_code="nl").count()


def test_unknown_filter_value_is_a_translated_400(client, site):
    catalogue = ModuleIndexPage.objects.get(locale__language_code="fr")
    response = client.get(catalogue.url, {"topic": "<script>"})
    assert response.status_code == 400
    with translation.override("fr"):
        expected = translation.gettext("This topic does not exist. Choose a topic from the list.")
    assert expected in response.content.decode()
    assert _html_attrs(response) == ("fr", "ltr")


def test_lesson_shows_position_and_links_to_neighbours(client, lesson):
    siblings = list(LessonPage.objects.live().sibling_of(lesson).order_by("path"))
    second = siblings[1]
    response = client.get(second.url)
    html = response.content.decode()
    with translation.override("nl"):
        expected = translation.gettext("Lesson %(number)s of %(total)s") % {"number": 2, "total": len(siblings)}
    assert expected in html
    assert f'href="{siblings[0].url}" rel="prev"' in html
    assert f'href="{siblings[2].url}" rel="next"' in html


def test_lesson_ends_with_help_points_in_the_same_language(client, site):
    lesson = LessonPage.objects.live().filter(locale__language_code="ar").first()
    response = client.get(lesson.url)
    points = list(response.context["help_points"])
    assert points and all(point.locale.language_code == "ar" for point in points)
    assert points[0].name in response.content.decode()


def _question(lesson):
    block = next(block for block in lesson.body if block.block_type == "question")
    correct = next(i for i, option in enumerate(block.value["options"]) if option["correct"])
    wrong = next(i for i, option in enumerate(block.value["options"]) if not option["correct"])
    return block, correct, wrong


def test_question_gives_feedback_without_javascript(client, lesson):
    block, correct, wrong = _question(lesson)

    right = client.get(lesson.url, {"question": block.id, "answer": correct})
    assert right.status_code == 200
    assert block.value["options"][correct]["feedback"] in right.content.decode()
    assert 'class="feedback feedback-right"' in right.content.decode()

    wrong_answer = client.get(lesson.url, {"question": block.id, "answer": wrong})
    assert block.value["options"][wrong]["feedback"] in wrong_answer.content.decode()
    assert 'class="feedback feedback-wrong"' in wrong_answer.content.decode()
    assert f'value="{wrong}" required checked' in wrong_answer.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"question": "not-a-question", "answer": "0"},
        {"question": "QID", "answer": "99"},
        {"question": "QID", "answer": "abc"},
        {"question": "QID"},
        {"answer": "1"},
    ],
)
def test_bad_answers_get_400_and_change_nothing(client, lesson, params):
    block, _correct, _wrong = _question(lesson)
    params = {key: (block.id if value == "QID" else value) for key, value in params.items()}
    response = client.get(lesson.url, params)
    assert response.status_code == 400
    assert "feedback" not in response.content.decode()


def test_help_page_lists_every_help_point_with_what_is_offered(client, site):
    from lessons.models import HelpPoint, HelpPointsPage

    page = HelpPointsPage.objects.get(locale__language_code="nl")
    html = client.get(page.url).content.decode()
    for point in HelpPoint.objects.filter(locale__language_code="nl"):
        assert point.name in html
        assert point.street in html


def test_language_switcher_keeps_the_learner_on_the_same_lesson(client, lesson):
    html = client.get(lesson.url).content.decode()
    for translated in lesson.get_translations():
        code = translated.locale.language_code
        assert f'href="{translated.url}" lang="{code}" hreflang="{code}"' in html
    assert ">العربية</a>" in html and ">Français</a>" in html and ">Nederlands</a>" in html


def test_cover_images_have_alt_text(client, site):
    module = ModulePage.objects.live().filter(locale__language_code="en").first()
    html = client.get(module.url).content.decode()
    assert f'alt="{module.cover_alt}"' in html
