from wagtail.models import Locale, Revision

from lessons.demo.loader import demo_content_load
from lessons.models import HelpPoint, HelpPointsPage, HomePage, LessonPage, ModuleIndexPage, ModulePage

LANGUAGES = ["nl", "fr", "en", "ar"]


def test_demo_has_three_modules_of_three_lessons_in_every_language(demo_site):
    for language in LANGUAGES:
        locale = Locale.objects.get(language_code=language)
        modules = ModulePage.objects.live().filter(locale=locale)
        assert modules.count() >= 3, language
        for module in modules:
            assert LessonPage.objects.live().child_of(module).count() >= 3, (language, module.slug)
        assert HelpPoint.objects.filter(locale=locale).count() >= 3, language
        assert HomePage.objects.live().filter(locale=locale).exists()
        assert ModuleIndexPage.objects.live().filter(locale=locale).exists()
        assert HelpPointsPage.objects.live().filter(locale=locale).exists()


def test_translations_are_linked_to_their_dutch_source(demo_site):
    dutch = LessonPage.objects.filter(locale__language_code="nl").first()
    translations = {page.locale.language_code: page for page in dutch.get_translations()}
    assert set(translations) == {"fr", "en", "ar"}
    assert len({page.title for page in [dutch, *translations.values()]}) == 4


def test_second_load_changes_nothing(demo_site):
    revisions_before = Revision.objects.count()
    pages_before = LessonPage.objects.count()

    report = demo_content_load()

    assert not report.changed, report.created + report.updated
    assert Revision.objects.count() == revisions_before
    assert LessonPage.objects.count() == pages_before


def test_changed_data_updates_only_that_page(demo_site, tmp_path):
    import json
    import shutil

    from lessons.demo.loader import CONTENT_DIR

    for path in CONTENT_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "smartphone-basis.json"
    data = json.loads(target.read_text())
    data["module"]["lessons"][0]["title"]["nl"] = "Een nieuwe titel"
    target.write_text(json.dumps(data))

    report = demo_content_load(content_dir=tmp_path)

    assert len(report.updated) == 1 and "LessonPage" in report.updated[0]
    assert LessonPage.objects.filter(title="Een nieuwe titel", live=True).exists()


def test_every_demo_help_point_has_opening_times_and_a_district_in_every_language(demo_site):
    points = HelpPoint.objects.all()
    assert points.count() == 7 * 4
    for point in points:
        assert point.opening_times.exists(), point
        assert point.district
    assert demo_content_load().changed is False  # loading again changes nothing
