"""``{% character_count field %}``: a long-text field with the USWDS character count."""

from __future__ import annotations

from django import template

register = template.Library()


def count_status(length: int, limit: int) -> tuple[str, bool]:
    """USWDS's own status wording ("10000 characters allowed", "12 characters left",
    "3 characters over limit") and whether the text is over the limit."""
    if length == 0:
        return f"{limit} characters allowed", False
    difference = abs(limit - length)
    noun = "character" if difference == 1 else "characters"
    over = length > limit
    return f"{difference} {noun} {'over limit' if over else 'left'}", over


@register.inclusion_tag("tradecompliance/includes/character_count.html")
def character_count(field, input_class: str = ""):
    limit = field.field.max_length
    value = field.value() or ""
    status, over = count_status(len(value), limit)
    return {
        "field": field,
        "input_class": input_class,
        "limit": limit,
        "status": status,
        "over": over,
    }


@register.simple_tag
def section_citations(section_key: str):
    """The public citations shown for a questionnaire section (``citations.SECTION_CITATIONS``),
    whatever notes the stored version carries."""
    from ctpat.tradecompliance.citations import SECTION_CITATIONS

    return SECTION_CITATIONS.get(section_key, ())


@register.simple_tag
def cbp_debt_wording() -> str:
    from ctpat.tradecompliance.rules import CBP_DEBT_WORDING

    return CBP_DEBT_WORDING
