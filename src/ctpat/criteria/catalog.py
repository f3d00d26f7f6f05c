"""The criteria catalog files shipped in ``data/``: their format, parsed and checked.

Pure: text in, ``rules.CriterionSnapshot`` objects out, or a ``CatalogError`` listing every bad
row — so the ``load_criteria`` command and the data migration load all of a file or nothing.

Format (UTF-8 CSV, one row per requirement period; see ``data/SOURCES.md``):

``msc_id``          criterion ID, e.g. ``3.9`` (IDs are not sequential; one absent from an entity
                    type's table does not apply to that type)
``category``        1-12; must match the ID's first number
``category_name``   the category's title, checked against the number
``text``            the criterion (our summary unless ``text_is_summary`` is false)
``guidance``        CBP's implementation guidance, if transcribed
``level``           ``must`` or ``should`` during this period
``effective_from``  first day of the period (YYYY-MM-DD)
``effective_to``    last day of the period, inclusive; empty = open-ended
``tags``            topic tags separated by ``;`` (``choices.Tag``)
``program``         ``security`` or ``trade_compliance``
``entity_types``    business entity types separated by ``;`` (``partners.choices.EntityType``)
``text_is_summary`` ``true`` when ``text`` is our summary, ``false`` when it is CBP's wording
``source``          the public source(s), ``;``-separated: keys of ``core.citations.CITATIONS``
                    (shown as full citations with their links) or citations written out in full
``notes``           inconsistencies between sources, inferences, anything a reader should know

``source`` and ``notes`` are shown to users: a row naming internal development material or a
consultant's site is refused (``core.citations.internal_reference_problem``).

The same format is uploaded by CBP program admins as one business entity type's table into a
draft version (``parse_table``): every row must then list that entity type.

A criterion with several periods (3.9: should, then must) has one row per period; every column
except ``level``, ``effective_from`` and ``effective_to`` must then be the same on each row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ctpat.core.citations import internal_reference_problem
from ctpat.partners.choices import EntityType

from . import rules
from .choices import Category, Level, Program, Tag

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_CATALOG = DATA_DIR / "msc_importer.csv"
SHIPPED_VERSION_LABEL = "2019-11 (importer)"
SHIPPED_VERSION_NOTES = (
    "Minimum Security Criteria for U.S. importers, November 2019 final version (in force from "
    "January 2020), with 3.9 (forced labor) a must from 2023-01-01; and, for every other business "
    "entity type, the rows CBP has confirmed publicly for it (7.37 and 11.5 for all; 1.1 and 1.2 "
    "for highway carriers, Mexican long-haul carriers, foreign manufacturers and 3PLs). Those "
    "tables are partial. Most texts are our summaries of CBP's criteria, marked as such; each "
    "criterion cites its public source."
)
# What the version page says a catalogue version was loaded from (no file paths).
SHIPPED_VERSION_SOURCE = "Shipped with ctpat"
# source: DOMAIN.md §7.6 — only the importer table is loaded in full; every other entity type's
# shipped table holds only the rows CBP confirmed publicly, so it is marked partial.
SHIPPED_PARTIAL_ENTITY_TYPES: tuple[str, ...] = tuple(
    t for t in EntityType.values if t != EntityType.IMPORTER
)
# Largest criteria table a CBP admin may upload: a full CBP table is well under 100 KiB, and the
# request stays under CTPAT_MAX_REQUEST_BYTES, so no upload route is needed in the middleware.
TABLE_UPLOAD_MAX_BYTES = 512 * 1024

COLUMNS = (
    "msc_id",
    "category",
    "category_name",
    "text",
    "guidance",
    "level",
    "effective_from",
    "effective_to",
    "tags",
    "program",
    "entity_types",
    "text_is_summary",
    "source",
    "notes",
)
REQUIRED_VALUES = frozenset(
    {
        "msc_id",
        "category",
        "category_name",
        "text",
        "level",
        "effective_from",
        "program",
        "entity_types",
        "text_is_summary",
        "source",
    }
)
PERIOD_COLUMNS = ("level", "effective_from", "effective_to")
CRITERION_COLUMNS = tuple(c for c in COLUMNS if c not in PERIOD_COLUMNS)

# Longest values accepted, shared with the models and forms.
TEXT_MAX_LENGTH = 4000
GUIDANCE_MAX_LENGTH = 20000
SOURCE_MAX_LENGTH = 300
NOTES_MAX_LENGTH = 4000
MAX_LENGTHS = {
    "text": TEXT_MAX_LENGTH,
    "guidance": GUIDANCE_MAX_LENGTH,
    "source": SOURCE_MAX_LENGTH,
    "notes": NOTES_MAX_LENGTH,
}
LIST_SEPARATOR = ";"
TRUE_VALUES = frozenset({"true", "yes"})
FALSE_VALUES = frozenset({"false", "no"})
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The header is row 1, so the first criterion is row 2, as in a spreadsheet.
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class CatalogError(ValueError):
    """The catalog cannot be loaded; ``errors`` says where and why, row by row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"The criteria catalog has {len(errors)} problem(s):\n{lines}")


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


