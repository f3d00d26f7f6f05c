"""Template helpers for ctpat pages: sortable table headers, audit diffs, readable values."""

from __future__ import annotations

import datetime as dt
import json

from django import template

register = template.Library()


@register.inclusion_tag("core/partials/sortable_th.html", takes_context=True)
def sortable_th(context, field: str, label: str, param: str = "ordering"):
    """A <th> whose link sorts the list by ``field``; clicking again reverses the order.

    The current direction is announced with aria-sort and in text, not only by an arrow.
    """
    request = context["request"]
    current = request.GET.get(param, "")
    if current == field:
        state, next_value = "ascending", f"-{field}"
    elif current == f"-{field}":
        state, next_value = "descending", field
    else:
        state, next_value = "", field
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    query[param] = next_value
    return {
        "label": label,
        "href": f"?{query.urlencode()}",
        "state": state,
        "next_state": "descending" if state == "ascending" else "ascending",
    }


@register.simple_tag
def audit_diff(event) -> dict:
    """What an audit event recorded, ready to show.

    A creation (no "before") lists the values recorded; a change lists only the fields that
    changed, with before and after; ``unchanged`` counts the fields left out.
    """
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if event.before is None or event.after is None:
        values = after if event.after is not None else before
        if not isinstance(values, dict):
            values = {"value": event.after if event.after is not None else event.before}
        return {
            "mode": "values",
            "label": "Recorded" if event.after is not None else "Before",
            "rows": [{"field": k, "value": v} for k, v in values.items()],
        }
    names = list(after) + [k for k in before if k not in after]
    changed = [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    ]
    return {"mode": "changes", "rows": changed, "unchanged": len(names) - len(changed)}


@register.filter
def audit_value(value) -> str:
    """A before/after value as short readable text."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@register.filter
def field_label(name: str) -> str:
    return str(name).replace("_", " ").capitalize()


@register.filter
def abs_value(number):
    try:
        return abs(number)
    except TypeError:
        return number


@register.filter
def duration_words(value: dt.timedelta | None) -> str:
    """A timedelta as "15 minutes", "1 hour 30 minutes"."""
    if not isinstance(value, dt.timedelta):
        return str(value or "")
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` or None, for dicts keyed by a runtime value."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
