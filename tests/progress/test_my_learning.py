"""The learner's "My learning" page, the "Finished" status on module pages, and what pages hand the browser."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Locale
from wagtail.rich_text import RichText

from lessons import selectors as lesson_selectors
from lessons.activities import lesson_activity_id, question_activity_id
from lessons.models import LessonPage, ModulePage
from progress.models import LessonProgress, LessonStatus, ModuleProgress
from progress.services import statements_ingest
from progress.views import my_learning
from tests.factories import fresh, module_with_lessons, question, site_tree, text, tip, translated_module

from .evidence import lesson_done

VERB = "http://adlnet.gov/expapi/verbs/"
URL = "/nl/my-learning/"
# Text is checked in English, where msgid and text are the same; Dutch gets its own test.
EN_URL = "/en/my-learning/"


LANGUAGES = ("nl", "fr", "en", "ar")


@pytest.fixture(scope="module")
def _course_for_module(module_data):
    """The site in four languages. The first module (translated) has three lessons, the first with two
    questions; the second (Dutch only) has two lessons with questions only."""
    catalogue = site_tree(*LANGUAGES).catalogue["nl"]
    module, lessons = module_with_lessons(
        catalogue, [text(), question(), question(right=1)], [text(), question()], [tip(), question()]
    )
    translated_module(module, lessons, LANGUAGES[1:])
    module_with_lessons(catalogue, [question()], [question(right=1)])
    return lessons


@pytest.fixture
def course(_course_for_module, db):
    return fresh(_course_for_module)


@pytest.fixture
def lesson(course):
    """The first lesson of the first module."""
    return course[0]


def statement(object_id, verb="experienced", **extra):
    return {"id": str(uuid.uuid4()), "verb": {"id": VERB + verb}, "object": {"id": object_id}, **extra}


def module_lessons(lesson) -> list:
    return list(LessonPage.objects.live().sibling_of(lesson, inclusive=True).order_by("path"))


def questions(lesson) -> list[tuple[str, int]]:
    result = []
    for block_id, value in lesson_selectors.questions_of_lesson(lesson=lesson).items():
        result.append((block_id, next(i for i, option in enumerate(value["options"]) if option["correct"])))
    return result


def translated(page, language):
    return page.get_translation(Locale.objects.get(language_code=language))


@pytest.fixture
def first_lesson_done(learner, lesson):
    """Lesson 1 finished (first question right first time, the rest wrong, 3 minutes), lesson 2 opened."""
    first, second, *_ = module_lessons(lesson)
    records = [statement(lesson_activity_id(first))]
    for number, (block_id, correct) in enumerate(questions(first)):
        answer = correct if number == 0 else correct + 1
        records.append(statement(question_activity_id(first, block_id), "answered", result={"response": str(answer)}))
    records.append(statement(lesson_activity_id(first), "completed", result={"duration": "PT180S"}))
    records.append(statement(lesson_activity_id(second)))
    statements_ingest(user=learner, statements=records)
    return first, second


def links(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<a class="[^"]*{css_class}[^"]*" href="([^"]+)"', html)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/nl/account/login/?next=/nl/my-learning/"


def test_a_new_learner_is_pointed_to_the_modules(signed_in, course):
    response = signed_in.get(EN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have not started a lesson yet." in html
    catalogue = lesson_selectors.catalogue_page(locale=Locale.objects.get(language_code="en"))
    assert f'href="{catalogue.url}"' in html
    # Personal data on a shared computer: the browser must not keep a copy after signing out.
    assert "no-store" in response["Cache-Control"]


def test_the_page_shows_where_to_go_on_and_what_is_done(signed_in, first_lesson_done):
    first, second = (translated(page, "en") for page in first_lesson_done)
    total = len(module_lessons(first))
    html = signed_in.get(EN_URL).content.decode()

    assert links(html, "resume-link") == [second.url]
    assert second.title in html

    module = ModulePage.objects.parent_of(first).get()
    assert f'<a href="{module.url}">' in html
    bar = re.search(r"<progress [^>]*>", html).group(0)
    assert f'max="{total}"' in bar and 'value="1"' in bar
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', bar).group(1)
    assert re.search(rf'<h3 class="learning-title" id="{labelled_by}">', html)
    assert f"1 of {total} lessons finished" in html

    count = len(questions(first))
    assert first.title in html.split('id="finished-title"')[1]
    question_word = "question" if count == 1 else "questions"
    assert f"You answered 1 of {count} {question_word} right the first time." in html
    assert "You spent about 3 minutes on it." in html
    # The simulators' place stays out until there are simulator records.
    assert "simulators-title" not in html


def test_a_finished_module_says_so_in_words(signed_in, learner, course):
    # The second module has questions only: answering them all finishes it.
    module = ModulePage.objects.live().filter(locale__language_code="nl").order_by("path")[1]
    lessons = list(LessonPage.objects.live().child_of(module).order_by("path"))
    statements_ingest(user=learner, statements=[record for page in lessons for record in lesson_done(page)])
    html = signed_in.get(EN_URL).content.decode()
    assert "Module finished" in html
    assert "You finished every lesson you started." in html
    assert not links(html, "resume-link")


@pytest.mark.parametrize(
    "language,heading",
    [
        ("nl", "Ga verder waar je gestopt bent"),
        ("fr", "Continuez là où vous vous êtes arrêté"),
        ("ar", "تابع من حيث توقفت"),
    ],
)
def test_links_and_words_follow_the_learners_language(signed_in, first_lesson_done, language, heading):
    first, second = first_lesson_done
    html = signed_in.get(f"/{language}/my-learning/").content.decode()
    assert links(html, "resume-link") == [translated(second, language).url]
    assert translated(second, language).title in html and translated(first, language).title in html
    assert heading in html
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html


def test_an_untranslated_lesson_falls_back_to_dutch(signed_in, first_lesson_done):
    _first, second = first_lesson_done
    translated(second, "fr").unpublish()
    html = signed_in.get("/fr/my-learning/").content.decode()
    assert links(html, "resume-link") == [second.url]
    # The Dutch title is marked as Dutch, so a screen reader reads it in the right language.
    assert f'<span lang="nl" dir="ltr">{second.title}</span>' in html


def _records_for(user, modules) -> None:
    """One finished and one started lesson in each module, written straight to the aggregates."""
    now = timezone.now()
    lessons, rows = [], []
    for module in modules:
        children = list(LessonPage.objects.child_of(module))
        rows.append(
            ModuleProgress(
                user=user,
                module_key=module.translation_key,
                lessons_completed=1,
                lessons_total=len(children),
                started_at=now,
                last_activity_at=now,
            )
        )
        for index, child in enumerate(children[:2]):
            lessons.append(
                LessonProgress(
                    user=user,
                    lesson_key=child.translation_key,
                    module_key=module.translation_key,
                    status=LessonStatus.COMPLETED if index == 0 else LessonStatus.IN_PROGRESS,
                    answers={"q": {"first": True, "last": True}},
                    question_count=2,
                    hints=1,
                    time_spent_seconds=90,
                    started_at=now,
                    last_activity_at=now,
                    completed_at=now if index == 0 else None,
                )
            )
    ModuleProgress.objects.bulk_create(rows)
    LessonProgress.objects.bulk_create(lessons)


def _make_modules(count: int) -> list:
    catalogue = lesson_selectors.catalogue_page(locale=Locale.objects.get(language_code="nl"))
    modules = []
    for number in range(count):
        module = catalogue.add_child(
            instance=ModulePage(
                title=f"Proefmodule {number}", slug=f"proefmodule-{number}", intro="Proef", topic="smartphone"
            )
        )
        for lesson_number in range(3):
            module.add_child(
                instance=LessonPage(
                    title=f"Proefles {number}.{lesson_number}",
                    slug=f"proefles-{lesson_number}",
                    summary="Proef",
                    body=[("text", RichText("<p>Proef</p>"))],
                )
            )
        modules.append(module)
    return modules


def _render_my_learning(rf, user) -> str:
    """The view and its whole template, without the session middleware.

    Sign-in keeps the time of the last request in the session and saves it once a minute, which would
    make the count depend on the clock; that write is the same for every page anyway.
    """
    request = rf.get(URL)
    request.user = user
    with translation.override("en"):
        response = my_learning(request)
        return response.render().content.decode()


def test_the_number_of_queries_does_not_grow_with_the_records(
    rf, django_user_model, course, django_assert_max_num_queries
):
    modules = _make_modules(20)
    few, many = (django_user_model.objects.create_user(name) for name in ("few", "many"))
    _records_for(few, modules[:2])
    _records_for(many, modules)

    _render_my_learning(rf, few)  # fills the caches (site root paths, header links) every later request shares
    with CaptureQueriesContext(connection) as baseline:
        html = _render_my_learning(rf, few)
    assert html.count('class="learning-item"') == 2 + 2

    with django_assert_max_num_queries(len(baseline.captured_queries)):
        html = _render_my_learning(rf, many)
    # Every module, and only the most recent finished lessons with the total in words.
    from progress.selectors import RECENT_COMPLETED

    assert html.count('class="learning-item"') == 20 + RECENT_COMPLETED
    assert "You finished 20 lessons in all. Here are the last 12." in html
    # The test modules exist only in Dutch: their links fall back to the Dutch pages.
    assert '<span lang="nl" dir="ltr">Proefmodule 19</span>' in html and "You used 1 hint." in html


def test_signed_in_pages_carry_the_learner_and_a_token_and_anonymous_pages_do_not(client, learner, lesson):
    anonymous = client.get(lesson.url).content.decode()
    assert "csrf-token" not in anonymous and "data-learner" not in anonymous
    assert 'href="/nl/my-learning/"' not in anonymous
    assert "progress/js/progress" in anonymous  # guests queue their practice too

    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert re.search(r'<meta name="csrf-token" content="[^"]{20,}">', html)
    assert f'data-learner="{learner.public_id}"' in html
    assert 'href="/nl/my-learning/"' in html


def test_lesson_pages_name_their_activities(client, lesson):
    html = client.get(lesson.url).content.decode()
    assert f'data-lesson-activity="{lesson_activity_id(lesson)}"' in html
    for block_id, _correct in questions(lesson):
        assert f'data-question-activity="{question_activity_id(lesson, block_id)}"' in html
    assert "lessons/js/lesson" in html


def test_the_last_lesson_completes_towards_the_module(client, lesson):
    last = module_lessons(lesson)[-1]
    html = client.get(last.url).content.decode()
    module = ModulePage.objects.parent_of(last).get()
    assert re.search(rf'<a class="button pager-next" href="{re.escape(module.url)}" data-lesson-complete>', html)


def test_the_module_page_shows_finished_lessons_to_their_learner(signed_in, client, first_lesson_done):
    first, second = (translated(page, "en") for page in first_lesson_done)
    module = ModulePage.objects.parent_of(first).get()
    html = signed_in.get(module.url).content.decode()
    items = re.findall(r"<li><a href=\"([^\"]+)\">[^<]*</a>(.*?)<span class=\"lesson-meta\">", html)
    status = dict(items)
    assert "Finished" in status[first.url] and "✔" in status[first.url]
    assert "Started" in status[second.url]
    assert all(not text for url, text in items if url not in (first.url, second.url))

    client.logout()
    assert "lesson-status" not in client.get(module.url).content.decode()


@pytest.fixture
def assigned_module(lesson):
    """A coach's assignment, given through the provider hook the coaching app will use."""
    import datetime

    from django.utils import timezone

    from lessons.models import ModulePage
    from progress.assignments import AssignedItem, assignment_provider_register, assignment_provider_unregister

    module = ModulePage.objects.parent_of(lesson).get()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def provider(*, user):
        return [AssignedItem(translation_key=module.translation_key, due=yesterday, note="Voor dinsdag")]

    assignment_provider_register(provider)
    yield module
    assignment_provider_unregister(provider)


def test_assigned_modules_show_with_their_due_date_and_overdue_in_words(client, assigned_module, django_user_model):
    from django.utils import translation

    learner = django_user_model.objects.create_user("karim", password="een-goed-wachtwoord")
    client.force_login(learner)
    html = client.get("/nl/my-learning/").content.decode()
    assert assigned_module.title in html and "Voor dinsdag" in html
    with translation.override("nl"):
        assert translation.gettext("Given to you by your coach") in html
        assert translation.gettext("Not started yet") in html
    assert 'class="status-overdue"' in html
