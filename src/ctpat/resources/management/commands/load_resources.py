"""``ctpat manage load_resources [path]``: publish the seed resources not loaded yet.

Idempotent (rows are keyed by ``seed_key``); a malformed file is refused whole, every bad row
listed. ``--check`` only reads the file.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ctpat.resources import seed


class Command(BaseCommand):
    help = "Load the shipped resources library seed file (published, by the system)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(seed.SEED_FILE))
        parser.add_argument("--check", action="store_true", help="Only check the file.")

    def handle(self, *args, path: str, check: bool, **options):
        try:
            rows = seed.read_seed(path)
            if check:
                self.stdout.write(f"{path}: {len(rows)} resources; valid.")
                return
            created, skipped = seed.load_seed_resources(path)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except seed.SeedFileError as exc:
            raise CommandError(f"{path}: nothing loaded.\n{exc}") from exc
        self.stdout.write(f"{created} resources loaded, {skipped} already there.")
