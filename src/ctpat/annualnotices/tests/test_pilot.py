"""Pilot migration: check every row first, report row-level errors, commit all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.annualnotices import pilot
from ctpat.annualnotices.models import PilotImport
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.tradecompliance.models import TradeComplianceMembership

pytestmark = pytest.mark.django_db

HEADER = "company_name,ior_numbers,accepted_on\n"


def _csv(text: str, name: str = "participants.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _ior(partner) -> str:
    return partner.identifiers.get(kind="ior").value


@pytest.fixture
def importers(make_partner):
    return [
        make_partner(
            name=f"Pilot Importer {n} Inc.",
            entity_type="importer",
            country="US",
            status="validated",
        )
        for n in (1, 2)
    ]


def test_a_valid_file_is_checked_then_committed_in_one_audited_transaction(cbp_admin, importers):
    one, two = importers
    text = HEADER + (
        f"Pilot Importer 1 Inc,{_ior(one)},2016-04-12\n"
        f'"PILOT IMPORTER 2, INC.",{_ior(two)},2019-11-01\n'
    )
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(text))
    assert record.status == "validated" and record.errors == []
    assert [r["partner_id"] for r in record.rows] == [one.public_id, two.public_id]
    assert not TradeComplianceMembership.objects.exists()  # the preview writes no membership

    record = pilot.pilot_import_commit(actor=cbp_admin, pilot_import=record)
    assert record.status == "committed" and len(record.memberships) == 2
    memberships = TradeComplianceMembership.objects.order_by("account_number")
    assert [m.origin for m in memberships] == ["pilot_migration", "pilot_migration"]
    assert memberships[0].accepted_on == dt.date(2016, 4, 12)
    assert AuditEvent.objects.filter(action="anl.pilot_import_commit").count() == 1
    assert AuditEvent.objects.filter(action="tradecompliance.membership_grant").count() == 2
    with pytest.raises(ConflictError):
        pilot.pilot_import_commit(actor=cbp_admin, pilot_import=record)


def test_every_row_is_checked_and_each_problem_reported(cbp_admin, importers, make_partner):
    one, two = importers
    factory = make_partner(name="Widget Factory", entity_type="foreign_manufacturer")
    factory_ior = "12-399999900"
    from ctpat.partners.services import identifier_add

    identifier_add(actor=None, partner=factory, kind="ior", value=factory_ior)
    member = make_partner(
        name="Member Co", entity_type="importer", country="US", status="validated"
    )
    from ctpat.tradecompliance.services import membership_grant

    membership_grant(
        actor=None,
        partner=member,
        accepted_on=dt.date(2020, 1, 1),
        origin="application",
        ior_numbers=[_ior(member)],
    )
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    text = HEADER + "\n".join(
        [
            f"Pilot Importer 1 Inc.,{_ior(one)},2016-04-12",  # row 2 fine
            f"Someone Else LLC,{_ior(two)},2016-04-12",  # 3 name does not agree
            "Nobody Inc.,12-388888800,2016-04-12",  # 4 unknown company
            f"Pilot Importer 2 Inc.,{_ior(two)};{_ior(one)},2016-04-12",  # 5 IOR of another
            f"Pilot Importer 2 Inc.,{_ior(two)},{future}",  # 6 future date
            f"Pilot Importer 2 Inc.,{_ior(two)},12/01/2016",  # 7 bad date
            f"Pilot Importer 1 Inc.,{_ior(one)},2016-04-12",  # 8 duplicate of row 2
            f"Member Co,{_ior(member)},2016-04-12",  # 9 already a member
            f"Widget Factory,{factory_ior},2016-04-12",  # 10 not an importer
            "Bad Ior Inc.,not-an-ior,2016-04-12",  # 11 bad IOR format
        ]
    )
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(text))
    assert record.status == "invalid" and record.rows == []
    by_row = {}
    for error in record.errors:
        by_row.setdefault(error["row"], []).append((error["column"], error["message"]))
    assert 2 not in by_row
    assert by_row[3][0][0] == "company_name" and "does not agree" in by_row[3][0][1]
    assert "Unknown company" in by_row[4][0][1]
    assert any("not an active IOR number of Pilot Importer 2" in m for _, m in by_row[5])
    # Rows 5-8 reuse row 2's and row 3's IOR numbers, so they are duplicates too.
    assert ("accepted_on", "The acceptance date is in the future.") in by_row[6]
    assert by_row[7][0][0] == "accepted_on" and "YYYY-MM-DD" in by_row[7][0][1]
    assert any("duplicate row" in m for _, m in by_row[8])
    assert any("already a Trade Compliance member" in m for _, m in by_row[9])
    assert any("not an importer" in m for _, m in by_row[10])
    assert by_row[11][0][0] == "ior_numbers"
    with pytest.raises(ConflictError) as exc:
        pilot.pilot_import_commit(actor=cbp_admin, pilot_import=record)
    assert exc.value.code == "has_errors"
    assert TradeComplianceMembership.objects.count() == 1  # only the one made above


def test_a_registry_change_after_the_check_refuses_the_whole_commit(cbp_admin, importers):
    one, two = importers
    text = (
        HEADER
        + f"Pilot Importer 1 Inc.,{_ior(one)},2016-04-12\n"
        + (f"Pilot Importer 2 Inc.,{_ior(two)},2016-04-12\n")
    )
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(text))
    from ctpat.tradecompliance.services import membership_grant

    membership_grant(
        actor=None,
        partner=two,
        accepted_on=dt.date(2020, 1, 1),
        origin="application",
        ior_numbers=[_ior(two)],
    )
    with pytest.raises(ConflictError) as exc:
        pilot.pilot_import_commit(actor=cbp_admin, pilot_import=record)
    assert exc.value.code == "changed_since_check"
    assert not TradeComplianceMembership.objects.filter(partner=one).exists()
    record.refresh_from_db()
    assert record.status == "validated"


@pytest.mark.parametrize(
    ("payload", "name", "code"),
    [
        pytest.param("caf\xe9,x,y\n".encode("latin-1"), "p.csv", "not_utf8", id="not-utf8"),
        pytest.param(b"%PDF-1.7 binary", "p.csv", "upload_content_mismatch", id="not-text"),
        pytest.param(
            b"company_name,ior_numbers\nA,B\n", "p.csv", "missing_columns", id="missing-column"
        ),
        pytest.param(
            b'company_name,ior_numbers,accepted_on\n"A,B,2020-01-01\n',
            "p.csv",
            "not_csv",
            id="broken-quotes",
        ),
        pytest.param(HEADER.encode(), "p.csv", "no_rows", id="header-only"),
        pytest.param(b"a,b,c\n", "p.xlsx", "upload_type_not_allowed", id="not-csv-name"),
        pytest.param(b"", "p.csv", "upload_empty", id="empty"),
    ],
)
def test_an_unusable_file_is_refused_and_nothing_is_written(cbp_admin, payload, name, code):
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        pilot.pilot_import_check(actor=cbp_admin, uploaded_file=SimpleUploadedFile(name, payload))
    assert exc.value.code == code
    assert "file" in exc.value.fields
    assert not PilotImport.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_file_not_utf8_after_the_sniffed_start_is_refused(cbp_admin):
    text = HEADER.encode() + b"x" * (70 * 1024) + "\ncaf\xe9,1,2\n".encode("latin-1")
    with pytest.raises(DomainError) as exc:
        pilot.pilot_import_check(actor=cbp_admin, uploaded_file=SimpleUploadedFile("p.csv", text))
    assert exc.value.code == "not_utf8"


def test_a_too_large_file_is_refused(cbp_admin, settings):
    settings.CTPAT_ANL_IMPORT_MAX_BYTES = 100
    with pytest.raises(DomainError) as exc:
        pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(HEADER + "x" * 200))
    assert exc.value.code == "upload_too_large"


def test_only_a_program_admin_imports(cbp_org, make_user):
    nam = make_user("nam", organization=cbp_org)
    with pytest.raises(PermissionDeniedError):
        pilot.pilot_import_check(actor=nam, uploaded_file=_csv(HEADER + "A,B,C\n"))


@pytest.mark.parametrize(
    ("row_name", "agrees"),
    [
        ("Harbor Lane Home Goods Inc.", True),
        ("harbor lane home goods, INC", True),
        ("Harbor Lane Home Goods", True),
        ("Harbor Lane Home Goods LLC", True),
        ("Harbor Lane", False),
        ("Harbour Lane Home Goods Inc.", False),
    ],
)
def test_names_agree_ignoring_case_punctuation_and_legal_form(row_name, agrees):
    assert (pilot.name_key(row_name) == pilot.name_key("Harbor Lane Home Goods Inc.")) is agrees


def test_the_sample_file_has_the_documented_columns():
    from pathlib import Path

    sample = Path(pilot.__file__).parent / "data" / "pilot_participants_sample.csv"
    rows = pilot.read_rows(SimpleUploadedFile(sample.name, sample.read_bytes()))
    assert [r["company_name"] for r in rows] == [
        "Harbor Lane Home Goods Inc.",
        "Maple Leaf Outfitters Ltd.",
    ]


def test_a_spreadsheet_export_with_bom_crlf_blank_lines_and_semicolons_is_read(
    cbp_admin, importers
):
    one, two = importers
    text = (
        "\ufeffCompany Name;IOR Numbers;Accepted On\r\n"
        f"Pilot Importer 1 Inc.;{_ior(one)};2016-04-12\r\n"
        "\r\n"
        f'"Pilot Importer 2, Inc";" {_ior(two)} ";2019-11-01\r\n'
        ";;\r\n"
    )
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(text))
    assert record.status == "validated", record.errors
    assert [(r["row"], r["ior_numbers"]) for r in record.rows] == [
        (2, [_ior(one)]),
        (4, [_ior(two)]),
    ]


def test_one_ior_number_on_two_rows_for_two_companies_is_reported(cbp_admin, importers):
    one, two = importers
    text = (
        HEADER
        + f"Pilot Importer 1 Inc.,{_ior(one)},2016-04-12\n"
        + f"Pilot Importer 2 Inc.,{_ior(two)};{_ior(one)},2016-04-12\n"
    )
    record = pilot.pilot_import_check(actor=cbp_admin, uploaded_file=_csv(text))
    assert record.status == "invalid"
    messages = [e["message"] for e in record.errors if e["row"] == 3]
    assert any("also on row 2" in m for m in messages)
    assert any("not an active IOR number of Pilot Importer 2" in m for m in messages)


def test_checking_rows_costs_the_same_queries_for_1_or_many_rows(importers, make_partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    more = importers + [
        make_partner(name=f"Bulk {n} LLC", entity_type="importer", country="US") for n in range(6)
    ]

    def queries(partners) -> int:
        rows = [
            {"row": n, "company_name": p.name, "ior_numbers": _ior(p), "accepted_on": "2016-04-12"}
            for n, p in enumerate(partners, start=2)
        ]
        with CaptureQueriesContext(connection) as captured:
            planned, errors = pilot.check_rows(rows, today=timezone.localdate())
        assert not errors and len(planned) == len(partners)
        return len(captured.captured_queries)

    assert queries(more) == queries(more[:1])
