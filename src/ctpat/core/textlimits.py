"""Text over its limit is refused in a full sentence, never cut: one wording for every app."""

from __future__ import annotations

from ctpat.core.errors import DomainError


def too_long_message(label: str, limit: int, length: int) -> str:
    """The one wording of a refusal for text over its limit."""
    return (
        f"{label} is too long: it has {length:,} characters and at most {limit:,} are "
        "allowed. Shorten it and save again; nothing was cut."
    )


def check_length(value: str | None, *, label: str, limit: int) -> str | None:
    """``too_long_message`` when ``value`` is longer than ``limit``, else None."""
    if value is not None and len(value) > limit:
        return too_long_message(label, limit, len(value))
    return None


def require_within(value: str | None, *, field: str, label: str, limit: int) -> str:
    """``value`` stripped, or a ``DomainError`` (code ``too_long``, naming ``field``) when the
    stripped text is longer than ``limit``. Services call it instead of slicing input."""
    text = (value or "").strip()
    message = check_length(text, label=label, limit=limit)
    if message:
        raise DomainError(message, code="too_long", fields={field: [message]})
    return text
