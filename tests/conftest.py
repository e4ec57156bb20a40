import shutil
import tempfile

import pytest
from django.conf import settings
from django.core.cache import cache


@pytest.fixture(scope="session", autouse=True)
def _media_root():
    """Uploads and image renditions made by tests go to a temporary folder, never into media/.
    H5P files (settings.H5P_ROOT, outside MEDIA_ROOT) go to a temporary folder of their own."""
    folder = tempfile.mkdtemp(prefix="oefenplein-media-")
    h5p_folder = tempfile.mkdtemp(prefix="oefenplein-h5p-")
    previous = settings.MEDIA_ROOT, settings.H5P_ROOT
    settings.MEDIA_ROOT = folder
    settings.H5P_ROOT = h5p_folder
    yield folder
    settings.MEDIA_ROOT, settings.H5P_ROOT = previous
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(h5p_folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests check sign-in logic, not PBKDF2's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache, so a cached page never leaks from one test into another."""
    cache.clear()
    yield
    cache.clear()


def _assert_test_database() -> None:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    assert "test" in name or name in ("", ":memory:") or "mode=memory" in name, f"not a test database: {name}"


def _demo_content_load() -> None:
    """The demo content, with Wagtail's page and collection roots if a flush removed them.

    (Those roots come from Wagtail's data migrations, which a flush does not run again.)
    """
    from wagtail.models import Collection, Locale, Page

    from lessons.demo.loader import demo_content_load

    _assert_test_database()
    if not Page.objects.filter(depth=1).exists():
        locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    demo_content_load()


@pytest.fixture(scope="module")
def module_data(request, django_db_setup, django_db_blocker):
    """One transaction around a test module, for data its tests share; rolled back after the module.

    Building a page tree costs seconds (every page is saved, revised, published and indexed), so a test
    module builds its site once, in module-scoped fixtures that ask for `module_data`; each `db` test
    then runs in a savepoint inside this transaction, and a function-scoped fixture hands it fresh copies
    (`tests.factories.fresh`). The database is open to the module's tests while it lasts.

    A transactional test commits and flushes, so it cannot run inside this transaction: in a module
    with one, `module_data` is False and the shared fixtures build their data per test instead.
    """
    from django.db import transaction

    if any(item.module is request.module and _is_transactional(item) for item in request.session.items):
        yield False
        return
    with django_db_blocker.unblock():
        _assert_test_database()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield True
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server", "django_db_serialized_rollback"} & set(item.fixturenames))


@pytest.fixture(scope="module")
def _demo_content_for_module(request, module_data):
    """The demo content, loaded once for the tests of one module (see `module_data`)."""
    assert module_data, f"demo_site cannot be shared with the transactional tests of {request.module.__name__}"
    _demo_content_load()


@pytest.fixture
def demo_site(_demo_content_for_module, db):
    """The demo site (home, catalogue, help page, three modules in four languages, help points).

    For the demo tests only: every other test builds its own data with tests/factories.
    """
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


def _site_pages_build():
    from tests import factories as make

    return make.site_tree(*make.LANGUAGES)


@pytest.fixture(scope="module")
def _site_pages_for_module(module_data):
    return _site_pages_build() if module_data else None


@pytest.fixture
def site_pages(_site_pages_for_module, db):
    """The site's fixed pages (home, catalogue, help page) in four languages, without modules."""
    from tests.factories import fresh

    return fresh(_site_pages_for_module) if _site_pages_for_module else _site_pages_build()


def _course_build(tree):
    """What `course` holds, built under the site pages `tree`."""
    from tests import factories as make

    module, lessons = make.module_with_lessons(
        tree.catalogue["nl"],
        [
            make.text("<p>Een smartphone is een kleine computer. Je bedient hem met je vingers.</p>"),
            make.tip("Neem je tijd. Je kunt niets kapotmaken."),
            make.question("Je hebt een nieuwe smartphone. Waarmee bedien je hem?", ("Met je vingers", "Met een muis")),
        ],
        [make.text(), make.question(right=1), make.question("Is dit veilig?", ("Ja", "Nee"))],
        [make.warning()],
        title="Je smartphone leren kennen",
    )
    first = lessons[0]
    first.simple_body = [
        make.text("<p>Een smartphone is een kleine computer. Je tikt met je vinger op het scherm.</p>"),
        make.question("Wat is een smartphone?", ("Een kleine computer", "Een radio")),
    ]
    first.save_revision().publish()
    lessons[0] = type(first).objects.get(pk=first.pk)
    modules, translated = make.translated_module(module, lessons, make.LANGUAGES[1:])
    other_module, other_lessons = make.module_with_lessons(
        tree.catalogue["nl"],
        [make.question("Is een sms van je bank altijd echt?", ("Ja", "Nee"), right=1)],
        [make.question(), make.question(right=1)],
        [make.question("Wat doe je na een klik op een valse link?", ("Je bank bellen", "Niets doen"))],
        title="Phishing herkennen",
    )
    return make.Course(
        tree=tree,
        module=module,
        lessons=lessons,
        modules=modules,
        translated=translated,
        other_module=other_module,
        other_lessons=other_lessons,
    )


@pytest.fixture(scope="module")
def _course_for_module(module_data, _site_pages_for_module):
    return _course_build(_site_pages_for_module) if module_data else None


@pytest.fixture
def course(_course_for_module, site_pages):
    """A small site built with tests/factories, in Dutch, French, English and Arabic.

    The first module has three lessons, translated into every language: the first has a text, a tip and a
    question, and an easier version with a question of its own; the second a text and two questions; the
    third a warning only. A second module (Dutch only) has three lessons with questions only.
    """
    from tests.factories import fresh

    return fresh(_course_for_module) if _course_for_module else _course_build(site_pages)


@pytest.fixture
def lesson(course):
    """The first Dutch lesson of `course`: text, tip and question, and an easier version with a question."""
    return course.lessons[0]
