"""Between the scenario format (FORMAT.md) and the Wagtail model.

- `scenario_fields(data, language)`: a data file's scenario as model field values in one language (the
  loader). StreamField block ids are derived from the element ids, so every language of a scenario has
  the same block ids and wagtail-localize can match its translations.
- `scenario_data(scenario)`: the model (source and every translation) back in the format, with each text
  in every language that has it: what the validator checks when an editor saves.
- `scenario_runtime_for(scenario)`: what the browser engine gets for one instance (preview, play).
"""

import uuid

from wagtail import blocks

from .blocks import PlainBlock
from .runtime import is_text, scenario_runtime

BLOCK_NAMESPACE = uuid.UUID("0f6a3c1e-5b0e-4d5a-9a53-8f1b2f0c7d11")
# Names that differ between the format and the blocks ("from" is not a good Python name).
TO_BLOCK = {"from": "sender"}
FROM_BLOCK = {value: key for key, value in TO_BLOCK.items()}
PAIRS = ("set", "require")
LISTS = ("require_fields", "weak")


def _block_id(*parts) -> str:
    return str(uuid.uuid5(BLOCK_NAMESPACE, "/".join(str(part) for part in parts)))


def _pairs_text(pairs: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in pairs.items())


def _pairs(text: str) -> dict:
    result = {}
    for item in (text or "").split(","):
        if "=" in item:
            key, value = item.split("=", 1)
            result[key.strip()] = value.strip()
    return result


def _items(text: str) -> list:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


# ---------------------------------------------------------------- data file -> model fields


def scenario_fields(data: dict, language: str) -> dict:
    runtime = scenario_runtime(data, language)
    slug = runtime["slug"]
    fares = runtime.get("fares") or {}
    fare_rows = []
    if fares:
        base = fares["base"]
        for value, amount in base["table"].items():
            fare_rows.append(("base", {"var": base["var"], "value": value, "amount": amount}, ("base", value)))
        for factor in fares.get("factors", []):
            for value, amount in factor["table"].items():
                row = {"var": factor["var"], "value": value, "amount": amount}
                fare_rows.append(("factor", row, ("factor", factor["var"], value)))
    return {
        "slug": slug,
        "title": runtime["title"],
        "summary": runtime["summary"],
        "frame": runtime.get("frame", "phone"),
        "app_name": runtime["app"]["name"],
        "app_color": runtime["app"]["color"],
        "persona_name": runtime["persona"]["name"],
        "persona_facts": [
            _stream_item("fact", fact, slug, "fact", index) for index, fact in enumerate(runtime["persona"]["facts"])
        ],
        "start": runtime["start"],
        "initial_state": _pairs_text(runtime.get("state") or {}),
        "fares": [_stream_item(kind, row, slug, "fare", *path) for kind, row, path in fare_rows],
        "goals": [_stream_item("goal", goal, slug, "goal", goal["id"]) for goal in runtime["goals"]],
        "screens": [_screen_item(screen, slug) for screen in runtime["screens"]],
        "safety": runtime.get("safety") or "",
        "solution": [
            _stream_item("step", {key: value for key, value in step.items() if value is not None}, slug, "step", index)
            for index, step in enumerate(runtime.get("solution") or [])
        ],
    }


def _stream_item(kind: str, value: dict, *path) -> dict:
    return {"type": kind, "value": value, "id": _block_id(*path)}


def _screen_item(screen: dict, slug: str) -> dict:
    value = {key: item for key, item in screen.items() if key != "components"}
    value["components"] = [
        {
            "type": component["type"],
            "value": _component_value(component),
            "id": _block_id(slug, screen["id"], component["id"]),
        }
        for component in screen["components"]
    ]
    return {"type": "screen", "value": value, "id": _block_id(slug, "screen", screen["id"])}


# Lists a component may leave out: an absent list would come back from Wagtail as one empty item.
OPTIONAL_LISTS = {"ticket": "lines", "request": "details"}


def _component_value(component: dict) -> dict:
    value = {}
    if component.get("type") in OPTIONAL_LISTS:
        value[OPTIONAL_LISTS[component["type"]]] = []
    for key, item in component.items():
        if key == "type":
            continue
        if key in PAIRS:
            item = _pairs_text(item)
        elif key in LISTS:
            item = ", ".join(item)
        elif key == "options":
            item = [_component_value(option) for option in item]
        elif key == "rows":
            item = [
                {**row, "values": [{"value": value, "label": label} for value, label in row["values"].items()]}
                for row in item
            ]
        elif item is None:
            continue
        value[TO_BLOCK.get(key, key)] = item
    return value


