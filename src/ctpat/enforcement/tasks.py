"""The daily appeal reminder job as a background task (Django Tasks, run by `ctpat worker`).

Works like the ANL job (``annualnotices.tasks``): ``appeal_daily(day)`` runs the reminders for
``day`` once (keyed by date: ``AppealDailyRun``), then queues itself for the next day;
``schedule_daily()`` — called when `ctpat worker` starts — queues today's run unless it has
happened. Without a worker, cron runs `ctpat manage appeal_reminders` once a day (same job;
each reminder goes out once however often it runs).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

DAILY_RUN_TIME = dt.time(0, 10)


def run_daily(day: dt.date) -> dict | None:
    """Run the appeal reminders for ``day`` unless they already ran; the summary or None."""
    from ctpat.core.errors import ConflictError

    from . import selectors, services

    if selectors.daily_run_for(day) is not None:
        return None
    run = services.appeal_reminders_send(today=day)
    try:
        services.appeal_daily_run_record(actor=None, day=day, summary=run.as_data())
    except ConflictError:  # another worker finished the same day meanwhile
        return None
    return run.as_data()


def _next_run_at(day: dt.date) -> dt.datetime:
    tomorrow = day + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, DAILY_RUN_TIME, tzinfo=timezone.get_current_timezone())


@task()
def appeal_daily(day: str) -> str:
    """The appeal reminders of ``day`` (ISO date), once; then queue tomorrow's run. A run
    picked up late does today's work (a reminder is about days left, counted from today)."""
    target = max(dt.date.fromisoformat(day), timezone.localdate())
    try:
        summary = run_daily(target)
    except Exception:
        logger.exception("Appeal reminders of %s failed; tomorrow's run is queued.", target)
        _enqueue(target + dt.timedelta(days=1), run_after=_next_run_at(target))
        raise
    if summary is None:
        return "skipped:already_ran"
    _enqueue(target + dt.timedelta(days=1), run_after=_next_run_at(target))
    return "ran"


def _enqueue(day: dt.date, *, run_after=None) -> None:
    job = appeal_daily
    if run_after is not None:
        if not job.get_backend().supports_defer:
            logger.warning("Task backend cannot defer; run `ctpat manage appeal_reminders` daily.")
            return
        job = job.using(run_after=run_after)
    job.enqueue(day.isoformat())


def schedule_daily(*, today: dt.date | None = None) -> bool:
    """Queue today's appeal reminder run unless it already ran; True if queued."""
    from . import selectors

    today = today or timezone.localdate()
    if selectors.daily_run_for(today) is not None:
        return False
    _enqueue(today)
    return True
