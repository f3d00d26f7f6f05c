"""Format checks and normalization for Business Entity Identifiers (BEI).

`validate_identifier(kind, value)` returns the normalized value (upper case, separators removed)
or raises `IdentifierError` with a stable `code` and a message a compliance user can act on.
python-stdnum checks the numbers it knows (EIN, SSN, RFC, Canadian BN); the CBP-specific formats
are written here. Formats tagged [K] come from background knowledge, not a primary source, and are
deliberately permissive: a format check must never stop a real partner from registering.

One exception to "separators removed": an IOR number keeps its canonical hyphens, because the
hyphen position is what tells an EIN-based number (NN-NNNNNNNXX) from a CBP-assigned one
(YYDDPP-NNNNN) — both have 11 digits (CBP ACE CATAIR importer-number formats [K]).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import Literal

from stdnum.ca import bn as ca_bn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError
from stdnum.mx import rfc as mx_rfc
from stdnum.us import ein as us_ein
from stdnum.us import ssn as us_ssn

from ctpat.partners.choices import IdentifierKind


class IdentifierErrorCode(StrEnum):
    """Stable machine codes carried by `IdentifierError.code`."""

    EMPTY = "empty"
    UNKNOWN_KIND = "unknown_kind"
    INVALID_FORMAT = "invalid_format"
    INVALID_CHECKSUM = "invalid_checksum"
    INVALID_COMPONENT = "invalid_component"
    UNKNOWN_COUNTRY = "unknown_country"


class IdentifierError(ValueError):
    """An identifier value that does not have its kind's format."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message

    def __repr__(self) -> str:
        return f"IdentifierError(code={self.code!r}, message={self.message!r})"


# Human description of each format, for error messages and form help text.
IDENTIFIER_FORMATS: dict[str, str] = {
    IdentifierKind.IOR: (
        "an EIN with a 2-digit suffix (NN-NNNNNNNXX), an SSN (NNN-NN-NNNN), "
        "or a CBP-assigned number (YYDDPP-NNNNN)"
    ),
    IdentifierKind.BOND: "9 letters or digits",
    IdentifierKind.MID: (
        "a 2-letter country code followed by letters and digits, 4 to 15 characters "
        "(e.g. CNSHAJEW1234SHA)"
    ),
    IdentifierKind.BROKER_LICENSE: "5 digits",
    IdentifierKind.FILER_CODE: "3 letters or digits",
    IdentifierKind.SCAC: "2 to 4 letters",
    IdentifierKind.IATA: (
        "a 2-character IATA airline designator, a 3-letter ICAO code, a 3-digit airline "
        "prefix, or a 7 to 11 digit IATA cargo agent code"
    ),
    IdentifierKind.DOT: "1 to 8 digits",
    IdentifierKind.FMC: "6 digits, optionally followed by up to 3 letters (e.g. 012345N)",
    IdentifierKind.SCT: "1 to 20 letters or digits",
    IdentifierKind.DUNS: "9 digits (NN-NNN-NNNN)",
    IdentifierKind.EIN: "9 digits (NN-NNNNNNN)",
    IdentifierKind.RFC: "12 characters for a company or 13 for a person (e.g. MAB-930714-8T4)",
    IdentifierKind.CBSA_BN: "9 digits, optionally followed by a program account (e.g. RC0001)",
}

# Names used in messages: "An IOR number is ...".
_KIND_NOUNS: dict[str, str] = {
    IdentifierKind.IOR: "An IOR number",
    IdentifierKind.BOND: "A CBP bond number",
    IdentifierKind.MID: "A Manufacturer ID (MID)",
    IdentifierKind.BROKER_LICENSE: "A customs broker license number",
    IdentifierKind.FILER_CODE: "An ABI filer code",
    IdentifierKind.SCAC: "A SCAC",
    IdentifierKind.IATA: "An IATA code",
    IdentifierKind.DOT: "A U.S. DOT number",
    IdentifierKind.FMC: "An FMC organization or license number",
    IdentifierKind.SCT: "A Mexican SCT permit number",
    IdentifierKind.DUNS: "A D-U-N-S number",
    IdentifierKind.EIN: "An EIN",
    IdentifierKind.RFC: "A Mexican RFC",
    IdentifierKind.CBSA_BN: "A Canadian Business Number",
}

# source: ISO 3166-1 alpha-2 officially assigned codes (iso.org/obp, 249 codes; same set as
# python-stdnum's ISIN table minus the withdrawn AN and CS).
_ISO_3166_ALPHA2_TEXT = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_3166_ALPHA2: frozenset[str] = frozenset(_ISO_3166_ALPHA2_TEXT.split())

# source: CBP CATAIR ENS-55 via bmsi.com/bmsi/doc/bildh/midcode.html [I] — a Canadian
# manufacturer's MID starts with its province/territory code instead of CA.
MID_CANADIAN_PROVINCE_CODES: frozenset[str] = frozenset(
    {"XA", "XB", "XC", "XM", "XN", "XO", "XP", "XQ", "XS", "XT", "XW", "XY"}
)
# source: brief / CBP MID construction rules (2 + 6 + 4 + 3 characters) [K]
MID_MIN_LENGTH = 4
MID_MAX_LENGTH = 15

