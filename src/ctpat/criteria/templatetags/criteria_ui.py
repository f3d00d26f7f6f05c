"""Labels for the stored values the criteria pages show (entity types, tags, levels)."""

from __future__ import annotations

from django import template

from ctpat.partners.choices import EntityType

from ..choices import ChangeKind, Level, Program, Tag

register = template.Library()


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.filter
def entity_type_label(value) -> str:
    return _label(EntityType, value)


@register.filter
def tag_label(value) -> str:
    return _label(Tag, value)


@register.filter
def level_label(value) -> str:
    return _label(Level, value) if value else "Not in effect"


@register.filter
def program_label(value) -> str:
    return _label(Program, value)


@register.filter
def change_kind_label(value) -> str:
    return _label(ChangeKind, value)


@register.filter
def level_variant(value) -> str:
    """The includes/tag.html colour of a level."""
    return {"must": "info", "should": "neutral"}.get(value or "", "neutral")


@register.filter
def change_variant(value) -> str:
    return {
        "added": "success",
        "upgraded": "warning",
        "reworded": "info",
        "removed": "error",
        "downgraded": "info",
    }.get(value, "neutral")
