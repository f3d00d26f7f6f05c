"""The daily ANL job as a background task (Django Tasks, run by `ctpat worker`).

``anl_daily(day)`` runs the reminders for ``day`` once (keyed by date: ``AnlDailyRun``), then
queues itself for the next day. ``schedule_daily()`` — called when `ctpat worker` starts —
queues today's run unless it has happened; a worker restarted ten times a day still runs the
job once, because a run that finds its day done stops without queuing another.
Without a worker, cron runs `ctpat manage anl_reminders` once a day instead (same job).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Local time of day the next day's run is queued for.
DAILY_RUN_TIME = dt.time(0, 5)


def run_daily(day: dt.date) -> dict | None:
    """Run the ANL job for ``day`` unless it already ran; its summary, or None if it had."""
    from ctpat.core.errors import ConflictError

    from . import selectors, services

    if selectors.daily_run_for(day) is not None:
        return None
    run = services.anl_reminders_send(today=day)
    try:
        services.anl_daily_run_record(actor=None, day=day, summary=run.as_data())
    except ConflictError:  # another worker finished the same day meanwhile: same work, done
        return None
    return run.as_data()


def _next_run_at(day: dt.date) -> dt.datetime:
    tomorrow = day + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, DAILY_RUN_TIME, tzinfo=timezone.get_current_timezone())


@task()
def anl_daily(day: str) -> str:
    """The ANL reminders of ``day`` (ISO date), once; then queue tomorrow's run.

    A run picked up after its day (the worker was down) does today's work instead: a past
    day's run would date overdue flags and suspensions in the past and shorten the 90-day
    response window. A run that fails still queues tomorrow's, so one bad day does not stop
    the job for good while the worker keeps running.
    """
    target = max(dt.date.fromisoformat(day), timezone.localdate())
    try:
        summary = run_daily(target)
    except Exception:
        logger.exception("ANL job of %s failed; tomorrow's run is queued all the same.", target)
        _enqueue(target + dt.timedelta(days=1), run_after=_next_run_at(target))
        raise
    if summary is None:
        return "skipped:already_ran"
    _enqueue(target + dt.timedelta(days=1), run_after=_next_run_at(target))
    return "ran"


def _enqueue(day: dt.date, *, run_after=None) -> None:
    job = anl_daily
    if run_after is not None:
        if not job.get_backend().supports_defer:
            logger.warning("Task backend cannot defer; run `ctpat manage anl_reminders` daily.")
            return
        job = job.using(run_after=run_after)
    job.enqueue(day.isoformat())


def schedule_daily(*, today: dt.date | None = None) -> bool:
    """Queue today's ANL run unless it already ran; True if queued."""
    from . import selectors

    today = today or timezone.localdate()
    if selectors.daily_run_for(today) is not None:
        return False
    _enqueue(today)
    return True
