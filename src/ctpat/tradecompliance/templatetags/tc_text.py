"""The Trade Compliance wording helpers (the character count is ``{% load ctpat_text %}``)."""

from __future__ import annotations

from django import template

register = template.Library()


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
