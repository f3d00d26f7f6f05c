"""The daily ANL job as a background task (Django Tasks, run by `ctpat worker`).

``anl_daily(day)`` runs the reminders for ``day`` once (keyed by date: ``AnlDailyRun``), then
queues itself for the next day; ``schedule_daily()`` — called when `ctpat worker` starts —
queues today's run unless it has happened (see ``ctpat.core.daily``). Without a worker, cron
runs `ctpat manage anl_reminders` once a day instead (same job).
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from ctpat.core.daily import DailyJob

# Local time of day the next day's run is queued for.
DAILY_RUN_TIME = dt.time(0, 5)


def _already_ran(day: dt.date) -> bool:
    from . import selectors

    return selectors.daily_run_for(day) is not None


def _send(day: dt.date) -> dict:
    from . import services

    return services.anl_reminders_send(today=day).as_data()


def _record(day: dt.date, summary: dict) -> None:
    from . import services

    services.anl_daily_run_record(actor=None, day=day, summary=summary)


JOB = DailyJob(
    label="ANL job",
    command="anl_reminders",
    run_time=DAILY_RUN_TIME,
    already_ran=_already_ran,
    send=_send,
    record=_record,
)


def run_daily(day: dt.date) -> dict | None:
    """Run the ANL job for ``day`` unless it already ran; its summary, or None if it had."""
    return JOB.run(day)


@task()
def anl_daily(day: str) -> str:
    """The ANL reminders of ``day`` (ISO date), once; then queue tomorrow's run."""
    return JOB.perform(anl_daily, day)


def schedule_daily(*, today: dt.date | None = None) -> bool:
    """Queue today's ANL run unless it already ran; True if queued."""
    return JOB.schedule(anl_daily, today=today)
