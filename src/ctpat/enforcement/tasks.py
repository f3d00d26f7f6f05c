"""The daily appeal reminder job as a background task (Django Tasks, run by `ctpat worker`).

Works like the ANL job (``ctpat.core.daily``): ``appeal_daily(day)`` runs the reminders for
``day`` once (keyed by date: ``AppealDailyRun``), then queues itself for the next day;
``schedule_daily()`` — called when `ctpat worker` starts — queues today's run unless it has
happened. Without a worker, cron runs `ctpat manage appeal_reminders` once a day (same job;
each reminder goes out once however often it runs).
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from ctpat.core.daily import DailyJob

DAILY_RUN_TIME = dt.time(0, 10)


def _already_ran(day: dt.date) -> bool:
    from . import selectors

    return selectors.daily_run_for(day) is not None


def _send(day: dt.date) -> dict:
    from . import services

    return services.appeal_reminders_send(today=day).as_data()


def _record(day: dt.date, summary: dict) -> None:
    from . import services

    services.appeal_daily_run_record(actor=None, day=day, summary=summary)


JOB = DailyJob(
    label="Appeal reminders",
    command="appeal_reminders",
    run_time=DAILY_RUN_TIME,
    already_ran=_already_ran,
    send=_send,
    record=_record,
)


def run_daily(day: dt.date) -> dict | None:
    """Run the appeal reminders for ``day`` unless they already ran; the summary or None."""
    return JOB.run(day)


@task()
def appeal_daily(day: str) -> str:
    """The appeal reminders of ``day`` (ISO date), once; then queue tomorrow's run. A run
    picked up late does today's work (a reminder is about days left, counted from today)."""
    return JOB.perform(appeal_daily, day)


def schedule_daily(*, today: dt.date | None = None) -> bool:
    """Queue today's appeal reminder run unless it already ran; True if queued."""
    return JOB.schedule(appeal_daily, today=today)
