"""Pilot migration: legacy ISA / Trade Compliance pilot participants from a CSV file.

The file (UTF-8, comma-separated — or semicolon-separated, as spreadsheets with a decimal comma
save it —, a header row; sample: ``data/pilot_participants_sample.csv``):

    company_name,ior_numbers,accepted_on
    Harbor Lane Home Goods Inc.,58-123456700,2016-04-12
    Maple Leaf Outfitters Ltd.,181234-56789;181234-56790,2019-11-01

* ``company_name`` — the company as CBP knows it.
* ``ior_numbers`` — its Importer of Record numbers, separated by ``;``.
* ``accepted_on`` — the ISA / pilot acceptance date, ``YYYY-MM-DD``.

Row numbers in the error report count the header as row 1 (as a spreadsheet shows them).

How a row finds its company: ctpat looks up the CTPAT accounts that hold the row's IOR numbers
(active IOR identifiers) and keeps the one whose name agrees with ``company_name``. Names agree
when they are equal after ignoring case, accents, punctuation, "&"/"and" and the legal form
(Inc., LLC, Ltd., Corp., Co., S.A. de C.V., ...) — "Harbor Lane Home Goods, Inc" agrees with
"Harbor Lane Home Goods Inc."; the "doing business as" name counts too. Then every IOR number
of the row must belong to that company.

Every row is checked first; only when all are valid does the admin confirm, and then every row
becomes a Trade Compliance member (``membership_grant``, origin ``pilot_migration``) in one
transaction — all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core import uploads
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service
from ctpat.partners.choices import EntityType, IdentifierKind, MembershipStatus
from ctpat.partners.identifiers import IdentifierError, ior_number_type, validate_identifier
from ctpat.partners.models import Partner, PartnerIdentifier
from ctpat.tradecompliance.models import Application, TradeComplianceMembership
from ctpat.tradecompliance.services import Grant, membership_grant_many

from .choices import ImportStatus
from .models import PilotImport

COLUMNS = ("company_name", "ior_numbers", "accepted_on")
COLUMN_ALIASES = {
    "company": "company_name",
    "company_name": "company_name",
    "name": "company_name",
    "ior_numbers": "ior_numbers",
    "ior_number": "ior_numbers",
    "iors": "ior_numbers",
    "accepted_on": "accepted_on",
    "acceptance_date": "accepted_on",
}
SEMICOLON = ";"
IOR_SEPARATOR = SEMICOLON
# A guard, not a program rule: an upload is a list of a few hundred participants (the seed FAQ:
# 300+ ISA participants in the pilot).
MAX_ROWS = 5000
DEFAULT_MAX_BYTES = 512 * 1024
# source: DOMAIN.md §2.1 — ISA launched June 17, 2002 (67 FR 41298): no acceptance is earlier.
ISA_LAUNCHED_ON = dt.date(2002, 6, 17)
# Issue 7: a company CBP denied, suspended or removed is not a pilot participant in good standing;
# importing it would grant by the back door what CBP refused. Its row is refused with the reason.
REFUSED_SECURITY_STATUSES = frozenset({MembershipStatus.SUSPENDED, MembershipStatus.REMOVED})
REFUSED_TC_STATUSES = frozenset({"suspended", "removed"})
# Legal-form words ignored when names are compared.
LEGAL_FORM_WORDS = frozenset(
    {"inc", "incorporated", "llc", "ltd", "limited", "co", "company", "corp", "corporation"}
    | {"plc", "lp", "llp", "gmbh", "sa", "de", "cv", "srl", "sas", "bv", "nv", "ag", "ulc"}
)


def max_bytes() -> int:
    return int(getattr(settings, "CTPAT_ANL_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def name_key(name: str) -> str:
    """A company name reduced for comparison (see the module docstring)."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    words = re.sub(r"[^\w]+", " ", text).split()
    while words and words[-1] in LEGAL_FORM_WORDS:
        words.pop()
    return " ".join(words)


def names_agree(row_name: str, partner: Partner) -> bool:
    key = name_key(row_name)
    return bool(key) and key in {name_key(partner.name), name_key(partner.dba_name)}


def _mask(ior: str) -> str:
    try:
        if ior_number_type(ior) == "ssn":
            return "***-**-" + ior[-4:]
    except IdentifierError:
        pass
    return ior


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_data(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


# --- Reading the file ------------------------------------------------------------------------


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, fields={"file": [message]})