# ---------------------------------------------------------------- model -> data file


def instance_data(scenario, language: str) -> dict:
    """One instance in the format; each text is {language: text}."""
    meta = scenario._meta

    def text(value):
        return {language: value} if value else {}

    data = {
        "slug": scenario.slug,
        "title": text(scenario.title),
        "summary": text(scenario.summary),
        "frame": scenario.frame,
        "app": {"name": text(scenario.app_name), "color": scenario.app_color},
        "persona": {
            "name": text(scenario.persona_name),
            "facts": [
                _value(meta.get_field("persona_facts").stream_block.child_blocks["fact"], b.value, language)
                for b in scenario.persona_facts
            ],
        },
        "start": scenario.start,
        "state": _pairs(scenario.initial_state),
        "goals": [_struct(child.block, child.value, language) for child in scenario.goals],
        "screens": [_struct(child.block, child.value, language) for child in scenario.screens],
        "solution": [_struct(child.block, child.value, language) for child in scenario.solution],
    }
    if scenario.safety:
        data["safety"] = text(scenario.safety)
    fares = _fares(scenario)
    if fares:
        data["fares"] = fares
    return data


def _fares(scenario) -> dict | None:
    base = None
    factors: dict[str, dict] = {}
    for child in scenario.fares:
        row = child.value
        if child.block_type == "base":
            base = base or {"var": row["var"], "table": {}}
            base["table"][row["value"]] = row["amount"]
        else:
            factors.setdefault(row["var"], {"var": row["var"], "table": {}})["table"][row["value"]] = row["amount"]
    if base is None:
        return None
    return {"currency": "EUR", "base": base, "factors": list(factors.values())}


def _value(block, value, language):
    if isinstance(block, PlainBlock):
        return value or None
    if isinstance(block, blocks.CharBlock | blocks.TextBlock):
        return {language: value} if value else None
    if isinstance(block, blocks.StructBlock):
        return _struct(block, value, language)
    if isinstance(block, blocks.ListBlock):
        return [_value(block.child_block, item, language) for item in value]
    if isinstance(block, blocks.StreamBlock):
        return [{"type": child.block_type, **_struct(child.block, child.value, language)} for child in value]
    if isinstance(block, blocks.ChoiceBlock):
        return value or None
    return value


def _struct(block, value, language) -> dict:
    result = {}
    for name, child in block.child_blocks.items():
        item = _value(child, value.get(name), language)
        if name in PAIRS:
            item = _pairs(item or "") or None
        elif name in LISTS:
            item = _items(item or "") or None
        elif name == "values":
            item = {entry["value"]: entry["label"] for entry in item or [] if entry.get("value")}
        if item is None:
            continue
        result[FROM_BLOCK.get(name, name)] = item
    return result


def merge_texts(parts: list[dict]):
    """Put together the same structure in several languages: texts ({lang: str}) are united."""
    first = parts[0]
    if isinstance(first, dict):
        if is_text(first):
            merged = {}
            for part in parts:
                if is_text(part):
                    merged.update(part)
            return merged
        result = {}
        for key, item in first.items():
            others = [part.get(key) for part in parts[1:] if isinstance(part, dict) and key in part]
            result[key] = merge_texts([item, *others]) if others else item
        return result
    if isinstance(first, list):
        merged = []
        for index, item in enumerate(first):
            others = [part[index] for part in parts[1:] if isinstance(part, list) and index < len(part)]
            merged.append(merge_texts([item, *others]) if others else item)
        return merged
    return first


def scenario_data(scenario) -> tuple[dict, set[str]]:
    """The scenario in every language that has a translation; also which languages have one."""
    source = scenario.get_default_locale_instance() if hasattr(scenario, "get_default_locale_instance") else None
    source = source or scenario
    instances = {source.locale.language_code: source}
    if source.pk:
        for translation in (
            type(scenario).objects.filter(translation_key=source.translation_key).select_related("locale")
        ):
            instances.setdefault(translation.locale.language_code, translation)
    # The instance being saved wins over its stored copy.
    instances[scenario.locale.language_code] = scenario
    source_language = source.locale.language_code
    parts = [instance_data(instances[source_language], source_language)]
    parts += [instance_data(item, language) for language, item in instances.items() if language != source_language]
    return merge_texts(parts), set(instances)


def scenario_runtime_for(scenario) -> dict:
    language = scenario.locale.language_code
    return scenario_runtime(instance_data(scenario, language), language)
