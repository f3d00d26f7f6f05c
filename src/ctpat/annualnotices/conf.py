"""The ANL schedule in force: ``rules`` defaults, overridden by ``settings.CTPAT_ANL_*``."""

from __future__ import annotations

from django.conf import settings

from . import rules


def schedule() -> rules.Schedule:
    reminder = getattr(settings, "CTPAT_ANL_REMINDER_DAYS", None)
    if isinstance(reminder, str):
        reminder = rules.parse_reminder_days(reminder)
    return rules.Schedule(
        first_due_months=int(
            getattr(settings, "CTPAT_ANL_FIRST_DUE_MONTHS", rules.ANL_FIRST_DUE_MONTHS)
        ),
        interval_months=int(
            getattr(settings, "CTPAT_ANL_INTERVAL_MONTHS", rules.ANL_INTERVAL_MONTHS)
        ),
        reminder_days=tuple(reminder) if reminder is not None else rules.ANL_REMINDER_DAYS,
        grace_days=int(getattr(settings, "CTPAT_ANL_GRACE_DAYS", rules.ANL_GRACE_DAYS)),
    )