def _is_other_text(uploaded_file) -> bool:
    """Text that is not UTF-8: no NUL bytes anywhere, and not UTF-8-decodable as a whole (the
    upload check reads the whole file too, so a Latin-1 byte deep in the file counts)."""
    uploaded_file.seek(0)
    raw = uploaded_file.read()
    uploaded_file.seek(0)
    if not raw or b"\x00" in raw or raw.startswith(b"%PDF-"):
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _delimiter(text: str) -> str:
    """``,`` — or ``;`` when the header row uses it (spreadsheets set to a decimal comma save
    "CSV" with semicolons; a semicolon-separated file quotes a cell of several IOR numbers)."""
    header = text.split("\n", 1)[0]
    return SEMICOLON if SEMICOLON in header and "," not in header else ","


def read_rows(uploaded_file) -> list[dict]:
    """The file's data rows as ``{"row", "company_name", "ior_numbers", "accepted_on"}``
    (raw text), or a DomainError when the file itself is unusable."""
    not_utf8 = _refuse(
        "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.", "not_utf8"
    )
    try:
        uploads.validate_upload(uploaded_file, allowed=("csv",), max_bytes=max_bytes())
    except DomainError as exc:
        # Text in another encoding (Windows-1252, Latin-1) deserves a clearer word than
        # "content does not match"; binary content keeps the upload check's message.
        if exc.code == uploads.UploadErrorCode.CONTENT_MISMATCH and _is_other_text(uploaded_file):
            raise not_utf8 from exc
        raise
    uploaded_file.seek(0)
    raw = uploaded_file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8 from exc
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
        lines = list(reader)
    except csv.Error as exc:
        raise _refuse(f"The file is not a readable CSV file: {exc}.", "not_csv") from exc
    if not lines:
        raise _refuse("The file is empty.", "empty_file")
    header = [re.sub(r"[\s\-]+", "_", h.strip().casefold()) for h in lines[0]]
    mapped = [COLUMN_ALIASES.get(h, "") for h in header]
    missing = [c for c in COLUMNS if c not in mapped]
    if missing:
        raise _refuse(
            f"The header row lacks the column(s) {', '.join(missing)}. The first row must name "
            f"the columns {', '.join(COLUMNS)}.",
            "missing_columns",
        )
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue  # a blank line (spreadsheets leave them at the end)
        values = dict.fromkeys(COLUMNS, "")
        for column, cell in zip(mapped, line, strict=False):
            if column:
                values[column] = cell.strip()
        rows.append({"row": number, **values})
    if not rows:
        raise _refuse("The file has a header row but no participants.", "no_rows")
    if len(rows) > MAX_ROWS:
        raise _refuse(f"At most {MAX_ROWS} participants per file.", "too_many_rows")
    return rows


# --- Checking the rows -----------------------------------------------------------------------


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _standing_errors(number: int, partner, tc_status: dict, denied: dict) -> list[RowError]:
    """A company CBP denied, suspended or removed is refused, with the reason (issue 7)."""
    errors = []
    application = denied.get(partner.pk)
    if application is not None:
        day = application.decided_at.date().isoformat() if application.decided_at else ""
        errors.append(
            RowError(
                number,
                "company_name",
                f"{partner.name}'s Trade Compliance application {application.public_id} was "
                f"denied{' on ' + day if day else ''}: a company CBP denied is not imported as "
                "a pilot participant. It may apply again through the application.",
            )
        )
    if partner.status in REFUSED_SECURITY_STATUSES:
        errors.append(
            RowError(
                number,
                "company_name",
                f"{partner.name}'s CTPAT Security membership is "
                f"{partner.get_status_display().lower()}: a suspended or removed company is "
                "not imported as a pilot participant.",
            )
        )
    if tc_status.get(partner.pk) in REFUSED_TC_STATUSES:
        errors.append(
            RowError(
                number,
                "company_name",
                f"{partner.name}'s Trade Compliance membership is {tc_status[partner.pk]}: a "
                "suspended or removed company is not imported as a pilot participant.",
            )
        )
    return errors


