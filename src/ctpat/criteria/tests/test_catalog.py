"""The shipped catalog file, its parser, the load_criteria command and the data migration."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ctpat.core.models import AuditEvent
from ctpat.criteria import catalog
from ctpat.criteria.choices import Category
from ctpat.criteria.models import CriteriaVersion, Criterion, CriterionRequirement

HEADER = ",".join(catalog.COLUMNS)
GOOD_ROW = (
    '3.9,3,Business Partners,"Social compliance program.",,should,2020-01-01,2022-12-31,'
    "forced_labor,security,importer,true,cbp-msc-importers-2019,"
)
GOOD_ROW_2 = (
    '3.9,3,Business Partners,"Social compliance program.",,must,2023-01-01,,'
    "forced_labor,security,importer,true,cbp-msc-importers-2019,"
)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture(scope="module")
def shipped():
    return {s.msc_id: s for s in catalog.read_catalog(catalog.SHIPPED_CATALOG)}


# --- The shipped importer catalog ----------------------------------------------------------


def test_shipped_catalog_has_the_importer_table_of_domain_1_2(shipped):
    assert len(shipped) == 97
    assert {s.category for s in shipped.values()} == set(Category.values)
    assert all("importer" in s.entity_types for s in shipped.values())
    # Only the rows CBP confirmed for other entity types list them (DOMAIN.md §7.6).
    others = {k for k, s in shipped.items() if s.entity_types != ("importer",)}
    assert others == {"1.1", "1.2", "7.37", "11.5"}
    assert all(s.program == "security" for s in shipped.values())
    # IDs are not sequential: 5.9 is not an importer criterion (DOMAIN.md §1.2).
    assert "5.9" not in shipped and "5.8" in shipped and "5.14" in shipped


def test_shipped_3_9_is_should_until_2022_and_must_from_2023_in_cbp_wording(shipped):
    nine = shipped["3.9"]

    assert [(p.level, p.effective_from, p.effective_to) for p in nine.periods] == [
        ("should", dt.date(2020, 1, 1), dt.date(2022, 12, 31)),
        ("must", dt.date(2023, 1, 1), None),
    ]
    assert nine.text_is_summary is False
    assert nine.text.startswith("CTPAT Members should have a documented social compliance")
    assert "forced_labor" in nine.tags


def test_shipped_texts_are_marked_as_summaries_with_a_source(shipped):
    summaries = [s for s in shipped.values() if s.text_is_summary]

    assert len(summaries) == 96
    assert all(s.source for s in shipped.values())
    assert "cbp-msc-importers-2019" in shipped["1.1"].source.split(";")
    assert "cbp-csms-41052241" in shipped["11.5"].source.split(";")


def test_shipped_catalog_records_the_facts_and_inconsistencies_domain_names(shipped):
    assert "November 2019" in shipped["11.5"].notes
    assert "November 2019" in shipped["7.37"].notes
    assert "Sources disagree" in shipped["2.2"].notes
    assert "forced_labor" in shipped["11.5"].tags


def test_shipped_topic_tags_follow_the_categories(shipped):
    for s in shipped.values():
        if s.category == 4:
            assert "cybersecurity" in s.tags, s.msc_id
        if s.category == 8:
            assert "agriculture" in s.tags, s.msc_id
        if s.category == 6:
            assert "seals" in s.tags, s.msc_id


# --- Parsing -------------------------------------------------------------------------------


def test_given_a_good_file_then_criteria_with_their_periods():
    (criterion,) = catalog.parse_catalog(csv_text(GOOD_ROW, GOOD_ROW_2))

    assert criterion.msc_id == "3.9"
    assert [p.level for p in criterion.periods] == ["should", "must"]


def test_given_a_spreadsheet_byte_order_mark_then_it_is_ignored():
    assert catalog.parse_catalog("\ufeff" + csv_text(GOOD_ROW_2))


def test_given_malformed_rows_then_every_problem_is_reported_with_its_row():
    bad = [
        GOOD_ROW.replace("3.9,3,", "3.09,3,"),  # row 2: ID
        GOOD_ROW.replace("should", "maybe"),  # row 3: level
        GOOD_ROW.replace("2020-01-01", "01/01/2020"),  # row 4: date
        GOOD_ROW.replace("forced_labor", "slavery"),  # row 5: tag
        GOOD_ROW.replace(",importer,", ",shipper,"),  # row 6: entity type
        GOOD_ROW.replace("Business Partners", "Risk Assessment"),  # row 7: category name
    ]

    with pytest.raises(catalog.CatalogError) as caught:
        catalog.parse_catalog(csv_text(*bad))

    found = {(e.row, e.column) for e in caught.value.errors}
    assert {
        (2, "msc_id"),
        (3, "level"),
        (4, "effective_from"),
        (5, "tags"),
        (6, "entity_types"),
        (7, "category_name"),
    } <= found
    assert "row 3, column level" in str(caught.value)


def test_given_rows_of_one_criterion_that_disagree_then_refused():
    other = GOOD_ROW_2.replace("Social compliance program.", "Other words.")

    with pytest.raises(catalog.CatalogError) as caught:
        catalog.parse_catalog(csv_text(GOOD_ROW, other))

    (error,) = caught.value.errors
    assert (error.row, error.column) == (3, "text")


def test_given_overlapping_periods_then_refused():
    overlapping = GOOD_ROW.replace("2022-12-31", "")

    with pytest.raises(catalog.CatalogError, match="overlaps"):
        catalog.parse_catalog(csv_text(overlapping, GOOD_ROW_2))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("msc_id,text\n3.9,x\n", "Missing column", id="missing-columns"),
        pytest.param(HEADER + ",extra\n", "Unknown column", id="unknown-column"),
        pytest.param(HEADER + "\n", "no criteria", id="header-only"),
        pytest.param(csv_text("3.9,3"), "cells where the header has", id="short-row"),
        pytest.param(csv_text(GOOD_ROW.replace(",true,", ",maybe,")), "true or false", id="bool"),
    ],
)
def test_given_a_broken_file_then_refused(text, fragment):
    with pytest.raises(catalog.CatalogError, match=fragment):
        catalog.parse_catalog(text)


# --- The load_criteria command --------------------------------------------------------------


def _counts():
    return (
        CriteriaVersion.objects.count(),
        Criterion.objects.count(),
        CriterionRequirement.objects.count(),
        AuditEvent.objects.count(),
    )


def test_given_the_migration_loaded_the_catalog_when_loading_again_then_nothing_changes(current):
    before = _counts()
    out = StringIO()

    call_command("load_criteria", stdout=out)

    assert "already loaded" in out.getvalue()
    assert _counts() == before


def test_given_no_catalog_when_loading_the_shipped_file_then_version_1_with_97_criteria(
    empty_catalog,
):
    out = StringIO()

    call_command("load_criteria", stdout=out)

    version = CriteriaVersion.objects.get()
    assert (version.number, version.status, version.label) == (1, "published", "2019-11 (importer)")
    assert version.criteria.count() == 97
    assert CriterionRequirement.objects.count() == 98
    assert "Loaded 97 criteria (98 periods)" in out.getvalue()
    event = AuditEvent.objects.get(action="criteria.catalog_load", object_id=version.public_id)
    assert (event.source, event.actor_label, event.after["criteria"]) == ("cli", "system", 97)


def test_given_no_catalog_when_loading_a_malformed_file_then_nothing_is_loaded(
    empty_catalog, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(GOOD_ROW_2, GOOD_ROW_2.replace("must", "must!")), encoding="utf-8")
    before = _counts()

    with pytest.raises(CommandError) as caught:
        call_command("load_criteria", str(path))

    assert "nothing loaded" in str(caught.value)
    assert "row 3, column level" in str(caught.value)
    assert _counts() == before


def test_check_option_validates_without_loading(empty_catalog):
    out = StringIO()

    call_command("load_criteria", "--check", stdout=out)

    assert "97 criteria, 98 periods; valid" in out.getvalue()
    assert not CriteriaVersion.objects.exists()


def test_given_a_missing_file_then_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_criteria", str(tmp_path / "nope.csv"))


# --- The data migration -----------------------------------------------------------------------


def _migration_state_apps():
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("criteria", "0002_load_shipped_catalog")).apps


def test_data_migration_loads_the_shipped_catalog_once_with_historical_models(empty_catalog):
    migration = importlib.import_module("ctpat.criteria.migrations.0002_load_shipped_catalog")
    state_apps = _migration_state_apps()

    migration.load_shipped_catalog(state_apps, None)
    migration.load_shipped_catalog(state_apps, None)

    version = CriteriaVersion.objects.get()
    assert version.criteria.count() == 97
    nine = Criterion.objects.get(msc_id="3.9")
    assert nine.sort_key == "0003.0009" and nine.public_id.startswith("MSC-")
    assert (
        AuditEvent.objects.filter(
            action="criteria.catalog_load", object_id=version.public_id
        ).count()
        == 1
    )
