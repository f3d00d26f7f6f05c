"""Specification of Business Entity Identifier format checks and normalization."""

import pytest

from ctpat.partners.choices import IdentifierKind
from ctpat.partners.identifiers import (
    IDENTIFIER_FORMATS,
    ISO_3166_ALPHA2,
    MID_CANADIAN_PROVINCE_CODES,
    IdentifierError,
    ior_number_type,
    is_valid_identifier,
    validate_identifier,
)

K = IdentifierKind

VALID = [
    # IOR: EIN + suffix, SSN, CBP-assigned; canonical hyphens kept.
    (K.IOR, "12-345678900", "12-345678900", "ein-suffix"),
    (K.IOR, "12-3456789-00", "12-345678900", "ein-dash-suffix"),
    (K.IOR, "12345678900", "12-345678900", "ein-suffix-bare"),
    (K.IOR, " 12 345678901 ", "12-345678901", "ein-suffix-spaces"),
    (K.IOR, "98-765432100", "98-765432100", "ein-international-prefix"),
    (K.IOR, "123-45-6789", "123-45-6789", "ssn"),
    (K.IOR, "123456789", "123-45-6789", "ssn-bare"),
    (K.IOR, "123 45 6789", "123-45-6789", "ssn-spaces"),
    (K.IOR, "981231-12345", "981231-12345", "cbp-assigned"),
    (K.IOR, "982704 - 00001", "982704-00001", "cbp-assigned-spaced"),
    # Bond [K]
    (K.BOND, "123456789", "123456789", "bond-digits"),
    (K.BOND, "99a-12345 6", "99A123456", "bond-mixed"),
    # MID
    (K.MID, "CNSHAJEW1234SHA", "CNSHAJEW1234SHA", "mid-max-length"),
    (K.MID, "vnthaco88hoc", "VNTHACO88HOC", "mid-lowercase"),
    (K.MID, "CN SHAJEW 1234 SHA", "CNSHAJEW1234SHA", "mid-spaces"),
    (K.MID, "MX-ACEMEX-12-GUA", "MXACEMEX12GUA", "mid-hyphens"),
    (K.MID, "XOMAPMAK1234TOR", "XOMAPMAK1234TOR", "mid-canada-ontario"),
    (K.MID, "DEABC", "DEABC", "mid-short"),
    (K.MID, "INAB", "INAB", "mid-min-length"),
    # Broker license [K]
    (K.BROKER_LICENSE, "12345", "12345", "broker"),
    (K.BROKER_LICENSE, " 01234 ", "01234", "broker-leading-zero"),
    # Filer code [K]
    (K.FILER_CODE, "a1b", "A1B", "filer-lower"),
    (K.FILER_CODE, "ABC", "ABC", "filer"),
    # SCAC
    (K.SCAC, "maeu", "MAEU", "scac-4"),
    (K.SCAC, "UP", "UP", "scac-2"),
    (K.SCAC, "ab c", "ABC", "scac-3-space"),
    # IATA
    (K.IATA, "aa", "AA", "iata-2-letters"),
    (K.IATA, "5X", "5X", "iata-digit-letter"),
    (K.IATA, "U3", "U3", "iata-letter-digit"),
    (K.IATA, "ups", "UPS", "icao-3-letters"),
    (K.IATA, "001", "001", "airline-prefix"),
    (K.IATA, "01-1 2345", "0112345", "cargo-agent-7"),
    (K.IATA, "0112345/6789", "01123456789", "cargo-agent-cass"),
    # DOT
    (K.DOT, "1234567", "1234567", "dot"),
    (K.DOT, "USDOT 1234567", "1234567", "dot-usdot-prefix"),
    (K.DOT, "usdot no. 0123456", "123456", "dot-no-prefix-leading-zero"),
    (K.DOT, "DOT# 12345678", "12345678", "dot-8-digits"),
    (K.DOT, "7", "7", "dot-1-digit"),
    # FMC [K]
    (K.FMC, "012345", "012345", "fmc-org"),
    (K.FMC, "012345n", "012345N", "fmc-nvocc-license"),
    (K.FMC, "012345 NF", "012345NF", "fmc-nvocc-off-license"),
    # SCT [K]
    (K.SCT, "0924sct1234", "0924SCT1234", "sct"),
    (K.SCT, "A" * 20, "A" * 20, "sct-max"),
    # DUNS
    (K.DUNS, "15-048-3782", "150483782", "duns-hyphens"),
    (K.DUNS, "150483782", "150483782", "duns"),
    # EIN
    (K.EIN, "12-3456789", "123456789", "ein"),
    (K.EIN, "123456789", "123456789", "ein-bare"),
    (K.EIN, " 98-7654321 ", "987654321", "ein-spaces"),
    # RFC
    (K.RFC, "MAB-930714-8T4", "MAB9307148T4", "rfc-company"),
    (K.RFC, "gode 561231 gr8", "GODE561231GR8", "rfc-person-lower"),
    # Canadian BN
    (K.CBSA_BN, "123456782", "123456782", "bn9"),
    (K.CBSA_BN, "12345 6782", "123456782", "bn9-space"),
    (K.CBSA_BN, "123456782 RC 0001", "123456782RC0001", "bn15-program-account"),
]

