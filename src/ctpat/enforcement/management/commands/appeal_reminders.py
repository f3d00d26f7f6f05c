"""`ctpat manage appeal_reminders [--date YYYY-MM-DD]`: the daily appeal reminders, for cron.

Reminds CBP's program admins of appeals nearing the 180-day decision limit of 6 U.S.C. 967(c).
Idempotent: run it as often as you like; each reminder goes out once.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ctpat.core.context import RequestInfo, reset_request_info, set_request_info
from ctpat.enforcement import services


class Command(BaseCommand):
    help = "Remind CBP of appeals nearing the 180-day decision limit (6 U.S.C. 967(c))."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as of this day (default: today).")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must look like 2026-03-01, not {date!r}.") from exc
        token = set_request_info(RequestInfo(source="cli"))
        try:
            run = services.appeal_reminders_send(today=today)
        finally:
            reset_request_info(token)
        self.stdout.write(
            f"Appeals {today.isoformat()}: {run.appeals} open appeal(s), {run.reminders} "
            "reminder(s) sent."
        )
        for failure in run.failed:
            self.stderr.write(f"refused: {failure}")
