"""`ctpat manage enforce_annual_reviews`: suspend members whose annual review was missed."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ctpat.core.context import RequestInfo, reset_request_info, set_request_info
from ctpat.core.errors import DomainError
from ctpat.profiles.services import annual_reviews_enforce


class Command(BaseCommand):
    help = (
        "Suspend every certified member whose certification anniversary passed without an "
        "annual security-profile review submitted in its 90-day window (DOMAIN.md §3.1). "
        "Idempotent; each suspension is an audited system change (source: cli)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="The date to judge on (YYYY-MM-DD, not in the future); default today.",
        )

    def handle(self, *args, today, **options):
        token = set_request_info(RequestInfo(source="cli"))
        try:
            suspended = annual_reviews_enforce(actor=None, today=today or timezone.localdate())
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)
        for partner in suspended:
            self.stdout.write(f"Suspended {partner.public_id} {partner.name}")
        self.stdout.write(f"{len(suspended)} member(s) suspended for a missed annual review.")