INVALID = [
    # IOR
    (K.IOR, "12-34", "invalid_format", "ior-short"),
    (K.IOR, "12-3456789", "invalid_format", "ior-ein-without-suffix"),
    (K.IOR, "12-34567890A", "invalid_format", "ior-letter"),
    (K.IOR, "1234-5678900", "invalid_format", "ior-hyphen-misplaced"),
    (K.IOR, "1234567890", "invalid_format", "ior-10-digits"),
    (K.IOR, "07-345678900", "invalid_component", "ior-ein-unassigned-prefix"),
    (K.IOR, "00345678900", "invalid_component", "ior-bare-unassigned-prefix"),
    (K.IOR, "000-12-3456", "invalid_component", "ior-ssn-area-000"),
    (K.IOR, "666-12-3456", "invalid_component", "ior-ssn-area-666"),
    (K.IOR, "123-00-4567", "invalid_component", "ior-ssn-group-00"),
    (K.IOR, "98123-112345", "invalid_format", "ior-cbp-hyphen-misplaced"),
    # Bond
    (K.BOND, "12345678", "invalid_format", "bond-8"),
    (K.BOND, "1234567890", "invalid_format", "bond-10"),
    (K.BOND, "12345678#", "invalid_format", "bond-symbol"),
    # MID
    (K.MID, "ZZABC123", "unknown_country", "mid-unknown-country"),
    (K.MID, "CAMAPMAK1234TOR", "unknown_country", "mid-canada-uses-province"),
    (K.MID, "XKABC", "unknown_country", "mid-user-assigned-code"),
    (K.MID, "CNSHAJEW1234SHAX", "invalid_format", "mid-16-chars"),
    (K.MID, "CNA", "invalid_format", "mid-3-chars"),
    (K.MID, "1NABC", "invalid_format", "mid-digit-country"),
    (K.MID, "CNSHA_JEW", "invalid_format", "mid-underscore"),
    # Broker license
    (K.BROKER_LICENSE, "1234", "invalid_format", "broker-4"),
    (K.BROKER_LICENSE, "123456", "invalid_format", "broker-6"),
    (K.BROKER_LICENSE, "1234A", "invalid_format", "broker-letter"),
    # Filer code
    (K.FILER_CODE, "AB", "invalid_format", "filer-2"),
    (K.FILER_CODE, "ABCD", "invalid_format", "filer-4"),
    # SCAC
    (K.SCAC, "A", "invalid_format", "scac-1"),
    (K.SCAC, "ABCDE", "invalid_format", "scac-5"),
    (K.SCAC, "AB1", "invalid_format", "scac-digit"),
    # IATA
    (K.IATA, "12", "invalid_format", "iata-two-digits"),
    (K.IATA, "A", "invalid_format", "iata-1"),
    (K.IATA, "AB1", "invalid_format", "iata-3-mixed"),
    (K.IATA, "ABCD", "invalid_format", "iata-4-letters"),
    (K.IATA, "123456", "invalid_format", "iata-6-digits"),
    (K.IATA, "123456789012", "invalid_format", "iata-12-digits"),
    # DOT
    (K.DOT, "123456789", "invalid_format", "dot-9-digits"),
    (K.DOT, "0000", "invalid_format", "dot-all-zero"),
    (K.DOT, "USDOT", "invalid_format", "dot-prefix-only"),
    (K.DOT, "12A45", "invalid_format", "dot-letter"),
    # FMC
    (K.FMC, "12345", "invalid_format", "fmc-5-digits"),
    (K.FMC, "1234567", "invalid_format", "fmc-7-digits"),
    (K.FMC, "012345ABCD", "invalid_format", "fmc-4-letters"),
    (K.FMC, "N012345", "invalid_format", "fmc-letter-first"),
    # SCT
    (K.SCT, "A" * 21, "invalid_format", "sct-21"),
    (K.SCT, "SCT#1", "invalid_format", "sct-symbol"),
    # DUNS
    (K.DUNS, "12345678", "invalid_format", "duns-8"),
    (K.DUNS, "1234567890", "invalid_format", "duns-10"),
    (K.DUNS, "12345678A", "invalid_format", "duns-letter"),
    # EIN
    (K.EIN, "00-1234567", "invalid_component", "ein-unassigned-prefix"),
    (K.EIN, "12-345678", "invalid_format", "ein-8-digits"),
    (K.EIN, "12-34567890", "invalid_format", "ein-10-digits"),
    # RFC
    (K.RFC, "COMG600703", "invalid_format", "rfc-without-homoclave"),
    (K.RFC, "MAB-931314-8T4", "invalid_component", "rfc-bad-date"),
    (K.RFC, "12345", "invalid_format", "rfc-garbage"),
    # Canadian BN
    (K.CBSA_BN, "123456789", "invalid_checksum", "bn-checksum"),
    (K.CBSA_BN, "12345678", "invalid_format", "bn-8"),
    (K.CBSA_BN, "123456782XX0001", "invalid_component", "bn-unknown-program"),
]


