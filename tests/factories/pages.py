"""The Wagtail page tree: home, catalogue, help page, modules and lessons, and their translations.

Pages are made with wagtail-factories' PageFactory (it adds each page under `parent=`) and then published
with a revision, as an editor's "Publish" does: answers are scored against the live revision's key.
Translations are made with Wagtail's `copy_for_translation`, as the app (and wagtail-localize) does, so a
translation shares the source's translation key and block ids.

A lesson body is a list of raw blocks, written with `text()`, `question()`, `tip()` and `simulator()`.
"""

import uuid
from dataclasses import dataclass, field

import factory
import wagtail_factories
from wagtail.models import Collection, Locale, Page, Site

from lessons.choices import Level, TargetGroup, Topic
from lessons.models import HelpPointsPage, HomePage, LessonPage, ModuleIndexPage, ModulePage

SOURCE_LANGUAGE = "nl"
LANGUAGES = ("nl", "fr", "en", "ar")


def locale(language: str = SOURCE_LANGUAGE) -> Locale:
    return Locale.objects.get_or_create(language_code=language)[0]


# --- Blocks of a lesson body ------------------------------------------------------------------------


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def text(html: str = "<p>Een smartphone is een kleine computer.</p>") -> dict:
    return _block("text", html)


def tip(text: str = "Neem je tijd.", title: str = "Tip") -> dict:
    return _block("tip", {"title": title, "text": text})


def warning(text: str = "Geef nooit je pincode.", title: str = "Let op") -> dict:
    return _block("warning", {"title": title, "text": text})


def question(
    question: str = "Wat doe je met een verdachte link?",
    options: tuple[str, ...] = ("Niet klikken", "Meteen klikken"),
    right: int = 0,
) -> dict:
    """A multiple-choice question; option number `right` is the right one."""
    return _block(
        "question",
        {
            "question": question,
            "options": [
                {
                    "text": option,
                    "correct": number == right,
                    "feedback": "Goed zo." if number == right else "Niet juist.",
                }
                for number, option in enumerate(options)
            ],
        },
    )


def simulator(scenario, mode: str = "") -> dict:
    return _block("simulator", {"scenario": scenario.pk, "mode": mode})


def image(title: str = "Omslag"):
    """A small image in Wagtail's root collection (e.g. a module's cover)."""
    return wagtail_factories.ImageFactory(title=title, collection=Collection.get_first_root_node())


# --- Pages ------------------------------------------------------------------------------------------


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page under `parent=`, saved and published with a first revision."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(page, create, extracted, **kwargs):
        if create and extracted is not False:
            page.save_revision().publish()
            page.refresh_from_db()


class HomePageFactory(PublishedPageFactory):
    class Meta:
        model = HomePage

    title = "Oefenplein"
    slug = "oefenplein"
    hero_title = "Oefen digitale vaardigheden in je eigen tempo"
    hero_text = "Korte lessen en veilige oefeningen."
    parent = factory.LazyFunction(Page.get_first_root_node)
    locale = factory.LazyFunction(lambda: locale())


class ModuleIndexPageFactory(PublishedPageFactory):
    class Meta:
        model = ModuleIndexPage

    title = "Alle modules"
    slug = "modules"
    intro = "Kies een onderwerp dat bij je past."


class HelpPointsPageFactory(PublishedPageFactory):
    class Meta:
        model = HelpPointsPage

    title = "Hulp in de buurt"
    slug = "hulp-in-de-buurt"
    intro = "Op deze plaatsen helpen mensen je graag verder."