def _date(value: str) -> dt.date:
    if not DATE_PATTERN.match(value):
        raise ValueError
    return dt.date.fromisoformat(value)


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    criterion: dict
    period: rules.Period | None


def _parse_row(number: int, values: dict[str, str], errors: list[RowError]) -> _Row:
    found: dict = {}

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for column in REQUIRED_VALUES:
        if not values[column]:
            error(column, "This column needs a value.")
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            error(column, f"The value is longer than {limit} characters.")
    for column in ("source", "notes", "text", "guidance"):
        problem = internal_reference_problem(values[column])
        if problem:
            error(column, problem)

    category = None
    if values["category"]:
        try:
            category = int(values["category"])
        except ValueError:
            category = None
        if category not in Category.values:
            error("category", f"'{values['category']}' is not a category number from 1 to 12.")
            category = None
    if category is not None and values["category_name"]:
        expected = str(Category(category).label)
        if values["category_name"].casefold() != expected.casefold():
            error("category_name", f"Category {category} is '{expected}'.")
    if values["msc_id"]:
        problem = rules.msc_id_problem(values["msc_id"], category)
        if problem:
            error("msc_id", problem)

    tags = _split(values["tags"])
    for tag in tags:
        if tag not in Tag.values:
            error("tags", f"'{tag}' is not a known tag. Known tags: {', '.join(Tag.values)}.")
    entity_types = _split(values["entity_types"])
    if values["entity_types"] and not entity_types:
        error("entity_types", "Name at least one business entity type the row applies to.")
    for entity_type in entity_types:
        if entity_type not in EntityType.values:
            error(
                "entity_types",
                f"'{entity_type}' is not a business entity type. Known types: "
                f"{', '.join(EntityType.values)}.",
            )
    if values["program"] and values["program"] not in Program.values:
        error("program", f"The program must be one of: {', '.join(Program.values)}.")
    summary = values["text_is_summary"].lower()
    if summary and summary not in TRUE_VALUES | FALSE_VALUES:
        error("text_is_summary", "The value must be true or false.")

    if values["level"] and values["level"] not in Level.values:
        error("level", "The level must be must or should.")
    for column in ("effective_from", "effective_to"):
        if values[column]:
            try:
                found[column] = _date(values[column])
            except ValueError:
                error(column, f"'{values[column]}' is not a date in the form YYYY-MM-DD.")
    period = None
    if values["level"] in Level.values and "effective_from" in found:
        period = rules.Period(values["level"], found["effective_from"], found.get("effective_to"))
        if period.effective_to is not None and period.effective_to < period.effective_from:
            error("effective_to", "The period ends before it starts.")
            period = None

    criterion = {
        "msc_id": values["msc_id"],
        "category": category,
        "text": values["text"],
        "guidance": values["guidance"],
        "tags": tags,
        "program": values["program"],
        "entity_types": entity_types,
        "text_is_summary": summary in TRUE_VALUES,
        "source": values["source"],
        "notes": values["notes"],
    }
    return _Row(number, values, criterion, period)