def test_every_kind_has_a_validator_and_a_format_description():
    for kind in IdentifierKind.values:
        assert kind in IDENTIFIER_FORMATS
        with pytest.raises(IdentifierError) as caught:
            validate_identifier(kind, "")
        assert caught.value.code == "empty"


def test_every_kind_has_valid_and_invalid_examples_here():
    assert {k for k, *_ in VALID} == set(IdentifierKind.values)
    assert {k for k, *_ in INVALID} == set(IdentifierKind.values)


@pytest.mark.parametrize(
    ("kind", "raw", "normalized"),
    [pytest.param(kind, raw, norm, id=label) for kind, raw, norm, label in VALID],
)
def test_valid_identifiers_are_normalized(kind, raw, normalized):
    assert validate_identifier(kind, raw) == normalized
    assert is_valid_identifier(kind, raw)


@pytest.mark.parametrize(
    ("kind", "raw", "normalized"),
    [pytest.param(kind, raw, norm, id=label) for kind, raw, norm, label in VALID],
)
def test_normalization_is_idempotent(kind, raw, normalized):
    assert validate_identifier(kind, normalized) == normalized


@pytest.mark.parametrize(
    ("kind", "raw", "code"),
    [pytest.param(kind, raw, code, id=label) for kind, raw, code, label in INVALID],
)
def test_invalid_identifiers_are_refused_with_a_code(kind, raw, code):
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(kind, raw)

    assert caught.value.code == code
    assert repr(raw) in caught.value.message
    assert not is_valid_identifier(kind, raw)


def test_ior_format_message_names_all_three_forms():
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(K.IOR, "12-34")

    assert caught.value.message == (
        "An IOR number is an EIN with a 2-digit suffix (NN-NNNNNNNXX), an SSN (NNN-NN-NNNN), "
        "or a CBP-assigned number (YYDDPP-NNNNN); got '12-34'"
    )


def test_ior_without_suffix_says_to_add_one():
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(K.IOR, "12-3456789")

    assert "ends with a 2-digit suffix, usually 00" in caught.value.message


def test_bare_ior_with_a_bad_ein_prefix_hints_at_the_cbp_assigned_form():
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(K.IOR, "07345678900")

    assert "The EIN part of IOR number '07345678900'" in caught.value.message
    assert "YYDDPP-NNNNN" in caught.value.message


def test_checksum_message_asks_for_a_typing_check():
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(K.CBSA_BN, "123456789")

    assert caught.value.message == (
        "The Canadian Business Number '123456789' has a wrong check digit; "
        "check it for a typing mistake"
    )


def test_canadian_mid_message_lists_the_province_codes():
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(K.MID, "CAMAPMAK1234TOR")

    assert "XO" in caught.value.message
    assert "not CA" in caught.value.message


@pytest.mark.parametrize(
    "blank", [pytest.param("", id="empty"), pytest.param("   ", id="spaces"), None]
)
def test_blank_value_is_refused_as_empty(blank):
    with pytest.raises(IdentifierError) as caught:
        validate_identifier(K.EIN, blank)

    assert caught.value.code == "empty"


def test_unknown_kind_is_refused():
    with pytest.raises(IdentifierError) as caught:
        validate_identifier("passport", "X1234567")

    assert caught.value.code == "unknown_kind"
    assert not is_valid_identifier("passport", "X1234567")


def test_identifier_error_is_a_value_error_with_code_and_message():
    error = IdentifierError("invalid_format", "Bad value")

    assert isinstance(error, ValueError)
    assert (error.code, error.message, str(error)) == ("invalid_format", "Bad value", "Bad value")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("12-345678900", "ein", id="ein"),
        pytest.param("12345678900", "ein", id="ein-bare"),
        pytest.param("123-45-6789", "ssn", id="ssn"),
        pytest.param("981231-12345", "cbp_assigned", id="cbp-assigned"),
    ],
)
def test_ior_number_type(raw, expected):
    assert ior_number_type(raw) == expected


def test_ior_number_type_of_an_invalid_number_raises():
    with pytest.raises(IdentifierError):
        ior_number_type("12-34")


def test_country_table_is_the_249_iso_codes():
    assert len(ISO_3166_ALPHA2) == 249
    assert {"US", "CN", "VN", "MX", "SS", "CW", "SX", "BQ"} <= ISO_3166_ALPHA2
    assert not {"AN", "CS", "XK", "EU", "UK"} & ISO_3166_ALPHA2
    assert not MID_CANADIAN_PROVINCE_CODES & ISO_3166_ALPHA2