class ModulePageFactory(PublishedPageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    intro = "Wat je in deze module leert."
    topic = Topic.SMARTPHONE
    level = Level.STARTER
    target_groups = factory.LazyFunction(lambda: [TargetGroup.SENIORS])
    estimated_minutes = 20
    sort_order = factory.Sequence(lambda n: n + 1)


class LessonPageFactory(PublishedPageFactory):
    """A lesson with a text and one question, unless the test gives its own `body`."""

    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Les {n}")
    summary = "Wat je in deze les doet."
    estimated_minutes = 5
    body = factory.LazyFunction(lambda: [text(), question()])
    simple_body = factory.LazyFunction(list)


def translation(page, language: str, **fields):
    """The page's published translation in `language` (its parent must be translated first).

    A translator's work is stood in for by marking each text with the language: "Les 1 (fr)". Block ids
    stay those of the source, as with wagtail-localize. `fields` set other values.
    """
    copy = page.copy_for_translation(locale(language), copy_parents=False).specific
    copy.title = f"{page.title} ({language})"
    for name in ("body", "simple_body"):
        if hasattr(copy, name):
            setattr(copy, name, _marked(list(getattr(page.specific, name).raw_data), language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    return copy.__class__.objects.get(pk=copy.pk)


_NOT_TEXT = {"id", "type", "scenario", "mode", "correct", "content", "completion", "min_score", "image"}


def _marked(value, language: str, key: str = ""):
    """Raw stream data with every text marked "(language)"; ids, choices and references unchanged."""
    if isinstance(value, list):
        return [_marked(item, language) for item in value]
    if isinstance(value, dict):
        return {name: item if name in _NOT_TEXT else _marked(item, language, name) for name, item in value.items()}
    if isinstance(value, str) and value:
        return f"{value} ({language})"
    return value


def translations(page, languages, **fields_per_language):
    """{language: translation}; fields_per_language maps a language to its fields, e.g. ar={"title": ...}."""
    return {language: translation(page, language, **fields_per_language.get(language, {})) for language in languages}


# --- A whole site -----------------------------------------------------------------------------------


@dataclass
class SiteTree:
    """The fixed pages of the site in each language: `tree.home["nl"]`, `tree.catalogue["ar"]`."""

    home: dict = field(default_factory=dict)
    catalogue: dict = field(default_factory=dict)
    help: dict = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        return list(self.home)


def site_tree(*languages: str) -> SiteTree:
    """A home page that is the root of the default site, with catalogue and help page, in `languages`.

    The first language is the source (Dutch unless told); the others are translations of it.
    """
    assert not HomePage.objects.exists(), "A site is there already (the demo?): a test builds its own, once"
    languages = languages or (SOURCE_LANGUAGE,)
    source = languages[0]
    root = Page.get_first_root_node()
    if root is None:  # a transactional test's flush removed what Wagtail's migrations made
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale(source)))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePageFactory(parent=root, locale=locale(source))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Oefenplein")
    else:
        site.root_page = home
        site.save()
    tree = SiteTree(
        home={source: home},
        catalogue={source: ModuleIndexPageFactory(parent=home)},
        help={source: HelpPointsPageFactory(parent=home)},
    )
    for language in languages[1:]:
        tree.home[language] = translation(home, language)
        tree.catalogue[language] = translation(tree.catalogue[source], language)
        tree.help[language] = translation(tree.help[source], language)
    return tree


def module_with_lessons(catalogue, *bodies, **module_fields):
    """A module in `catalogue` with one lesson per body given (a list of blocks), in order: (module, lessons)."""
    module = ModulePageFactory(parent=catalogue, **module_fields)
    lessons = [LessonPageFactory(parent=module, body=body) for body in bodies or ([text(), question()],)]
    return module, lessons


def translated_module(module, lessons, languages, **fields_per_language):
    """The module and its lessons translated: ({language: module}, {language: [lessons]})."""
    modules = {
        language: translation(module, language, **fields_per_language.get(language, {})) for language in languages
    }
    translated = {language: [translation(lesson, language) for lesson in lessons] for language in languages}
    return modules, translated


@dataclass
class Course:
    """What the `course` fixture of tests/conftest.py builds."""

    tree: SiteTree
    module: object
    lessons: list
    modules: dict  # language -> the module's translation
    translated: dict  # language -> the translations of `lessons`
    other_module: object
    other_lessons: list


def fresh(value):
    """The same data read again from the database: pages (as their own type), models, and lists, dicts
    and dataclasses of them. Tests share data built once per module; each gets its own objects."""
    import dataclasses

    from django.db.models import Model

    if isinstance(value, Page):
        return value.specific_class.objects.get(pk=value.pk)
    if isinstance(value, Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, list | tuple):
        return type(value)(fresh(item) for item in value)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{f.name: fresh(getattr(value, f.name)) for f in dataclasses.fields(value)})
    return value
