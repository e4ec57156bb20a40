"""Wagtail admin form data for a StreamField value, as the editor's browser would post it."""

from wagtail import blocks


def stream_form_data(field_name: str, stream_value) -> dict:
    """Form fields for a StreamField named `field_name` holding `stream_value` (a StreamValue)."""
    data = {}
    _stream(stream_value.stream_block, list(stream_value), field_name, data)
    return data


def _stream(block, children, prefix, data):
    data[f"{prefix}-count"] = str(len(children))
    for index, child in enumerate(children):
        data[f"{prefix}-{index}-type"] = child.block_type
        data[f"{prefix}-{index}-deleted"] = ""
        data[f"{prefix}-{index}-order"] = str(index)
        data[f"{prefix}-{index}-id"] = child.id or ""
        _value(child.block, child.value, f"{prefix}-{index}-value", data)


def _value(block, value, prefix, data):
    if isinstance(block, blocks.StreamBlock):
        _stream(block, list(value), prefix, data)
    elif isinstance(block, blocks.ListBlock):
        items = list(value.bound_blocks) if hasattr(value, "bound_blocks") else list(value)
        data[f"{prefix}-count"] = str(len(items))
        for index, item in enumerate(items):
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-id"] = getattr(item, "id", "") or ""
            _value(block.child_block, getattr(item, "value", item), f"{prefix}-{index}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _value(child, value.get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.BooleanBlock):
        if value:
            data[prefix] = "on"
    else:
        data[prefix] = "" if value is None else str(value)
