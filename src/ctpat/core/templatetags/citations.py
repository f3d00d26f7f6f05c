"""``{% load citations %}{% source_citations value %}``: a source field shown as public
citations (title, publisher, date, link), see ``ctpat.core.citations``."""

from __future__ import annotations

from django import template

from ctpat.core import citations

register = template.Library()


@register.inclusion_tag("core/partials/citations.html")
def source_citations(value: str, inline: bool = False) -> dict:
    return {"items": citations.resolve(value or ""), "inline": inline}
