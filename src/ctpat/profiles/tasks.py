"""Background tasks (Django Tasks, run by `ctpat worker`). Every task is idempotent."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone


@task()
def enforce_annual_reviews(today: str = "") -> list[str]:
    """Suspend members whose anniversary passed without an annual review (see
    ``services.annual_reviews_enforce``); running it again suspends nobody twice. ``today`` is
    an ISO date (default: today). Returns the public ids of the partners suspended."""
    from .services import annual_reviews_enforce

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return [p.public_id for p in annual_reviews_enforce(actor=None, today=day)]
