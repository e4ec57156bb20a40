"""Real-browser tests: Debian's Chromium, driven by Playwright, against a live server with the demo site.

Loading the demo site takes seconds, so it is loaded once and shared by every browser test:

* The tests ask for `db`, not `transactional_db`. That tells pytest-django to create the test
  database (it skips that when no collected test asks for a database, and the session's
  `django_db_setup` would then load the demo into the development database), and the demo site that
  `django_db_setup` loaded stays in place: `db` rolls back, while `transactional_db` (and with it
  pytest-django's `live_server` fixture) would flush everything after each test.
* The package-scoped `site` fixture loads the demo content (committed: the live server must see it), reads
  every URL and answer the tests need from the database, and starts pytest-django's `LiveServer`. On
  SQLite the server shares the test's in-memory connection; on PostgreSQL it sees the committed demo
  site. When the browser tests are done it puts the database back as it was before (the other tests
  build their own data and must not find the demo there).
* The browser tests only read (quiz answers are GET requests), so they cannot disturb one another.

The sync Playwright API keeps an asyncio loop running in this thread. Django then refuses database
calls here (`SynchronousOnlyOperation`), and asgiref hands this thread other connections than before.
So every lookup is done before Playwright starts; only the BEGIN/ROLLBACK of `db` around each test
comes later. For those, `DJANGO_ALLOW_ASYNC_UNSAFE` is set while the browser runs, and the connections
they opened are closed before it stops.
"""

import os

import pytest
from django.conf import settings
from django.test.utils import modify_settings

from .support import AXE_JS, CHROMIUM, CHROMIUM_ARGS, DemoSite, KeyboardTour, LanguageSite, Question, RequestLog

LANGUAGES = ("nl", "ar")


def _assert_test_database() -> None:
    """Never load or read the demo site in a real database (pytest-django names test databases test_*)."""
    from django.db import connection
    from django.db.backends.base.creation import TEST_DATABASE_PREFIX

    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    assert in_memory or name.startswith(TEST_DATABASE_PREFIX), f"The browser tests would use the real database {name}"


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


def _database_snapshot() -> str:
    """The test database's rows, serialized as Django's `serialized_rollback` does."""
    from django.db import connection

    return connection.creation.serialize_db_to_string()


def _database_restore(snapshot: str) -> None:
    """Empty the test database and load the snapshot again (what `serialized_rollback` does after a test)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot)


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


def _language_site(language: str) -> tuple[LanguageSite, object]:
    """The paths of one language, and the lesson (with a question) the tests open in it."""
    from wagtail.models import Locale

    from lessons import selectors
    from lessons.models import HomePage

    locale = Locale.objects.get(language_code=language)
    home = HomePage.objects.live().get(locale=locale)
    catalogue = selectors.catalogue_page(locale=locale)
    modules = selectors.modules_for_catalogue(locale=locale)
    assert modules, f"The demo site has no modules in {language}"
    lesson = _first_lesson_with_question(modules[0])
    paths = LanguageSite(
        home=home.url,
        catalogue=catalogue.url,
        help=selectors.help_page(locale=locale).url,
        module=modules[0].url,
        lesson=lesson.url,
        lesson_title=lesson.title,
        not_found=f"{home.url}this-page-does-not-exist/",
        bad_request=f"{catalogue.url}?topic=no-such-topic",
        search_word=_search_word(lesson, locale),
    )
    return paths, lesson


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


def _arabic_translation(dutch_lesson):
    """The Arabic lesson with the same translation_key as the Dutch one."""
    from lessons.models import LessonPage

    return LessonPage.objects.live().get(translation_key=dutch_lesson.translation_key, locale__language_code="ar")


@pytest.fixture(scope="package")
def site(django_db_setup, django_db_blocker):
    """The demo site on a live server, with the paths and answers the tests need.

    Database access stays open until teardown, for the server thread.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        _assert_test_database()
        before = _database_snapshot()
        _ensure_demo_content()
        languages, lessons = {}, {}
        for language in LANGUAGES:
            languages[language], lessons[language] = _language_site(language)
        tour = _keyboard_tour()
        arabic_lesson = _arabic_translation(lessons["nl"])
        host = os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost")
        with modify_settings(ALLOWED_HOSTS={"append": host.rsplit(":", 1)[0]}):
            server = LiveServer(host)
            try:
                yield DemoSite(
                    url=server.url,
                    languages=languages,
                    tour=tour,
                    arabic_lesson=arabic_lesson.url,
                    arabic_lesson_title=arabic_lesson.title,
                )
            finally:
                server.stop()
                _database_restore(before)


@pytest.fixture(scope="package")
def chromium(request):
    """Debian's Chromium, headless. `site` comes first: no database lookup may follow Playwright's start."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, and it is missing. "
            "Install it with `apt-get install chromium` (or point CHROMIUM=/path/to/chromium at another build).",
            pytrace=False,
        )
    request.getfixturevalue("site")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
        finally:
            # While the loop runs, Django keeps this thread's connections apart from the ones it had
            # before (asgiref stores them per context): close those, or the test database cannot be
            # dropped at the end of the session.
            connections.close_all()
            playwright.stop()


def _open_tab(chromium, site: DemoSite, **context_options):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, **context_options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.request_log = RequestLog(site)
    tab.on("request", tab.request_log)
    return context, tab


@pytest.fixture
def page(db, chromium, site):
    """A fresh browser tab (own cookies and cache) with the site's Content-Security-Policy enforced."""
    context, tab = _open_tab(chromium, site)
    yield tab
    context.close()


@pytest.fixture
def axe_page(db, chromium, site):
    """A fresh browser tab that may inject axe-core: the site's CSP forbids inline scripts, so it is bypassed."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` in {settings.BASE_DIR}.", pytrace=False)
    context, tab = _open_tab(chromium, site, bypass_csp=True)
    yield tab
    context.close()
