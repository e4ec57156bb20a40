"""Shared computers forget: what a signed-in person was shown is never stored, and a code + PIN session
ends with the browser (and after the idle time, tests/accounts/test_idle.py)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import SignInKind
from tests.accounts.support import code_of, pictures_data, sign_in_with_code


def page_kinds(lesson) -> list[str]:
    """One URL of each kind of page: Wagtail pages, app pages, search, forms, a JSON answer, errors."""
    with translation.override("nl"):
        return [
            "/nl/",
            lesson.get_parent().url,
            lesson.url,
            reverse("search") + "?q=wachtwoord",
            reverse("sandboxes:practice"),
            reverse("progress:my_learning"),
            reverse("accounts:account"),
            reverse("accounts:display"),
            reverse("training_public:verify", kwargs={"token": "no-such-token"}),  # the certificate check page
            "/nl/no-such-page/",
        ]


def assert_private(response, url):
    directives = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (url, response.status_code, response.get("Cache-Control"))
    assert "public" not in directives, url


@pytest.fixture
def learner(django_user_model, course):
    return django_user_model.objects.create_user("lotte", password="lotte-wachtwoord", display_name="Lotte")


def test_every_kind_of_page_is_private_and_not_stored_for_a_signed_in_person(client, learner, lesson):
    client.force_login(learner)
    for url in page_kinds(lesson):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert_private(response, url)
    keep_alive = client.post(reverse("accounts:keep_alive"), HTTP_ACCEPT="application/json")
    assert keep_alive.status_code == 200
    assert_private(keep_alive, "keep-alive")


def test_the_home_page_greets_by_name_and_the_shared_page_cache_keeps_nothing_of_it(client, learner, lesson):
    cache.clear()
    client.force_login(learner)
    greeted = client.get("/nl/")
    assert "Lotte" in greeted.content.decode()
    assert_private(greeted, "/nl/")
    # The next person at the same computer, signed out: no trace of Lotte, from any cache.
    client.logout()
    client.cookies.clear()
    anonymous = client.get("/nl/")
    assert "Lotte" not in anonymous.content.decode()
    assert "private" not in anonymous["Cache-Control"]  # anonymous pages are still shared (no-cache)


def test_a_view_that_allows_caching_is_overruled_for_signed_in_people(rf, learner):
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    from learn.middleware import PrivateWhenSignedInMiddleware

    def view(request):
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=3600)
        return response

    request = rf.get("/")
    request.user = learner
    response = PrivateWhenSignedInMiddleware(view)(request)
    assert_private(response, "/")


def test_a_code_and_pin_session_ends_when_the_browser_closes(client, course, django_user_model):
    coach = django_user_model.objects.create_user("coach-an", password="x")
    new = services.learner_create(coach=coach, display_name="Marie", language="nl", kind=SignInKind.PIN)
    response = sign_in_with_code(client, code_of(new), {"pin": new.secret})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie, nothing on disk


def test_a_pictures_session_ends_when_the_browser_closes_too(client, course, django_user_model):
    coach = django_user_model.objects.create_user("coach-an", password="x")
    new = services.learner_create(coach=coach, display_name="Yusuf", language="ar", kind=SignInKind.PICTURES)
    assert sign_in_with_code(client, code_of(new), pictures_data(new.secret)).status_code == 302
    assert client.session.get_expire_at_browser_close()
