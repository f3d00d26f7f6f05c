"""Daily jobs run once per day by `ctpat worker` (Django Tasks), or from cron by a command.

A job is ``DailyJob``: what it does for a day (``send``, returning a summary), how it records
that the day is done (``record``, raising ``ConflictError`` when another worker recorded the
same day first) and how to tell a day is done (``already_ran``). Its task, a module-level
``@task`` function in the app's ``tasks.py``, calls ``perform``: the day's work once, then
tomorrow's run is queued, so a worker restarted ten times a day still runs the job once (a run
that finds its day done queues nothing). A run picked up after its day (the worker was down)
does today's work instead: a past day's run would date overdue flags and suspensions in the
past and shorten response windows. A run that fails still queues tomorrow's, so one bad day
does not stop the job for good.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from ctpat.core.errors import ConflictError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    label: str  # "Annual Notification Letter job", in log lines
    command: str  # the management command cron runs instead of a worker
    run_time: dt.time  # local time of day the next day's run is queued for
    already_ran: Callable[[dt.date], bool]
    send: Callable[[dt.date], dict]
    record: Callable[[dt.date, dict], None]

    def run(self, day: dt.date) -> dict | None:
        """The job for ``day`` unless it already ran: its summary, or None if it had."""
        if self.already_ran(day):
            return None
        summary = self.send(day)
        try:
            self.record(day, summary)
        except ConflictError:  # another worker finished the same day meanwhile: same work, done
            return None
        return summary

    def next_run_at(self, day: dt.date) -> dt.datetime:
        tomorrow = day + dt.timedelta(days=1)
        return dt.datetime.combine(tomorrow, self.run_time, tzinfo=timezone.get_current_timezone())

    def perform(self, task, day: str) -> str:
        """The body of the job's task for ``day`` (ISO date): run once, queue tomorrow's."""
        target = max(dt.date.fromisoformat(day), timezone.localdate())
        try:
            summary = self.run(target)
        except Exception:
            logger.exception("%s of %s failed; tomorrow's run is queued.", self.label, target)
            self.enqueue(task, target + dt.timedelta(days=1), run_after=self.next_run_at(target))
            raise
        if summary is None:
            return "skipped:already_ran"
        self.enqueue(task, target + dt.timedelta(days=1), run_after=self.next_run_at(target))
        return "ran"

    def enqueue(self, task, day: dt.date, *, run_after: dt.datetime | None = None) -> None:
        job = task
        if run_after is not None:
            if not job.get_backend().supports_defer:
                logger.warning(
                    "Task backend cannot defer; run `ctpat manage %s` daily.", self.command
                )
                return
            job = job.using(run_after=run_after)
        job.enqueue(day.isoformat())

    def schedule(self, task, *, today: dt.date | None = None) -> bool:
        """Queue today's run unless it already ran; True if queued."""
        today = today or timezone.localdate()
        if self.already_ran(today):
            return False
        self.enqueue(task, today)
        return True