def check_rows(rows: list[dict], *, today: dt.date) -> tuple[list[dict], list[RowError]]:
    """Every row checked against the registry: (planned rows, errors). Reads only."""
    errors: list[RowError] = []
    parsed: list[dict] = []
    wanted_iors: set[str] = set()
    for row in rows:
        number = row["row"]
        item = {"row": number, "company_name": row["company_name"], "iors": [], "date": None}
        if not row["company_name"]:
            errors.append(RowError(number, "company_name", "The company name is empty."))
        raw_iors = [v.strip() for v in row["ior_numbers"].split(IOR_SEPARATOR) if v.strip()]
        if not raw_iors:
            errors.append(RowError(number, "ior_numbers", "Give at least one IOR number."))
        for value in raw_iors:
            try:
                normal = validate_identifier(IdentifierKind.IOR, value)
            except IdentifierError as exc:
                errors.append(RowError(number, "ior_numbers", f"{_mask(value)}: {exc}."))
                continue
            if normal in item["iors"]:
                errors.append(RowError(number, "ior_numbers", f"{_mask(normal)} is listed twice."))
                continue
            item["iors"].append(normal)
        wanted_iors.update(item["iors"])
        date = _parse_date(row["accepted_on"])
        if date is None:
            errors.append(
                RowError(
                    number,
                    "accepted_on",
                    f"“{row['accepted_on']}” is not a date; write it as YYYY-MM-DD.",
                )
            )
        elif date > today:
            errors.append(RowError(number, "accepted_on", "The acceptance date is in the future."))
        elif date < ISA_LAUNCHED_ON:
            errors.append(
                RowError(
                    number,
                    "accepted_on",
                    f"The acceptance date is before ISA began ({ISA_LAUNCHED_ON.isoformat()}).",
                )
            )
        else:
            item["date"] = date
        parsed.append(item)

    holders: dict[str, list[Partner]] = {}
    for identifier in PartnerIdentifier.objects.filter(
        kind=IdentifierKind.IOR, is_active=True, value__in=wanted_iors
    ).select_related("partner__organization"):  # Partner.name reads the organization
        holders.setdefault(identifier.value, []).append(identifier.partner)
    holder_ids = {p.pk for ps in holders.values() for p in ps}
    tc_status = dict(
        TradeComplianceMembership.objects.filter(partner__in=holder_ids).values_list(
            "partner_id", "status"
        )
    )
    members = set(tc_status)
    denied: dict[int, Application] = {}
    for application in Application.objects.filter(partner__in=holder_ids, status="denied").order_by(
        "decided_at"
    ):
        denied[application.partner_id] = application  # the latest denial per company

    planned: list[dict] = []
    seen_partner: dict[int, int] = {}
    seen_ior: dict[str, int] = {}
    for item in parsed:
        number, name = item["row"], item["company_name"]
        row_errors_before = len(errors)
        for ior in item["iors"]:
            if ior in seen_ior:
                errors.append(
                    RowError(
                        number,
                        "ior_numbers",
                        f"{_mask(ior)} is also on row {seen_ior[ior]}: duplicate row.",
                    )
                )
            else:
                seen_ior[ior] = number
        candidates = {p.pk: p for ior in item["iors"] for p in holders.get(ior, [])}
        partner = None
        if name and item["iors"]:
            if not candidates:
                errors.append(
                    RowError(
                        number,
                        "company_name",
                        f"Unknown company: no CTPAT account holds the IOR number(s) "
                        f"{', '.join(_mask(i) for i in item['iors'])}.",
                    )
                )
            else:
                agreeing = [p for p in candidates.values() if names_agree(name, p)]
                if not agreeing:
                    names = "; ".join(sorted(p.name for p in candidates.values()))
                    errors.append(
                        RowError(
                            number,
                            "company_name",
                            f"Unknown company: the IOR number(s) belong to {names}, whose name "
                            f"does not agree with “{name}”.",
                        )
                    )
                elif len(agreeing) > 1:
                    errors.append(
                        RowError(
                            number,
                            "company_name",
                            "Two CTPAT accounts with this name hold these IOR numbers; CBP "
                            "must resolve the duplicate accounts first.",
                        )
                    )
                else:
                    partner = agreeing[0]
        if partner is not None:
            for ior in item["iors"]:
                if partner not in holders.get(ior, []):
                    errors.append(
                        RowError(
                            number,
                            "ior_numbers",
                            f"{_mask(ior)} is not an active IOR number of {partner.name}.",
                        )
                    )
            if partner.entity_type != EntityType.IMPORTER:
                errors.append(
                    RowError(
                        number,
                        "company_name",
                        f"{partner.name} is not an importer "
                        f"({partner.get_entity_type_display()}): Trade Compliance is for "
                        "importers only.",
                    )
                )
            errors.extend(_standing_errors(number, partner, tc_status, denied))
            if partner.pk in members and tc_status[partner.pk] not in REFUSED_TC_STATUSES:
                errors.append(
                    RowError(
                        number,
                        "company_name",
                        f"{partner.name} is already a Trade Compliance member.",
                    )
                )
            if partner.pk in seen_partner:
                errors.append(
                    RowError(
                        number,
                        "company_name",
                        f"{partner.name} is also on row {seen_partner[partner.pk]}: duplicate row.",
                    )
                )
            else:
                seen_partner[partner.pk] = number
        if len(errors) == row_errors_before and partner is not None and item["date"]:
            planned.append(
                {
                    "row": number,
                    "company_name": name,
                    "partner_id": partner.public_id,
                    "partner_name": partner.name,
                    "ior_numbers": item["iors"],
                    "ior_display": [_mask(i) for i in item["iors"]],
                    "accepted_on": item["date"].isoformat(),
                }
            )
    errors.sort(key=lambda e: e.row)
    return planned, errors


