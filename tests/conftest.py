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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root):
    """Load the demo site once into the test database; each `db` test rolls back to this state."""
    from django.db import connection

    from lessons.demo.loader import demo_content_load

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or name in ("", ":memory:") or "mode=memory" in name, f"not a test database: {name}"
        demo_content_load()


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


@pytest.fixture
def demo_site(db):
    """The demo site: home, catalogue, help page, three modules in four languages, help points."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:  # a transactional test that ran before this one emptied every table: load it again
        from wagtail.models import Collection, Locale, Page

        from lessons.demo.loader import demo_content_load

        # Wagtail's page and collection roots come from its data migrations, which a flush does not run again.
        if not Page.objects.filter(depth=1).exists():
            locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
            Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        if not Collection.objects.filter(depth=1).exists():
            Collection.add_root(name="Root")
        demo_content_load()
        site = Site.objects.get(is_default_site=True)
    return site


@pytest.fixture
def lesson(demo_site):
    """The first Dutch lesson of the first module."""
    from lessons.models import LessonPage

    return LessonPage.objects.live().filter(locale__language_code="nl").order_by("path").first()
