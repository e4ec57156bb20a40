"""Real-browser tests: Debian's Chromium, driven by Playwright, against a live server with the demo site.

Loading the demo site takes seconds, so it is loaded once and shared by every browser test. That is
why these tests use neither `db` nor `transactional_db`, nor pytest-django's `live_server` fixture
(which pulls in `transactional_db` and so flushes the database after every test). Instead the
package-scoped `site` fixture:

* makes sure the demo content is in the test database: the session's `django_db_setup` loads it, but
  a transactional test that ran earlier flushes it, and then it is loaded again;
* reads every URL and answer the tests need from the database before Playwright starts: the sync
  Playwright API runs an event loop in this thread, and Django refuses database calls there;
* starts pytest-django's `LiveServer` and keeps database access open while the browser tests run,
  because the server thread needs it.

The browser tests only read (quiz answers are GET requests), so they cannot disturb one another.
"""

import os

import pytest
from django.conf import settings
from django.test.utils import modify_settings

from .support import AXE_JS, CHROMIUM, CHROMIUM_ARGS, DemoSite, KeyboardTour, LanguageSite, Question, RequestLog

LANGUAGES = ("nl", "ar")


def _ensure_demo_content() -> None:
    """Load the demo site unless it is there; rebuild the tree roots that a flush removed."""
    from wagtail.models import Collection, Locale, Page

    from lessons.demo.loader import demo_content_load
    from lessons.models import HelpPoint, LessonPage

    if LessonPage.objects.live().filter(locale__language_code="ar").exists() and HelpPoint.objects.exists():
        return
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    demo_content_load()


def _search_word(lesson, locale) -> str:
    """A word of the lesson's title that the site search finds, so the results page has results."""
    from lessons import selectors

    words = sorted({word.strip(".,:;!?()،؟") for word in lesson.title.split()}, key=len, reverse=True)
    for word in words:
        if len(word) >= 3 and selectors.lessons_matching(query=word, locale=locale).count():
            return word
    raise AssertionError(f"No word of {lesson.title!r} gives search results in {locale.language_code}")


def _first_lesson_with_question(module):
    from lessons import selectors

    for lesson in selectors.lessons_of_module(module=module):
        if selectors.questions_of_lesson(lesson=lesson):
            return lesson
    raise AssertionError(f"Module {module.title!r} has no lesson with a question")


def _language_site(language: str) -> LanguageSite:
    from wagtail.models import Locale

    from lessons import selectors
    from lessons.models import HomePage

    locale = Locale.objects.get(language_code=language)
    home = HomePage.objects.live().get(locale=locale)
    catalogue = selectors.catalogue_page(locale=locale)
    modules = selectors.modules_for_catalogue(locale=locale)
    assert modules, f"The demo site has no modules in {language}"
    lesson = _first_lesson_with_question(modules[0])
    return LanguageSite(
        home=home.url,
        catalogue=catalogue.url,
        help=selectors.help_page(locale=locale).url,
        module=modules[0].url,
        lesson=lesson.url,
        lesson_title=lesson.title,
        not_found=f"{home.url}deze-pagina-bestaat-niet/",
        bad_request=f"{catalogue.url}?topic=no-such-topic",
        search_word=_search_word(lesson, locale),
    )


def _keyboard_tour() -> KeyboardTour:
    """The first Dutch module of the catalogue whose first lesson has a question and a next lesson."""
    from wagtail.models import Locale

    from lessons import selectors

    locale = Locale.objects.get(language_code="nl")
    for module in selectors.modules_for_catalogue(locale=locale):
        lessons = list(selectors.lessons_of_module(module=module))
        questions = selectors.questions_of_lesson(lesson=lessons[0]) if len(lessons) >= 2 else {}
        if not questions:
            continue
        block_id, value = next(iter(questions.items()))
        options = list(value["options"])
        correct = next(index for index, option in enumerate(options) if option["correct"])
        return KeyboardTour(
            module=module.url,
            lessons=[lesson.url for lesson in lessons],
            titles=[lesson.title for lesson in lessons],
            question=Question(block_id, correct, len(options), str(options[correct]["feedback"])),
        )
    raise AssertionError("No Dutch module starts with a lesson that has a question")


def _arabic_translations(paths: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Dutch lesson path -> path and title of the Arabic lesson with the same translation_key."""
    from lessons.models import LessonPage

    urls, titles = {}, {}
    for dutch in LessonPage.objects.live().filter(locale__language_code="nl"):
        if dutch.url in paths:
            arabic = LessonPage.objects.live().get(translation_key=dutch.translation_key, locale__language_code="ar")
            urls[dutch.url], titles[dutch.url] = arabic.url, arabic.title
    return urls, titles


@pytest.fixture(scope="package")
def site(django_db_setup, django_db_blocker):
    """The demo site on a live server, with the paths and answers the tests need."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        _ensure_demo_content()
        languages = {language: _language_site(language) for language in LANGUAGES}
        tour = _keyboard_tour()
        arabic_urls, arabic_titles = _arabic_translations([languages["nl"].lesson])
        host = os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost")
        # Database access stays open until teardown: the server thread answers the browser from it.
        with modify_settings(ALLOWED_HOSTS={"append": host.rsplit(":", 1)[0]}):
            server = LiveServer(host)
            try:
                yield DemoSite(
                    url=server.url,
                    languages=languages,
                    tour=tour,
                    arabic_translation=arabic_urls,
                    arabic_titles=arabic_titles,
                )
            finally:
                server.stop()


@pytest.fixture(scope="package")
def chromium(site):
    """Debian's Chromium, headless. It needs `site` first: no database call may come after Playwright starts."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, and it is missing. "
            "Install it with `apt-get install chromium` (or point CHROMIUM=/path/to/chromium at another build).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


def _open_tab(chromium, site: DemoSite, **context_options):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, **context_options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.request_log = RequestLog(site)
    tab.on("request", tab.request_log)
    return context, tab


@pytest.fixture
def page(chromium, site):
    """A fresh browser tab (own cookies and cache) with the site's Content-Security-Policy enforced."""
    context, tab = _open_tab(chromium, site)
    yield tab
    context.close()


@pytest.fixture
def axe_page(chromium, site):
    """A fresh browser tab that may inject axe-core: the site's CSP forbids inline scripts, so it is bypassed."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` in {settings.BASE_DIR}.", pytrace=False)
    context, tab = _open_tab(chromium, site, bypass_csp=True)
    yield tab
    context.close()
