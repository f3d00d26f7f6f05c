"""What several Trade Compliance services share: whose company an actor is, and how a
written text is checked (required, not longer than its limit)."""

from __future__ import annotations

from ctpat.core.errors import DomainError
from ctpat.partners.models import Partner


def _is_own(actor, partner: Partner) -> bool:
    return bool(getattr(actor, "organization_id", None)) and (
        actor.organization_id == partner.organization_id
    )


def _clean_required_text(value: str, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        message = f"{label} is required."
        raise DomainError(message, code="required", fields={field: [message]})
    return _clean_optional_text(text, field=field, label=label, max_length=max_length)


def _clean_optional_text(value: str, *, field: str, label: str, max_length: int) -> str:
    """``value`` stripped, or a ``too_long`` refusal naming the field and the limit: text is
    never cut silently."""
    from ctpat.core.textlimits import too_long_message

    text = (value or "").strip()
    if len(text) > max_length:
        message = too_long_message(label, max_length, len(text))
        raise DomainError(message, code="too_long", fields={field: [message]})
    return text
