"""``ctpat manage publish_tc_questionnaire FILE``: publish a question set as the next version.

The file is in the format of ``tradecompliance/questionset.py`` (download the current version
from /trade-compliance/questions/?format=yaml to start from). A malformed file is refused as a
whole, with every problem listed; a file identical to the current version publishes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctpat.core.context import RequestInfo, reset_request_info, set_request_info
from ctpat.core.errors import DomainError
from ctpat.tradecompliance import questionset, services


class Command(BaseCommand):
    help = "Publish a Trade Compliance question set (YAML) as the next questionnaire version."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Question set file (YAML).")
        parser.add_argument(
            "--check", action="store_true", help="Only check the file; publish nothing."
        )

    def handle(self, *args, path: str, check: bool, **options):
        try:
            question_set = questionset.read(Path(path))
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except questionset.QuestionSetError as exc:
            raise CommandError(f"{path}: nothing published.\n{exc}") from exc
        count = len(question_set.questions())
        if check:
            self.stdout.write(f"{path}: {count} questions; valid.")
            return
        token = set_request_info(RequestInfo(source="cli"))
        try:
            version = services.questionnaire_version_publish(
                actor=None, question_set=question_set, source=Path(path).name
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {count} questions as version {version.number} ({version.public_id})."
            )
        )
