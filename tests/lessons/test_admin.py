"""Editors work in the Wagtail admin: the editing screens of every content type must open for them."""

import pytest

from lessons.models import HelpPoint, HomePage, LessonPage, ModuleIndexPage, ModulePage
from tests.factories import (
    PASSWORD,
    EditorFactory,
    HelpPointFactory,
    fresh,
    image,
    learner_with_pin,
    module_with_lessons,
    site_tree,
)


@pytest.fixture(scope="module")
def _site_for_module(module_data):
    """Home, catalogue, a module with a cover image and one lesson, and a help point, in Dutch."""
    tree = site_tree("nl")
    module_with_lessons(tree.catalogue["nl"], cover_image=image(), cover_alt="Een smartphone op een tafel")
    HelpPointFactory(opening_times=[(1, "09:00", "12:00")])


@pytest.fixture
def site(_site_for_module, db):
    return fresh(_site_for_module)


@pytest.fixture
def editor_client(client, site):
    editor = EditorFactory()
    assert client.login(username=editor.username, password=PASSWORD)
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


def test_module_cover_needs_alt_text_unless_decorative(site):
    from django.core.exceptions import ValidationError

    module = ModulePage.objects.filter(locale__language_code="nl").first()
    module.cover_alt = ""
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert "cover_alt" in error.value.message_dict
    module.cover_decorative = True
    module.full_clean()


def test_learners_cannot_open_the_admin(client, site):
    learner, pin = learner_with_pin()
    learner.set_password("oefen-leerling-2026")
    learner.save()
    client.login(username=learner.username, password="oefen-leerling-2026")
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/login/" in response.get("Location", "/admin/login/")


def _help_point_form(point, times: list[tuple[str, str, str]]) -> dict:
    data = {
        "name": point.name,
        "kind": point.kind,
        "street": point.street,
        "postcode": point.postcode,
        "city": point.city,
        "district": "heffen",
        "phone": point.phone,
        "opening_hours": point.opening_hours,
        "offers": point.offers,
        "digidokter_days": point.digidokter_days,
        "sort_order": point.sort_order,
        "opening_times-TOTAL_FORMS": str(len(times)),
        "opening_times-INITIAL_FORMS": "0",
        "opening_times-MIN_NUM_FORMS": "0",
        "opening_times-MAX_NUM_FORMS": "1000",
    }
    for index, (weekday, opens, closes) in enumerate(times):
        data |= {
            f"opening_times-{index}-weekday": weekday,
            f"opening_times-{index}-opens": opens,
            f"opening_times-{index}-closes": closes,
            f"opening_times-{index}-ORDER": str(index + 1),
            f"opening_times-{index}-DELETE": "",
            f"opening_times-{index}-id": "",
        }
    return data


def test_editor_sets_opening_times_inline_and_a_wrong_row_is_refused(editor_client):
    from datetime import time

    point = HelpPoint.objects.filter(locale__language_code="nl").first()
    point.opening_times.all().delete()
    url = f"/admin/snippets/lessons/helppoint/edit/{point.pk}/"
    assert "opening_times-TOTAL_FORMS" in editor_client.get(url).content.decode()

    wrong = editor_client.post(url, _help_point_form(point, [("2", "12:00", "09:00")]))
    assert wrong.status_code == 200  # the form again, with the message
    assert "Het sluitingsuur moet later zijn dan het openingsuur." in wrong.content.decode()  # the editor reads Dutch
    assert not point.opening_times.exists()

    editor_client.post(url, _help_point_form(point, [("2", "09:00", "12:00"), ("4", "13:30", "16:30")]))
    point.refresh_from_db()
    assert point.district == "heffen"
    assert sorted(point.opening_times.values_list("weekday", "opens", "closes")) == [
        (2, time(9), time(12)),
        (4, time(13, 30), time(16, 30)),
    ]
