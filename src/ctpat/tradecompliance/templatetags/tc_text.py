"""``{% character_count field %}`` (now ``ctpat.core.templatetags.ctpat_text``) and the Trade
Compliance wording helpers."""

from __future__ import annotations

from django import template

from ctpat.core.templatetags.ctpat_text import character_count, count_status  # noqa: F401

register = template.Library()
register.inclusion_tag("includes/character_count.html")(character_count)


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
