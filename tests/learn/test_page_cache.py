from lessons.models import LessonPage


def test_anonymous_page_is_served_from_cache_without_queries(client, lesson, django_assert_num_queries):
    first = client.get(lesson.url)
    assert first.status_code == 200
    assert "no-cache" in first["Cache-Control"]  # browsers must not keep the anonymous copy
    with django_assert_num_queries(0):
        second = client.get(lesson.url)
    assert second.content == first.content


def test_publishing_makes_the_cached_page_stale(client, lesson):
    client.get(lesson.url)
    lesson.title = "Nieuwe titel van de les"
    lesson.save_revision().publish()

    assert "Nieuwe titel van de les" in client.get(lesson.url).content.decode()


def test_signed_in_learners_never_get_the_cached_anonymous_page(client, lesson, django_user_model):
    client.get(lesson.url)  # fills the cache for anonymous visitors
    user = django_user_model.objects.create_user("sara", password="een-lang-wachtwoord", display_name="Sara")
    client.force_login(user)
    html = client.get(lesson.url).content.decode()
    assert "Sara" in html


def test_answers_to_questions_are_not_mixed_up_by_the_cache(client, lesson):
    block = next(block for block in lesson.body if block.block_type == "question")
    options = block.value["options"]
    for index, option in enumerate(options):
        html = client.get(lesson.url, {"question": block.id, "answer": index}).content.decode()
        assert option["feedback"] in html
        assert all(other["feedback"] not in html for other in options if other is not option)


def test_error_pages_are_not_cached(client, course):
    LessonPage.objects.all()  # noqa: B018 — the course is there (a site with pages)
    assert client.get("/nl/bestaat-niet/").status_code == 404
    assert client.get("/nl/bestaat-niet/").status_code == 404
