"""Page routing is remembered per URL; every change to the tree must make it forget."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_remembered_route_costs_fewer_queries(client, lesson, django_user_model, settings):
    # Both page caches step aside (signed-in pages are cached too, learn/signed_in_cache.py): routing runs.
    settings.PAGE_CACHE_SECONDS = 0
    learner = django_user_model.objects.create_user("route-test")
    client.force_login(learner)
    first, walked = _queries_for(client, lesson.url)
    second, remembered = _queries_for(client, lesson.url)
    assert first.status_code == second.status_code == 200
    assert second.context["page"].pk == lesson.pk
    assert remembered < walked


def test_a_new_slug_is_followed_at_once(client, lesson, django_user_model):
    learner = django_user_model.objects.create_user("route-test")
    client.force_login(learner)
    old_url = lesson.url
    assert client.get(old_url).status_code == 200

    lesson.slug = "een-nieuwe-naam"
    lesson.save_revision().publish()
    lesson.refresh_from_db()

    assert client.get(lesson.url).status_code == 200
    assert lesson.url != old_url
    old = client.get(old_url)
    assert old.status_code == 404 or old["Location"] == lesson.url  # Wagtail may add a redirect


def test_an_unpublished_page_is_gone_at_once(client, lesson, django_user_model):
    learner = django_user_model.objects.create_user("route-test")
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200
    lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_a_moved_page_is_found_at_its_new_place(client, lesson, django_user_model):
    from lessons.models import ModulePage

    learner = django_user_model.objects.create_user("route-test")
    client.force_login(learner)
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    other_module = ModulePage.objects.filter(locale=lesson.locale).exclude(pk=lesson.get_parent().pk).first()
    lesson.move(other_module, pos="last-child")
    lesson.refresh_from_db()

    assert client.get(lesson.url).status_code == 200
    old = client.get(old_url)  # Wagtail adds a permanent redirect from the old place
    assert old.status_code == 404 or old["Location"] == lesson.url
