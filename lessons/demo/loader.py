"""Load the demo content: the site's fixed pages, the modules in lessons/demo/content and the help points.

Dutch pages are created first; French, English and Arabic are made from them with Wagtail's
`copy_for_translation`, so each translation is linked to its source by translation key, exactly as
wagtail-localize expects. Running the loader again compares every field with the data and saves
nothing when they match, so a second `make run` changes nothing.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from django.apps import apps
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site, Workflow

from sandboxes.services import scenarios_load

from ..models import (
    HelpPoint,
    HelpPointOpeningTime,
    HelpPointsPage,
    HomePage,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
)
from . import site_pages
from .covers import cover_png

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SOURCE_LANGUAGE = "nl"
TRANSLATION_LANGUAGES = ("fr", "en", "ar")
LANGUAGES = (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES)
HELP_POINT_NAMESPACE = uuid.UUID("6f0c7d1e-7d55-4d3e-9d4c-2b0f7a1c9e11")


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def demo_content_load(*, content_dir: Path = CONTENT_DIR) -> LoadReport:
    report = LoadReport()
    documents = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(content_dir.glob("*.json"))]
    with transaction.atomic():
        locales = _ensure_locales()
        _moderation_workflow_disable()
        scenarios_load()
        home = _ensure_home(report)
        _translate_all(home, _home_fields, None, locales, report)
        catalogue = _upsert_child(
            home, ModuleIndexPage, site_pages.CATALOGUE["slug"]["nl"], _catalogue_fields(SOURCE_LANGUAGE), report
        )
        _translate_all(catalogue, lambda language: _catalogue_fields(language), None, locales, report)
        help_page = _upsert_child(
            home, HelpPointsPage, site_pages.HELP["slug"]["nl"], _help_fields(SOURCE_LANGUAGE), report
        )
        _translate_all(help_page, _help_fields, None, locales, report)
        for document in sorted(documents, key=lambda doc: doc["module"]["order"]):
            _load_module(catalogue, document["module"], locales, report)
            for order, point in enumerate(document.get("help_points", []), start=1):
                _load_help_point(point, order, locales, report)
    return report


def _moderation_workflow_disable() -> None:
    """Switch off Wagtail's default "Moderators approval" workflow in the demo.

    The demo has no moderator, and Editors may publish (lessons migration 0006): with the workflow
    on, an editor's "Submit to Moderators approval" would lock the page with nobody to approve it.
    A site that wants a second pair of eyes turns a workflow on in Settings → Workflows and puts
    people in the Moderators group.
    """
    Workflow.objects.filter(name="Moderators approval", active=True).update(active=False)


# --- Locales and the site root -----------------------------------------------------------------


def _ensure_locales() -> dict[str, Locale]:
    return {language: Locale.objects.get_or_create(language_code=language)[0] for language in LANGUAGES}


def _ensure_home(report: LoadReport) -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's "Welcome" placeholder."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        home = site.root_page.specific
        _update(home, _home_fields(SOURCE_LANGUAGE), report)
        return home
    root = Page.get_first_root_node()
    placeholder = site.root_page if site else None
    home = HomePage(
        slug="oefenplein", locale=Locale.objects.get(language_code=SOURCE_LANGUAGE), **_home_fields(SOURCE_LANGUAGE)
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    report.created.append(f"home ({SOURCE_LANGUAGE})")
    if site:
        site.root_page = home
        site.save()
    else:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Oefenplein")
    if placeholder is not None and placeholder.pk != home.pk and not isinstance(placeholder.specific, HomePage):
        placeholder.delete()
    return home


def _home_fields(language: str) -> dict:
    return {key: site_pages.HOME[key][language] for key in ("title", "hero_title", "hero_text")}


def _catalogue_fields(language: str) -> dict:
    return {key: site_pages.CATALOGUE[key][language] for key in ("slug", "title", "intro")}


def _help_fields(language: str) -> dict:
    return {key: site_pages.HELP[key][language] for key in ("slug", "title", "intro")}


# --- Modules and lessons ---------------------------------------------------------------------------


def _load_module(catalogue: ModuleIndexPage, data: dict, locales: dict, report: LoadReport) -> None:
    image = _ensure_cover(data)

    def module_fields(language: str) -> dict:
        return {
            "title": data["title"][language],
            "intro": data["intro"][language],
            "learning_goals": [{"type": "goal", "value": goal} for goal in data["goals"][language]],
            "estimated_minutes": data["minutes"],
            "topic": data["topic"],
            "level": data["level"],
            "target_groups": list(data["target_groups"]),
            "sort_order": data["order"],
            "cover_image": image,
            "cover_alt": data["cover_alt"][language],
            "cover_decorative": False,
        }

    module = _upsert_child(catalogue, ModulePage, data["slug"], module_fields(SOURCE_LANGUAGE), report)
    _translate_all(module, module_fields, None, locales, report)
    for lesson_data in data["lessons"]:

        def lesson_fields(language: str, lesson_data=lesson_data) -> dict:
            return {
                "title": lesson_data["title"][language],
                "summary": lesson_data["summary"][language],
                "estimated_minutes": lesson_data["minutes"],
                "body": [_block(block, language) for block in lesson_data["body"]],
                "simple_body": [_block(block, language) for block in lesson_data.get("simple_body", [])],
            }

        lesson = _upsert_child(module, LessonPage, lesson_data["slug"], lesson_fields(SOURCE_LANGUAGE), report)
        _translate_all(lesson, lesson_fields, None, locales, report)


def _block(block: dict, language: str) -> dict:
    kind, value = block["type"], block["value"]
    if kind == "text":
        return {"type": "text", "value": value[language]}
    if kind in ("tip", "warning"):
        return {"type": kind, "value": {"title": value["title"][language], "text": value["text"][language]}}
    if kind == "steps":
        steps = [{"text": step[language], "screenshot": None, "screenshot_alt": ""} for step in value["steps"]]
        return {"type": "steps", "value": {"title": value["title"][language], "steps": steps}}
    if kind == "question":
        options = [
            {
                "text": option["text"][language],
                "correct": bool(option["correct"]),
                "feedback": option["feedback"][language],
            }
            for option in value["options"]
        ]
        return {"type": "question", "value": {"question": value["question"][language], "options": options}}
    if kind == "simulator":
        # The built-in scenarios are loaded first (demo_content_load); the block points at the
        # scenario in the lesson's own language.
        Scenario = apps.get_model("sandboxes", "Scenario")
        scenario = (
            Scenario.objects.filter(slug=value["scenario"], locale__language_code=language).first()
            or Scenario.objects.filter(slug=value["scenario"], locale__language_code=SOURCE_LANGUAGE).first()
        )
        if scenario is None:
            raise ValueError(f"Demo lesson needs scenario {value['scenario']!r}: run load_scenarios first")
        return {"type": "simulator", "value": {"scenario": scenario.pk, "mode": value.get("mode", "")}}
    raise ValueError(f"Unknown demo block type {kind!r}")


def _ensure_cover(data: dict):
    Image = get_image_model()
    title = f"Oefenplein demo cover: {data['slug']}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        png = cover_png(color=data["cover_color"], symbol=data["cover_symbol"])
        image = Image(title=title, file=ImageFile(_named_bytes(png, f"demo-cover-{data['slug']}.png")))
        image.save()
    return image


def _named_bytes(data: bytes, name: str):
    import io

    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


# --- Help points -----------------------------------------------------------------------------------


def _load_help_point(data: dict, order: int, locales: dict, report: LoadReport) -> None:
    key = uuid.uuid5(HELP_POINT_NAMESPACE, data["slug"])
    shared = {
        "kind": data["kind"],
        "street": data["street"],
        "postcode": data["postcode"],
        "city": data["city"],
        "district": data["district"],
        "phone": data["phone"],
        "device_lending": bool(data["device_lending"]),
        "free_wifi": bool(data["free_wifi"]),
        "coach_on_site": bool(data["coach_on_site"]),
        "sort_order": order,
    }
    times = _opening_times_parse(data["opening_times"])
    for language in LANGUAGES:
        fields = {
            **shared,
            "name": data["name"][language],
            "opening_hours": data["opening_hours"][language],
            "offers": data["offers"][language],
            "digidokter_days": data["digidokter_days"][language],
        }
        point = HelpPoint.objects.filter(translation_key=key, locale=locales[language]).first()
        if point is None:
            point = HelpPoint.objects.create(translation_key=key, locale=locales[language], **fields)
            _opening_times_set(point, times)
            report.created.append(f"help point {data['slug']} ({language})")
        elif _differs(point, fields) or _opening_times_of(point) != times:
            for name, value in fields.items():
                setattr(point, name, value)
            point.save()
            _opening_times_set(point, times)
            report.updated.append(f"help point {data['slug']} ({language})")
        else:
            report.unchanged += 1


WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _opening_times_parse(rows: list) -> list[tuple[int, time, time]]:
    """["tue", "09:00", "12:00"] -> (1, 09:00, 12:00), in weekday and time order."""
    return sorted(
        (WEEKDAY_KEYS.index(day), time.fromisoformat(opens), time.fromisoformat(closes)) for day, opens, closes in rows
    )


def _opening_times_of(point) -> list[tuple[int, time, time]]:
    return sorted(point.opening_times.values_list("weekday", "opens", "closes"))


def _opening_times_set(point, times: list[tuple[int, time, time]]) -> None:
    point.opening_times.all().delete()
    HelpPointOpeningTime.objects.bulk_create(
        HelpPointOpeningTime(help_point=point, weekday=day, opens=opens, closes=closes, sort_order=position)
        for position, (day, opens, closes) in enumerate(times)
    )


# --- Generic page helpers --------------------------------------------------------------------------


def _upsert_child(parent: Page, model, slug: str, fields: dict, report: LoadReport):
    fields = {key: value for key, value in fields.items() if key != "slug"}
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        _update(existing, fields, report)
        return existing
    page = model(slug=slug, locale=parent.locale, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.created.append(f"{model.__name__} {slug} ({parent.locale.language_code})")
    return page


def _translate_all(source: Page, fields_for, _unused, locales: dict, report: LoadReport) -> None:
    for language in TRANSLATION_LANGUAGES:
        fields = dict(fields_for(language))
        slug = fields.pop("slug", None)
        for stream_name in ("body", "simple_body"):
            if stream_name not in fields:
                continue
            # Translations keep the source's block ids, so a question is one activity in every language.
            source_ids = [block.id for block in getattr(source.specific, stream_name)]
            fields[stream_name] = [
                {**block, "id": block_id} for block, block_id in zip(fields[stream_name], source_ids, strict=False)
            ]
        translation = source.get_translation_or_none(locales[language])
        if translation is not None:
            if slug:
                fields["slug"] = slug
            _update(translation.specific, fields, report)
            continue
        translation = source.copy_for_translation(locales[language], copy_parents=False).specific
        if slug:
            translation.slug = slug
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save()
        translation.save_revision().publish()
        report.created.append(f"{type(translation).__name__} {translation.slug} ({language})")


def _update(page: Page, fields: dict, report: LoadReport) -> None:
    if not _differs(page, fields):
        report.unchanged += 1
        return
    for name, value in fields.items():
        if name in ("body", "simple_body") and hasattr(page, name):
            value = _keep_block_ids(getattr(page, name), value)
        setattr(page, name, value)
    page.save_revision().publish()
    report.updated.append(f"{type(page).__name__} {page.slug} ({page.locale.language_code})")


def _keep_block_ids(current, wanted: list) -> list:
    """Give changed blocks the ids they had, position by position.

    Block ids name questions in learning records; a text edit must not turn a question into a new one.
    """
    kept = []
    for index, block in enumerate(wanted):
        if "id" not in block and index < len(current) and current[index].block_type == block["type"]:
            block = {**block, "id": current[index].id}
        kept.append(block)
    return kept


def _differs(instance, fields: dict) -> bool:
    for name, wanted in fields.items():
        current = getattr(instance, name)
        model_field = instance._meta.get_field(name)
        if hasattr(model_field, "stream_block"):
            block = model_field.stream_block
            with_ids = all(isinstance(item, dict) and "id" in item for item in wanted)
            if _strip_ids(block.get_prep_value(current), with_ids) != _strip_ids(
                block.get_prep_value(block.to_python(wanted)), with_ids
            ):
                return True
        elif getattr(model_field, "many_to_one", False):
            if getattr(current, "pk", None) != getattr(wanted, "pk", None):
                return True
        elif current != wanted:
            return True
    return False


def _strip_ids(value, top=True):
    """Ids of list items are noise; top-level block ids matter (they name questions in learning records)."""
    if isinstance(value, list):
        return [_strip_ids(item, top) for item in value]
    if isinstance(value, dict):
        keep_id = top and "type" in value and value.get("type") != "item"
        return {key: _strip_ids(item, False) for key, item in value.items() if key != "id" or keep_id}
    return value
