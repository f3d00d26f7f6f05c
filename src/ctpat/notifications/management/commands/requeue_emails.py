"""`ctpat manage requeue_emails`: give failed e-mail fresh attempts; re-enqueue overdue e-mail."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ctpat.core.context import RequestInfo, reset_request_info, set_request_info
from ctpat.core.errors import DomainError
from ctpat.notifications import services
from ctpat.notifications.models import OutboundEmail
from ctpat.notifications.tasks import enqueue_overdue_emails


class Command(BaseCommand):
    help = (
        "Requeue failed e-mail (all of them, or those named) and enqueue queued e-mail whose "
        "task was lost. Each requeue is an audited system change (source: cli)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "emails", nargs="*", metavar="EML-ID", help="Public ids of e-mails to requeue."
        )
        parser.add_argument("--reason", default="Requeued from the command line.")

    def handle(self, *args, emails, reason, **options):
        token = set_request_info(RequestInfo(source="cli"))
        try:
            if emails:
                for public_id in emails:
                    self._requeue(public_id, reason)
                requeued = len(emails)
            else:
                requeued = services.outbound_email_requeue_failed(actor=None, reason=reason)
            overdue = enqueue_overdue_emails()
        finally:
            reset_request_info(token)
        self.stdout.write(
            f"Requeued {requeued} e-mail(s); enqueued {overdue} overdue e-mail(s) again."
        )

    @staticmethod
    def _requeue(public_id: str, reason: str) -> None:
        email = OutboundEmail.objects.filter(public_id=public_id).first()
        if email is None:
            raise CommandError(f"No e-mail {public_id}.")
        try:
            services.outbound_email_requeue(actor=None, email=email, reason=reason)
        except DomainError as exc:
            raise CommandError(f"{public_id}: {exc.message}") from exc
