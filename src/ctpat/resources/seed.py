"""The shipped seed resources (``data/resources.csv``): real public CTPAT pages, our summaries.

``load_seed_resources`` checks every row first (a bad row refuses the whole file), then
publishes the rows not loaded before, each through ``services.resource_create`` as the system.
Used by the ``load_resources`` command and the demo.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from ctpat.core.errors import DomainError

from . import services
from .models import Resource

SEED_FILE = Path(__file__).resolve().parent / "data" / "resources.csv"
COLUMNS = ("seed_key", "title", "kind", "external_url", "audiences", "topics", "summary", "source")


class SeedFileError(ValueError):
    pass


def read_seed(path: Path | str = SEED_FILE) -> list[dict]:
    """The rows of a seed file, checked; raises ``SeedFileError`` listing every bad row."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SeedFileError(f"Missing columns: {', '.join(missing)}.")
        rows, problems, keys = [], [], set()
        for line, raw in enumerate(reader, start=2):
            row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
            row["audiences"] = [t for t in row["audiences"].split(";") if t]
            row["topics"] = [t for t in row["topics"].split(";") if t]
            if not row["seed_key"]:
                problems.append(f"line {line}: seed_key is empty")
            elif row["seed_key"] in keys:
                problems.append(f"line {line}: seed_key {row['seed_key']} is repeated")
            keys.add(row["seed_key"])
            if not row["source"]:
                problems.append(f"line {line}: say where the facts come from (source)")
            try:
                services.clean_content(row)
            except DomainError as exc:
                for field, messages in exc.fields.items():
                    problems.append(f"line {line}: {field}: {' '.join(messages)}")
            rows.append(row)
    if problems:
        raise SeedFileError("\n".join(problems))
    if not rows:
        raise SeedFileError("The seed file has no resources.")
    return rows


@transaction.atomic
def load_seed_resources(path: Path | str = SEED_FILE, *, actor=None) -> tuple[int, int]:
    """Publish the seed rows not loaded before. Returns (created, skipped)."""
    rows = read_seed(path)
    loaded = set(Resource.objects.exclude(seed_key="").values_list("seed_key", flat=True))
    created = 0
    for row in rows:
        if row["seed_key"] in loaded:
            continue
        services.resource_create(
            actor=actor, publish=True, change_note="Loaded from the shipped seed file.", **row
        )
        created += 1
    return created, len(rows) - created
