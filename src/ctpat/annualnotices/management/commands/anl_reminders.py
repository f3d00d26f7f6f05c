"""`ctpat manage anl_reminders [--date YYYY-MM-DD]`: the daily ANL job, for cron.

Sends the reminders due, flags overdue letters and starts the suspension path after the grace
period. Idempotent: run it as often as you like; each reminder goes out once.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ctpat.annualnotices import services
from ctpat.core.context import RequestInfo, reset_request_info, set_request_info


class Command(BaseCommand):
    help = "Send Annual Notification Letter reminders, flag overdue letters, start suspensions."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (default: today).")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must look like 2026-03-01, not {date!r}.") from exc
        token = set_request_info(RequestInfo(source="cli"))
        try:
            run = services.anl_reminders_send(today=today)
        finally:
            reset_request_info(token)
        self.stdout.write(
            f"ANL {today.isoformat()}: {run.memberships} membership(s), {run.reminders} "
            f"reminder(s), {run.overdue} newly overdue, {run.suspended} suspension(s)."
        )
        for failure in run.failed:
            self.stderr.write(f"refused: {failure}")
