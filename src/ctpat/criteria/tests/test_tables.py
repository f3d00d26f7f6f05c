"""Issue 7: CBP program admins load an entity type's criteria table from a CSV into a draft
(checked row by row, nothing written on error), partial tables, and the data migration that
brings installed catalogues up to date."""

from __future__ import annotations

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ctpat.core.errors import DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.criteria import catalog, selectors, services
from ctpat.criteria.models import CriteriaVersion, Criterion

HEADER = ",".join(catalog.COLUMNS)
HIGHWAY = "highway_carrier_us_mexico"
# A row for an ID the draft does not have, and the draft's own 7.37, listed for highway carriers.
NEW_ROW = (
    "5.30,5,Conveyance & Instruments of International Traffic (IIT) Security,"
    '"Tractors are inspected at every border crossing.",,must,2020-01-01,,,security,'
    f"{HIGHWAY},true,CTPAT Minimum Security Criteria – Highway Carriers (CBP March 2020),"
)


def _row_like(draft_criterion, entity_types: str) -> str:
    c = draft_criterion
    (period,) = c.periods()
    return (
        f'{c.msc_id},{c.category},{c.get_category_display()},"{c.text}",,{period.level},'
        f"{period.effective_from:%Y-%m-%d},,{';'.join(c.tags)},security,{entity_types},true,"
        "cbp-msc-highway-carriers-2020,"
    )


def _file(*rows: str, name: str = "highway.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join([HEADER, *rows]) + "\n").encode())


def _counts():
    return (CriteriaVersion.objects.count(), Criterion.objects.count(), AuditEvent.objects.count())


def test_a_table_is_loaded_into_the_draft_and_marked_partial(draft, cbp_admin, draft_criterion):
    row_7_37 = _row_like(draft_criterion("7.37"), HIGHWAY)

    result = services.criteria_table_import(
        actor=cbp_admin,
        draft=draft,
        entity_type=HIGHWAY,
        uploaded_file=_file(NEW_ROW, row_7_37),
        partial=True,
    )

    assert result.added == ("5.30",) and result.unchanged == ("7.37",)
    # The draft's other rows for this type (1.1, 1.2, 11.5) are not in the file: withdrawn.
    assert result.withdrawn == ("1.1", "1.2", "11.5") and result.deleted == ()
    draft.refresh_from_db()
    assert draft.partial_entity_types == sorted([*catalog.SHIPPED_PARTIAL_ENTITY_TYPES])
    table = selectors.entity_type_table(draft, HIGHWAY)
    assert (table.criteria, table.status) == (2, "partial")
    assert HIGHWAY not in draft_criterion("11.5").entity_types
    event = AuditEvent.objects.get(action="criteria.table_import")
    assert event.after["added"] == ["5.30"] and event.after["file"] == "highway.csv"
    # Reviewed and published like any other draft.
    published = services.criteria_version_publish(
        actor=cbp_admin, draft=draft, notes="Highway carrier table loaded."
    )
    assert selectors.current_version() == published


def test_a_full_table_clears_the_partial_flag(draft, cbp_admin, draft_criterion):
    services.criteria_table_import(
        actor=cbp_admin,
        draft=draft,
        entity_type=HIGHWAY,
        uploaded_file=_file(NEW_ROW),
        partial=False,
    )

    draft.refresh_from_db()
    assert HIGHWAY not in draft.partial_entity_types
    assert selectors.entity_type_table(draft, HIGHWAY).status == "full"


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(draft, cbp_admin):
    bad = [
        NEW_ROW.replace("5.30,5,", "5.030,5,"),  # row 2: ID
        NEW_ROW.replace(",must,", ",maybe,").replace("5.30", "5.31"),  # row 3: level
        NEW_ROW.replace("2020-01-01", "01/01/2020").replace("5.30", "5.32"),  # row 4: date
        NEW_ROW.replace(f",{HIGHWAY},", ",importer,").replace("5.30", "5.33"),  # row 5: type
        NEW_ROW.replace("Conveyance & Instruments", "Seals").replace("5.30", "5.34"),  # row 6
        NEW_ROW.replace("(CBP March 2020)", "(DOMAIN.md §7.6)").replace("5.30", "5.35"),  # 7
    ]
    before = _counts()

    with pytest.raises(DomainError) as caught:
        services.criteria_table_import(
            actor=cbp_admin,
            draft=draft,
            entity_type=HIGHWAY,
            uploaded_file=_file(*bad),
            partial=True,
        )

    errors = caught.value.fields["file"]
    assert caught.value.code == "invalid_table"
    assert "Nothing was changed" in caught.value.message
    for expected in (
        "Row 2, column msc_id",
        "Row 3, column level",
        "Row 4, column effective_from",
        "Row 5, column entity_types",
        "Row 6, column category_name",
        "Row 7, column source",
    ):
        assert any(e.startswith(expected) for e in errors), (expected, errors)
    assert _counts() == before


def test_a_row_that_disagrees_with_the_draft_is_refused(draft, cbp_admin, draft_criterion):
    row = _row_like(draft_criterion("7.37"), HIGHWAY).replace(",must,", ",should,")
    reworded = _row_like(draft_criterion("11.5"), HIGHWAY).replace("code of conduct", "policy")

    with pytest.raises(DomainError) as caught:
        services.criteria_table_import(
            actor=cbp_admin,
            draft=draft,
            entity_type=HIGHWAY,
            uploaded_file=_file(row, reworded),
            partial=True,
        )

    errors = caught.value.fields["file"]
    assert any("7.37 is already in this draft with other must/should" in e for e in errors)
    assert any("11.5 is already in this draft with a different text" in e for e in errors)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("table.pdf", b"%PDF-1.4", "not accepted", id="not-csv"),
        pytest.param("table.csv", b"", "is empty", id="empty"),
        pytest.param("table.csv", b"\xff\xfe\x00bad", "not", id="not-text"),
        pytest.param("table.csv", b"x" * (catalog.TABLE_UPLOAD_MAX_BYTES + 1), "limit", id="big"),
    ],
)
def test_uploads_are_checked_before_anything_is_read(draft, cbp_admin, name, content, message):
    with pytest.raises(DomainError) as caught:
        services.criteria_table_import(
            actor=cbp_admin,
            draft=draft,
            entity_type=HIGHWAY,
            uploaded_file=SimpleUploadedFile(name, content),
            partial=True,
        )
    assert message in caught.value.message


