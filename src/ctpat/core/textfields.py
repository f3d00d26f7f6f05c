"""Long text in forms (every app): a USWDS character count, and a refusal, never a cut.

Browsers cut pasted text at a textarea's ``maxlength`` without a word, so the counted textarea
never carries ``maxlength``: the limit travels as ``data-maxlength`` on the
``usa-character-count`` wrapper, the vendored USWDS script counts as the user types (its
delegated input handler also serves pages swapped in by HTMX), and the server refuses an
over-long value with a message that names the field, the limit and the length given.
"""

from __future__ import annotations

from django import forms

from ctpat.core.textlimits import check_length, too_long_message

__all__ = ["check_length", "too_long_message", "CountedTextarea", "LongTextField"]


class CountedTextarea(forms.Textarea):
    """A textarea for the USWDS character count, without ``maxlength`` (see the module doc)."""

    def __init__(self, attrs=None):
        attrs = {"rows": 4, **(attrs or {})}
        attrs.pop("maxlength", None)
        super().__init__(attrs)

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        classes = attrs.get("class", "")
        attrs["class"] = f"{classes} usa-character-count__field".strip()
        if attrs.get("id"):
            info = f"{attrs['id']}-info"
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} {info}".strip()
        return attrs


class LongTextField(forms.CharField):
    """A counted, stripped text field whose over-long value is refused in a full sentence."""

    widget = CountedTextarea

    def __init__(self, *, max_length: int, label: str = "", **kwargs):
        kwargs.setdefault("required", False)
        rows = kwargs.pop("rows", 4)
        kwargs.setdefault("widget", CountedTextarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, label=label, **kwargs)
        # Replace Django's MaxLengthValidator wording by ours (it runs on the stripped value).
        self.validators = [v for v in self.validators if not hasattr(v, "limit_value")]

    def validate(self, value):
        super().validate(value)
        message = check_length(value, label=_sentence_label(self.label), limit=self.max_length)
        if message:
            raise forms.ValidationError(message, code="max_length")

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _sentence_label(label) -> str:
    """A field label as the subject of a sentence ("Your response to CBP", "The answer")."""
    text = str(label or "").strip().rstrip(":")
    if not text:
        return "The text"
    # Numbered question labels ("3. Describe …") read badly as a subject.
    if text[:1].isdigit():
        return "The answer"
    return text