_SEPARATORS = re.compile(r"[\s\-./]+")

IorNumberType = Literal["ein", "ssn", "cbp_assigned"]


def _clean(value: str) -> str:
    """Upper case with spaces, hyphens, dots and slashes removed."""
    return _SEPARATORS.sub("", value).upper()


def _format_error(kind: str, raw: str, detail: str = "") -> IdentifierError:
    message = f"{_KIND_NOUNS[kind]} is {IDENTIFIER_FORMATS[kind]}; got {raw!r}"
    if detail:
        message = f"{message} ({detail})"
    return IdentifierError(IdentifierErrorCode.INVALID_FORMAT, message)


def _stdnum_error(
    kind: str, raw: str, exc: ValidationError, *, what: str = "", hint: str = ""
) -> IdentifierError:
    """Map a python-stdnum failure to our codes with a message naming the problem."""
    subject = what or re.sub(r"^An? ", "The ", _KIND_NOUNS[kind])
    suffix = f"; {hint}" if hint else ""
    if isinstance(exc, InvalidChecksum):
        return IdentifierError(
            IdentifierErrorCode.INVALID_CHECKSUM,
            f"{subject} {raw!r} has a wrong check digit; check it for a typing mistake{suffix}",
        )
    if isinstance(exc, InvalidComponent):
        return IdentifierError(
            IdentifierErrorCode.INVALID_COMPONENT,
            f"{subject} {raw!r} has the right shape but contains a part that is never issued "
            f"(e.g. an unassigned prefix or an all-zero group){suffix}",
        )
    return _format_error(kind, raw, hint)


def _full_match(pattern: str, kind: str, raw: str) -> str:
    value = _clean(raw)
    if not re.fullmatch(pattern, value):
        raise _format_error(kind, raw)
    return value


# --- Per-kind validators -------------------------------------------------------------------------


def _parse_ior(raw: str) -> tuple[IorNumberType, str]:
    kind = IdentifierKind.IOR
    spaced = re.sub(r"[\s\-–]+", "-", raw.strip().upper()).strip("-")
    if not re.fullmatch(r"[0-9-]+", spaced):
        raise _format_error(kind, raw)
    digits = spaced.replace("-", "")
    shape = tuple(len(part) for part in spaced.split("-"))
    if shape in {(2, 9), (2, 7, 2), (11,)}:
        # EIN + 2-digit suffix; 11 bare digits are read as this, the common case.
        try:
            us_ein.validate(digits[:9])
        except ValidationError as exc:
            hint = "a CBP-assigned number is written YYDDPP-NNNNN" if shape == (11,) else ""
            raise _stdnum_error(
                kind, raw, exc, what="The EIN part of IOR number", hint=hint
            ) from None
        return "ein", f"{digits[:2]}-{digits[2:]}"
    if shape in {(3, 2, 4), (9,)}:
        try:
            us_ssn.validate(digits)
        except ValidationError as exc:
            raise _stdnum_error(kind, raw, exc, what="The SSN in IOR number") from None
        return "ssn", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if shape == (6, 5):
        # YY (year) + DDPP (CBP district/port) + 5-digit serial [K]; digits only checked.
        return "cbp_assigned", f"{digits[:6]}-{digits[6:]}"
    if shape == (2, 7):
        raise _format_error(
            kind, raw, "an EIN-based IOR number ends with a 2-digit suffix, usually 00"
        )
    raise _format_error(kind, raw)


def _validate_ior(raw: str) -> str:
    return _parse_ior(raw)[1]


def _validate_bond(raw: str) -> str:
    # [K] permissive: CBP surety bond numbers are 9 characters; no check digit verified.
    return _full_match(r"[A-Z0-9]{9}", IdentifierKind.BOND, raw)


def _validate_mid(raw: str) -> str:
    kind = IdentifierKind.MID
    value = _full_match(
        rf"[A-Z]{{2}}[A-Z0-9]{{{MID_MIN_LENGTH - 2},{MID_MAX_LENGTH - 2}}}", kind, raw
    )
    country = value[:2]
    if country == "CA":
        raise IdentifierError(
            IdentifierErrorCode.UNKNOWN_COUNTRY,
            f"A Canadian manufacturer's MID starts with its province code "
            f"({', '.join(sorted(MID_CANADIAN_PROVINCE_CODES))}), not CA; got {raw!r}",
        )
    if country not in ISO_3166_ALPHA2 and country not in MID_CANADIAN_PROVINCE_CODES:
        raise IdentifierError(
            IdentifierErrorCode.UNKNOWN_COUNTRY,
            f"A Manufacturer ID (MID) starts with the manufacturer's ISO country code; "
            f"{country!r} is not one (got {raw!r})",
        )
    return value


def _validate_broker_license(raw: str) -> str:
    # [K] CBP customs broker license numbers are 5 digits.
    return _full_match(r"[0-9]{5}", IdentifierKind.BROKER_LICENSE, raw)