@pytest.mark.parametrize("role", ["scss", "nam", "partner_officer"])
def test_only_cbp_program_admins_load_tables(draft, role, make_user, cbp_org):
    user = make_user(role, organization=cbp_org if role != "partner_officer" else None)
    with pytest.raises(PermissionDeniedError):
        services.criteria_table_import(
            actor=user, draft=draft, entity_type=HIGHWAY, uploaded_file=_file(NEW_ROW), partial=True
        )


def test_a_published_version_takes_no_table(current, cbp_admin):
    with pytest.raises(DomainError):
        services.criteria_table_import(
            actor=cbp_admin,
            draft=current,
            entity_type=HIGHWAY,
            uploaded_file=_file(NEW_ROW),
            partial=True,
        )


# --- The page ----------------------------------------------------------------------------------


def test_the_upload_page_documents_the_format_and_loads_a_table(draft, cbp_admin, login):
    client = login(cbp_admin)
    url = f"/criteria/versions/{draft.public_id}/tables/upload/"

    page = client.get(url)
    posted = client.post(
        url, {"entity_type": HIGHWAY, "file": _file(NEW_ROW), "partial": "on", "reason": "CBP"}
    )
    detail = client.get(f"/criteria/versions/{draft.public_id}/")

    html = page.content.decode()
    assert page.status_code == 200
    for column in catalog.COLUMNS:
        assert f"<code>{column}</code>" in html
    assert posted.status_code == 302
    assert 'data-testid="entity-type-tables"' in detail.content.decode()
    assert "The Highway carrier (U.S./Mexico) table is loaded" in detail.content.decode()


