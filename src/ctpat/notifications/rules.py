"""Pure rules for notifications and e-mail delivery: plain values in, decisions out."""

from __future__ import annotations

import re
from datetime import timedelta

from .constants import (
    EMAIL_MAX_ATTEMPTS,
    EMAIL_RETRY_BASE_DELAY,
    EMAIL_RETRY_MAX_DELAY,
    KIND_MAX_LENGTH,
    LINK_MAX_LENGTH,
)

KIND_PATTERN = re.compile(rf"[a-z][a-z0-9_.-]{{0,{KIND_MAX_LENGTH - 1}}}")


def retry_delay(
    attempts: int,
    *,
    base: timedelta = EMAIL_RETRY_BASE_DELAY,
    cap: timedelta = EMAIL_RETRY_MAX_DELAY,
) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: base * 2**(attempts-1), capped.

    source: RFC 5321 §4.5.4.1 — a sender retries a failed delivery at growing intervals
    rather than hammering the server.
    """
    if attempts < 1:
        return timedelta(0)
    # Past 30 doublings the cap has long been reached (and the number would be huge).
    return min(base * 2 ** min(attempts - 1, 30), cap)


def gives_up(attempts: int, *, max_attempts: int = EMAIL_MAX_ATTEMPTS) -> bool:
    """True once an e-mail has used all its attempts and needs a person to requeue it."""
    return attempts >= max_attempts


def is_valid_kind(kind: str) -> bool:
    """A kind is a short lower-case code such as ``svi.request`` (used for filtering)."""
    return bool(KIND_PATTERN.fullmatch(kind or ""))


def is_local_link(link: str) -> bool:
    """Links in notifications point inside ctpat: an absolute path, never another site.

    "//evil.example" and "/\\evil.example" are read by browsers as other hosts.
    """
    if not link:
        return True
    return (
        len(link) <= LINK_MAX_LENGTH
        and link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and not any(c.isspace() or ord(c) < 32 for c in link)
    )