def _validate_filer_code(raw: str) -> str:
    # [K] ABI filer codes are 3 alphanumeric characters.
    return _full_match(r"[A-Z0-9]{3}", IdentifierKind.FILER_CODE, raw)


def _validate_scac(raw: str) -> str:
    # [K] NMFTA Standard Carrier Alpha Codes are 2 to 4 letters.
    return _full_match(r"[A-Z]{2,4}", IdentifierKind.SCAC, raw)


def _validate_iata(raw: str) -> str:
    # [K] airline designator (2 chars, never two digits), ICAO 3-letter code, 3-digit airline
    # prefix (air waybill), or a numeric IATA cargo agent code (7 digits + optional CASS suffix).
    return _full_match(
        r"(?![0-9]{2}$)[A-Z0-9]{2}|[A-Z]{3}|[0-9]{3}|[0-9]{7,11}", IdentifierKind.IATA, raw
    )


def _validate_dot(raw: str) -> str:
    # [K] FMCSA USDOT numbers are integers up to 8 digits; "USDOT"/"DOT" prefix and leading
    # zeros are dropped so one carrier has one normalized value.
    value = re.sub(r"^(US)?DOT(NO)?", "", _clean(raw).replace("#", ""))
    if not re.fullmatch(r"[0-9]{1,8}", value) or not value.strip("0"):
        raise _format_error(IdentifierKind.DOT, raw)
    return value.lstrip("0")


def _validate_fmc(raw: str) -> str:
    # [K] FMC organization number (6 digits) or OTI license number (6 digits + N/F/NF).
    return _full_match(r"[0-9]{6}[A-Z]{0,3}", IdentifierKind.FMC, raw)


def _validate_sct(raw: str) -> str:
    # [K] Mexican SCT (SICT) federal motor-carrier permit; no published format found.
    return _full_match(r"[A-Z0-9]{1,20}", IdentifierKind.SCT, raw)


def _validate_duns(raw: str) -> str:
    # python-stdnum has no D-U-N-S module; Dun & Bradstreet numbers are 9 digits [K].
    return _full_match(r"[0-9]{9}", IdentifierKind.DUNS, raw)


def _validate_ein(raw: str) -> str:
    try:
        return us_ein.validate(re.sub(r"\s+", "", raw))
    except ValidationError as exc:
        raise _stdnum_error(IdentifierKind.EIN, raw, exc) from None


def _validate_rfc(raw: str) -> str:
    kind = IdentifierKind.RFC
    try:
        # Check digits are not enforced: python-stdnum notes ~1.5% of issued RFCs fail them.
        value = mx_rfc.validate(raw)
    except ValidationError as exc:
        raise _stdnum_error(kind, raw, exc) from None
    if len(value) not in (12, 13):
        # A business partner's RFC includes the 3-character homoclave.
        raise _format_error(kind, raw)
    return value


def _validate_cbsa_bn(raw: str) -> str:
    try:
        return ca_bn.validate(raw)
    except ValidationError as exc:
        raise _stdnum_error(IdentifierKind.CBSA_BN, raw, exc) from None


_VALIDATORS: dict[str, Callable[[str], str]] = {
    IdentifierKind.IOR: _validate_ior,
    IdentifierKind.BOND: _validate_bond,
    IdentifierKind.MID: _validate_mid,
    IdentifierKind.BROKER_LICENSE: _validate_broker_license,
    IdentifierKind.FILER_CODE: _validate_filer_code,
    IdentifierKind.SCAC: _validate_scac,
    IdentifierKind.IATA: _validate_iata,
    IdentifierKind.DOT: _validate_dot,
    IdentifierKind.FMC: _validate_fmc,
    IdentifierKind.SCT: _validate_sct,
    IdentifierKind.DUNS: _validate_duns,
    IdentifierKind.EIN: _validate_ein,
    IdentifierKind.RFC: _validate_rfc,
    IdentifierKind.CBSA_BN: _validate_cbsa_bn,
}


# --- Public API ----------------------------------------------------------------------------------


def validate_identifier(kind: str, value: str) -> str:
    """The normalized `value` for identifier `kind`, or IdentifierError saying what is wrong."""
    validator = _VALIDATORS.get(kind)
    if validator is None:
        raise IdentifierError(
            IdentifierErrorCode.UNKNOWN_KIND, f"{kind!r} is not a kind of business identifier"
        )
    if not isinstance(value, str) or not value.strip():
        raise IdentifierError(
            IdentifierErrorCode.EMPTY, f"{_KIND_NOUNS[kind]} is required; the value is empty"
        )
    return validator(value.strip())


def is_valid_identifier(kind: str, value: str) -> bool:
    """True if `validate_identifier(kind, value)` would succeed."""
    try:
        validate_identifier(kind, value)
    except IdentifierError:
        return False
    return True


def ior_number_type(value: str) -> IorNumberType:
    """Which kind of IOR number `value` is: "ein", "ssn" or "cbp_assigned".

    An SSN-based IOR is personal data: mask it wherever it is shown.
    """
    if not isinstance(value, str) or not value.strip():
        raise IdentifierError(
            IdentifierErrorCode.EMPTY, "An IOR number is required; the value is empty"
        )
    return _parse_ior(value.strip())[0]