def _records(text: str, errors: list[RowError]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        errors.append(RowError(1, "", "The file is empty: it needs a header row."))
        return []
    except csv.Error as exc:
        errors.append(RowError(1, "", f"The file is not readable as CSV: {exc}."))
        return []
    header = [name.strip() for name in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    for column in missing:
        errors.append(RowError(1, column, "Missing column: the header must name it."))
    for column in unknown:
        errors.append(
            RowError(1, column, f"Unknown column. The columns are: {', '.join(COLUMNS)}.")
        )
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", "A column name appears twice in the header."))
    if missing or unknown or len(set(header)) != len(header):
        return []
    records = []
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) != len(header):
                errors.append(
                    RowError(
                        number,
                        "",
                        f"The row has {len(cells)} cells where the header has {len(header)}.",
                    )
                )
                continue
            records.append((number, {k: v.strip() for k, v in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        errors.append(RowError(number + 1, "", f"The row is not readable as CSV: {exc}."))
    return records


def _parse(
    text: str, entity_type: str | None = None
) -> tuple[list[rules.CriterionSnapshot], dict[str, int], list[RowError]]:
    """(snapshots, first row number per ID, errors) of catalog ``text``; with ``entity_type``,
    every row must list that type (an entity type's table)."""
    errors: list[RowError] = []
    text = text.removeprefix("\ufeff")  # a byte-order mark left by a spreadsheet
    rows = [_parse_row(number, values, errors) for number, values in _records(text, errors)]
    if entity_type is not None:
        label = EntityType(entity_type).label
        for row in rows:
            if row.criterion["entity_types"] and entity_type not in row.criterion["entity_types"]:
                errors.append(
                    RowError(
                        row.number,
                        "entity_types",
                        f"This is the table of {label} ({entity_type}), but the row does not "
                        "list that entity type.",
                    )
                )
    by_id: dict[str, list[_Row]] = {}
    for row in rows:
        if row.criterion["msc_id"]:
            by_id.setdefault(row.criterion["msc_id"], []).append(row)
    snapshots = []
    for msc_id, group in by_id.items():
        first = group[0]
        for row in group[1:]:
            for column in CRITERION_COLUMNS:
                if row.values[column] != first.values[column]:
                    errors.append(
                        RowError(
                            row.number,
                            column,
                            f"Differs from row {first.number}, the first row of {msc_id}: "
                            "only level and dates may differ between the rows of one criterion.",
                        )
                    )
        periods = [row.period for row in group if row.period is not None]
        if len(periods) == len(group):
            for problem in rules.period_problems(periods):
                errors.append(RowError(first.number, "effective_from", f"{msc_id}: {problem}"))
        if not errors:
            c = first.criterion
            snapshots.append(
                rules.CriterionSnapshot(
                    msc_id=msc_id,
                    category=c["category"],
                    text=c["text"],
                    periods=tuple(sorted(periods, key=lambda p: p.effective_from)),
                    entity_types=c["entity_types"],
                    guidance=c["guidance"],
                    tags=c["tags"],
                    program=c["program"],
                    text_is_summary=c["text_is_summary"],
                    source=c["source"],
                    notes=c["notes"],
                )
            )
    if not errors and not snapshots:
        errors.append(RowError(FIRST_DATA_ROW, "", "The file has no criteria."))
    first_rows = {msc_id: group[0].number for msc_id, group in by_id.items()}
    return sorted(snapshots, key=lambda s: rules.msc_sort_key(s.msc_id)), first_rows, errors


def parse_catalog(text: str) -> list[rules.CriterionSnapshot]:
    """The criteria in catalog ``text`` (CSV), in criterion-ID order; ``CatalogError`` if any
    row is malformed."""
    snapshots, _, errors = _parse(text)
    if errors:
        raise CatalogError(sorted(errors, key=lambda e: (e.row, e.column)))
    return snapshots


def parse_table(
    text: str, entity_type: str
) -> tuple[list[rules.CriterionSnapshot], dict[str, int]]:
    """One business entity type's criteria table (the catalog format, every row listing
    ``entity_type``): (criteria in ID order, first row number of each ID). ``CatalogError``
    lists every bad row."""
    if entity_type not in EntityType.values:
        raise ValueError(f"Unknown entity type {entity_type!r}")
    snapshots, first_rows, errors = _parse(text, entity_type)
    if errors:
        raise CatalogError(sorted(errors, key=lambda e: (e.row, e.column)))
    return snapshots, first_rows


def decode_upload(data: bytes) -> str:
    """The text of an uploaded table (UTF-8, a byte-order mark allowed); ``CatalogError`` if it
    is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            [RowError(1, "", f"The file is not UTF-8 text (byte {exc.start} cannot be read).")]
        ) from exc


def read_catalog(path: str | Path) -> list[rules.CriterionSnapshot]:
    """``parse_catalog`` of the file at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError([RowError(1, "", f"The file is not UTF-8 text: {exc}.")]) from exc
    return parse_catalog(text)


def catalog_counts(snapshots: Iterable[rules.CriterionSnapshot]) -> dict[str, int]:
    snapshots = list(snapshots)
    return {
        "criteria": len(snapshots),
        "periods": sum(len(s.periods) for s in snapshots),
    }
