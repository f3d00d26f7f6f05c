"""``ctpat manage load_criteria [path]``: load a criteria catalog file as the first version.

Idempotent: when a version exists already (the data migration loads the shipped catalog), it
says so and changes nothing. A malformed file is refused as a whole, with every bad row listed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctpat.core.context import RequestInfo, reset_request_info, set_request_info
from ctpat.core.errors import DomainError
from ctpat.criteria import catalog, selectors, services


class Command(BaseCommand):
    help = "Load the Minimum Security Criteria catalog (CSV) as the first published version."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(catalog.SHIPPED_CATALOG),
            help="Catalog CSV file (default: the shipped importer catalog).",
        )
        parser.add_argument("--label", default=catalog.SHIPPED_VERSION_LABEL)
        parser.add_argument(
            "--check", action="store_true", help="Only check the file; load nothing."
        )

    def handle(self, *args, path: str, label: str, check: bool, **options):
        try:
            snapshots = catalog.read_catalog(path)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except catalog.CatalogError as exc:
            raise CommandError(f"{path}: nothing loaded.\n{exc}") from exc
        counts = catalog.catalog_counts(snapshots)
        if check:
            self.stdout.write(
                f"{path}: {counts['criteria']} criteria, {counts['periods']} periods; valid."
            )
            return
        current = selectors.current_version()
        if current is not None:
            self.stdout.write(
                f"Criteria already loaded (current version {current.label}); nothing changed."
            )
            return
        shipped = Path(path).resolve() == catalog.SHIPPED_CATALOG.resolve()
        notes = catalog.SHIPPED_VERSION_NOTES if label == catalog.SHIPPED_VERSION_LABEL else ""
        token = set_request_info(RequestInfo(source="cli"))
        try:
            version = services.criteria_catalog_load(
                actor=None,
                snapshots=snapshots,
                label=label,
                notes=notes,
                source=catalog.SHIPPED_VERSION_SOURCE if shipped else Path(path).name,
                partial_entity_types=catalog.SHIPPED_PARTIAL_ENTITY_TYPES if shipped else (),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            reset_request_info(token)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {counts['criteria']} criteria ({counts['periods']} periods) as "
                f"version {version.label} ({version.public_id})."
            )
        )