# --- Services --------------------------------------------------------------------------------


def _require_admin(actor) -> None:
    if actor is not None and not roles.has_perm(actor, "anl.pilot_import"):
        raise PermissionDeniedError("Only a CBP program admin migrates pilot participants.")


@service
def pilot_import_check(*, actor, uploaded_file) -> PilotImport:
    """Read and check an upload; record it with its error report, or ready to confirm.

    An unusable file (not UTF-8, not CSV, too large, missing columns) is refused with a clear
    error and nothing is written. Nothing becomes a membership here.
    """
    _require_admin(actor)
    rows = read_rows(uploaded_file)
    planned, errors = check_rows(rows, today=timezone.localdate())
    record = PilotImport(
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=uploads.clean_original_name(getattr(uploaded_file, "name", "")),
        row_count=len(rows),
        status=ImportStatus.INVALID if errors else ImportStatus.VALIDATED,
        errors=[e.as_data() for e in errors],
        rows=[],
    )
    if not errors:
        # The raw rows are kept so the commit checks them again against the registry then.
        record.rows = [{**p, "raw": r} for p, r in zip(planned, rows, strict=True)]
    record.save()
    audit_record(
        actor=actor,
        action="anl.pilot_import_check",
        obj=record,
        after={
            "file_name": record.file_name,
            "rows": record.row_count,
            "status": record.status,
            "errors": len(errors),
        },
    )
    return record


@service
def pilot_import_commit(*, actor, pilot_import: PilotImport) -> PilotImport:
    """Make every checked row a Trade Compliance member, all in this one transaction.

    The rows are checked again first (the registry may have changed since the preview); any
    error now refuses the whole import and nothing is written.
    """
    _require_admin(actor)
    record = PilotImport.objects.select_for_update().get(pk=pilot_import.pk)
    if record.status == ImportStatus.COMMITTED:
        raise ConflictError("This import was already committed.", code="already_committed")
    if record.status != ImportStatus.VALIDATED:
        raise ConflictError(
            "This import has errors: correct the file and upload it again.", code="has_errors"
        )
    planned, errors = check_rows([r["raw"] for r in record.rows], today=timezone.localdate())
    if errors:
        raise ConflictError(
            "The registry changed since the check: "
            + " ".join(f"Row {e.row}: {e.message}" for e in errors[:10]),
            code="changed_since_check",
            fields={"file": [f"Row {e.row}, {e.column}: {e.message}" for e in errors]},
        )
    partners = {
        p.public_id: p
        for p in Partner.objects.filter(public_id__in=[row["partner_id"] for row in planned])
    }
    grants = [
        Grant(
            partner=partners[row["partner_id"]],
            accepted_on=dt.date.fromisoformat(row["accepted_on"]),
            ior_numbers=tuple(row["ior_numbers"]),
            notes=f"Migrated from the ISA / pilot by import {record.public_id}, row {row['row']}.",
        )
        for row in planned
    ]
    memberships = membership_grant_many(actor=actor, grants=grants, origin="pilot_migration")
    made = [m.account_number for m in memberships]
    record.status = ImportStatus.COMMITTED
    record.committed_by = actor if getattr(actor, "is_authenticated", False) else None
    record.committed_at = timezone.now()
    record.memberships = made
    record.save()
    audit_record(
        actor=actor,
        action="anl.pilot_import_commit",
        obj=record,
        before={"status": ImportStatus.VALIDATED},
        after={"status": record.status, "memberships": made, "rows": len(made)},
        reason=f"Pilot migration of {len(made)} participant(s) from {record.file_name}.",
    )
    return record
