"""Long text in every form: the USWDS character count, and never a ``maxlength`` attribute.

``includes/form_field.html`` asks ``text_limit`` for a textarea's limit (a field's
``max_length``, a ``MaxLengthValidator`` or the widget's ``data-maxlength``) and, when there is
one, renders the counter around it; ``widget_attrs_for_page`` drops ``maxlength`` from every
control, because browsers cut pasted text at it without a word. The server refuses over-long
text with a message (``ctpat.core.textfields``); nothing is cut.
"""

from __future__ import annotations

from django import forms, template
from django.core.validators import MaxLengthValidator

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


def field_text_limit(field) -> int | None:
    """The character limit of a bound field rendered as a textarea, or None."""
    form_field = getattr(field, "field", None)
    if form_field is None or not isinstance(form_field.widget, forms.Textarea):
        return None
    limits = []
    if getattr(form_field, "max_length", None):
        limits.append(int(form_field.max_length))
    limits += [
        int(v.limit_value)
        for v in form_field.validators
        if isinstance(v, MaxLengthValidator) and not callable(v.limit_value)
    ]
    if form_field.widget.attrs.get("data-maxlength"):
        limits.append(int(form_field.widget.attrs["data-maxlength"]))
    return min(limits) if limits else None


@register.filter
def text_limit(field) -> int | str:
    """``field_text_limit`` for templates ("" when there is none)."""
    return field_text_limit(field) or ""


@register.simple_tag
def text_count_status(field, limit) -> dict:
    """The counter's initial status for a bound field's current value (or for a string)."""
    value = (field.value() if callable(getattr(field, "value", None)) else field) or ""
    status, over = count_status(len(str(value)), int(limit))
    return {"text": status, "over": over}


@register.filter
def widget_attrs_for_page(attrs: dict, limit="") -> dict:
    """Widget attrs without ``maxlength`` (browsers cut pasted text at it silently); with a
    ``limit``, also the counter's field class and its ``<id>-info`` description."""
    attrs = {k: v for k, v in attrs.items() if k != "maxlength"}
    if limit:
        classes = str(attrs.get("class", "")).split()
        if "usa-character-count__field" not in classes:
            attrs["class"] = " ".join([*classes, "usa-character-count__field"])
        if attrs.get("id"):
            info = f"{attrs['id']}-info"
            described = str(attrs.get("aria-describedby", "")).split()
            if info not in described:
                attrs["aria-describedby"] = " ".join([*described, info])
    return attrs


def character_count(field, input_class: str = ""):
    """Context of ``{% character_count field %}`` (kept for templates that name the counter;
    ``includes/form_field.html`` now counts every limited textarea by itself)."""
    return {"field": field, "input_class": input_class}


register.inclusion_tag("includes/character_count.html")(character_count)