def test_the_upload_page_lists_every_row_error_and_keeps_the_choices(draft, cbp_admin, login):
    bad = _file(NEW_ROW.replace(",must,", ",maybe,"), NEW_ROW.replace("5.30,5,", "5.030,5,"))

    response = login(cbp_admin).post(
        f"/criteria/versions/{draft.public_id}/tables/upload/",
        {"entity_type": HIGHWAY, "file": bad, "partial": "on"},
    )
    missing = login(cbp_admin).post(f"/criteria/versions/{draft.public_id}/tables/upload/", {})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Problems in the file (2)" in html and "Row 2, column level" in html
    assert "Row 3, column msc_id" in html
    assert missing.status_code == 400
    assert "Choose the business entity type the table is for." in missing.content.decode()
    assert "Choose the CSV file to upload." in missing.content.decode()


@pytest.mark.parametrize("role", ["scss", "partner_officer"])
def test_the_upload_page_is_for_program_admins_only(draft, role, make_user, cbp_org, login):
    user = make_user(role, organization=cbp_org if role != "partner_officer" else None)
    url = f"/criteria/versions/{draft.public_id}/tables/upload/"

    assert login(user).get(url).status_code in (403, 404)
    assert login(user).post(url, {"entity_type": HIGHWAY}).status_code in (403, 404)


def test_the_catalog_says_a_partial_table_is_partial(login, importer_officer, current):
    response = login(importer_officer).get("/criteria/", {"entity_type": "third_party_logistics"})

    html = response.content.decode()
    assert 'data-testid="partial-table"' in html
    assert "CBP publishes the full table in the CTPAT Public Library" in html


# --- The data migration --------------------------------------------------------------------------


def _state_apps(name):
    return MigrationExecutor(connection).loader.project_state(("criteria", name)).apps


def _make_old_install(current):
    """The catalogue as installs loaded it before issue 7 (raw SQL: test setup only)."""
    table = connection.ops.quote_name(Criterion._meta.db_table)
    versions = connection.ops.quote_name(CriteriaVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET source = %s, notes = %s, entity_types = %s WHERE version_id = %s",
            [
                "PV-MODAL; SEEDER (DOMAIN.md §1.2)",
                "DOMAIN.md §1.2 says so.",
                '["importer"]',
                current.pk,
            ],
        )
        cursor.execute(
            f"UPDATE {versions} SET source = %s, notes = %s, partial_entity_types = NULL "
            "WHERE id = %s",
            ["criteria/data/msc_importer.csv", "See criteria/data/SOURCES.md.", current.pk],
        )


def test_the_migration_cites_public_sources_and_publishes_the_entity_type_rows(current):
    _make_old_install(current)
    migration = importlib.import_module(
        "ctpat.criteria.migrations.0004_public_citations_and_entity_type_tables"
    )
    apps = _state_apps("0004_public_citations_and_entity_type_tables")
    updates_before = AuditEvent.objects.filter(action="criteria.citations_update").count()

    migration.forward(apps, None)
    migration.forward(apps, None)  # idempotent

    current.refresh_from_db()
    assert current.source == catalog.SHIPPED_VERSION_SOURCE and "SOURCES.md" not in current.notes
    old = Criterion.objects.get(version=current, msc_id="3.9")
    assert old.source == "cbp-msc-importers-2019" and "DOMAIN" not in old.notes
    new = selectors.current_version()
    assert new.number == current.number + 1 and new.based_on == current
    assert new.partial_entity_types == list(catalog.SHIPPED_PARTIAL_ENTITY_TYPES)
    assert "air_carrier" in new.criteria.get(msc_id="11.5").entity_types
    assert "third_party_logistics" in new.criteria.get(msc_id="1.1").entity_types
    assert new.criteria.count() == current.criteria.count()
    assert (
        AuditEvent.objects.filter(action="criteria.version_publish", source="system").count() == 1
    )
    updates = AuditEvent.objects.filter(action="criteria.citations_update").count()
    assert updates == updates_before + 1
