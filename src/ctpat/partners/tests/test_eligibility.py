"""Eligibility by entity type and country (CBP's eligibility pages), as specifications."""

from __future__ import annotations

import pytest

from ctpat.partners import eligibility
from ctpat.partners.choices import EntityType
from ctpat.partners.eligibility import EligibilityCode, entity_country_decision

E = EntityType

# (entity type, country, invited, allowed, code when refused)
CASES = [
    # Foreign manufacturers: incorporated in Mexico or Canada; elsewhere only by invitation.
    (E.FOREIGN_MANUFACTURER, "MX", False, True, None),
    (E.FOREIGN_MANUFACTURER, "CA", False, True, None),
    (E.FOREIGN_MANUFACTURER, "CN", False, False, EligibilityCode.INVITATION_REQUIRED),
    (E.FOREIGN_MANUFACTURER, "VN", False, False, EligibilityCode.INVITATION_REQUIRED),
    (E.FOREIGN_MANUFACTURER, "CN", True, True, None),
    (E.FOREIGN_MANUFACTURER, "US", False, False, EligibilityCode.COUNTRY_NOT_ELIGIBLE),
    (E.FOREIGN_MANUFACTURER, "US", True, False, EligibilityCode.COUNTRY_NOT_ELIGIBLE),
    # Foreign-based marine port terminal operators: by invitation only.
    (E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR, "NL", False, False, "invitation_required"),
    (E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR, "MX", False, False, "invitation_required"),
    (E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR, "NL", True, True, None),
    (E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR, "US", True, False, "country_not_eligible"),
    # U.S. marine port / terminal operators: U.S.-based; an invitation changes nothing.
    (E.US_MARINE_PORT_TERMINAL_OPERATOR, "US", False, True, None),
    (E.US_MARINE_PORT_TERMINAL_OPERATOR, "NL", False, False, "country_not_eligible"),
    (E.US_MARINE_PORT_TERMINAL_OPERATOR, "NL", True, False, "country_not_eligible"),
    # Importers: U.S. or non-resident Canadian; office in the U.S. or Canada.
    (E.IMPORTER, "US", False, True, None),
    (E.IMPORTER, "CA", False, True, None),
    (E.IMPORTER, "MX", False, False, "country_not_eligible"),
    (E.IMPORTER, "CN", True, False, "country_not_eligible"),
    # Highway carriers: office in the U.S., Mexico or Canada (both designations).
    (E.HIGHWAY_CARRIER_US_MEXICO, "MX", False, True, None),
    (E.HIGHWAY_CARRIER_US_MEXICO, "US", False, True, None),
    (E.HIGHWAY_CARRIER_US_MEXICO, "GT", False, False, "country_not_eligible"),
    (E.HIGHWAY_CARRIER_US_CANADA, "CA", False, True, None),
    (E.HIGHWAY_CARRIER_US_CANADA, "US", False, True, None),
    (E.HIGHWAY_CARRIER_US_CANADA, "MX", False, True, None),
    (E.HIGHWAY_CARRIER_US_CANADA, "DE", False, False, "country_not_eligible"),
    # Mexican long-haul carriers: Mexico only.
    (E.MEXICAN_LONG_HAUL_CARRIER, "MX", False, True, None),
    (E.MEXICAN_LONG_HAUL_CARRIER, "US", False, False, "country_not_eligible"),
    (E.MEXICAN_LONG_HAUL_CARRIER, "CA", False, False, "country_not_eligible"),
    # Rail carriers: office in the U.S., Canada or Mexico.
    (E.RAIL_CARRIER, "US", False, True, None),
    (E.RAIL_CARRIER, "CA", False, True, None),
    (E.RAIL_CARRIER, "MX", False, True, None),
    (E.RAIL_CARRIER, "PA", False, False, "country_not_eligible"),
    # Brokers, consolidators, exporters, 3PLs: an office staffed in the U.S.
    (E.CUSTOMS_BROKER, "US", False, True, None),
    (E.CUSTOMS_BROKER, "CA", False, False, "country_not_eligible"),
    (E.CONSOLIDATOR, "US", False, True, None),
    (E.CONSOLIDATOR, "HK", False, False, "country_not_eligible"),
    (E.EXPORTER, "US", False, True, None),
    (E.EXPORTER, "MX", False, False, "country_not_eligible"),
    (E.THIRD_PARTY_LOGISTICS, "US", False, True, None),
    (E.THIRD_PARTY_LOGISTICS, "MX", False, False, "country_not_eligible"),
    # Air and sea carriers: no confirmed limit, so none by default.
    (E.AIR_CARRIER, "FR", False, True, None),
    (E.AIR_CARRIER, "US", False, True, None),
    (E.SEA_CARRIER, "DK", False, True, None),
    (E.SEA_CARRIER, "MX", False, True, None),
]


@pytest.mark.parametrize(
    ("entity_type", "country", "invited", "allowed", "code"),
    CASES,
    ids=[f"{t}-{c}-{'invited' if i else 'uninvited'}" for t, c, i, _, _ in CASES],
)
def test_each_entity_type_and_country(entity_type, country, invited, allowed, code):
    decision = entity_country_decision(entity_type, country, invited)
    assert decision.allowed is allowed
    if allowed:
        assert decision.code == "ok"
    else:
        assert decision.code == code
        assert decision.reasons, "a refusal says why"


def test_every_entity_type_has_a_rule():
    assert set(eligibility.COUNTRY_RULES) == set(EntityType.values)


@pytest.mark.parametrize("entity_type", sorted(eligibility.COUNTRY_RULES))
def test_a_confirmed_rule_cites_the_public_cbp_page_and_an_unconfirmed_one_says_so(entity_type):
    rule = eligibility.COUNTRY_RULES[entity_type]
    if rule.confirmed:
        assert rule.citation is not None
        assert rule.citation.publisher == "U.S. Customs and Border Protection"
        assert rule.citation.url.startswith("https://www.cbp.gov/")
        assert rule.citation.title and rule.citation.date
    else:
        assert rule.citation is None
        assert "policy choice" in rule.requirement
        assert rule.countries is None


def test_a_refusal_names_the_rule_and_cites_the_cbp_page():
    decision = entity_country_decision(E.FOREIGN_MANUFACTURER, "CN", False)
    text = " ".join(decision.reasons)
    assert "China" in text
    assert "invitation" in text
    assert "incorporated in Mexico or Canada" in text
    assert "“Foreign Manufacturers”, U.S. Customs and Border Protection" in text
    assert (
        "https://www.cbp.gov/border-security/ports-entry/cargo-security/ctpat/"
        "security-guidelines/foreign-manufacturers" in text
    )
    for reason in decision.reasons:
        assert reason[0].isupper() and reason.rstrip().endswith("."), reason


def test_a_us_manufacturer_is_told_to_apply_as_an_exporter():
    decision = entity_country_decision(E.FOREIGN_MANUFACTURER, "US", True)
    assert "exporter" in decision.reasons[0]


def test_an_invited_company_is_allowed_and_the_reason_says_it_was_invited():
    decision = entity_country_decision(E.FOREIGN_MANUFACTURER, "BD", True)
    assert decision.allowed
    assert "CBP invited" in decision.reasons[0] and "Bangladesh" in decision.reasons[0]


def test_country_codes_are_read_in_any_case():
    assert entity_country_decision(E.IMPORTER, " ca ", False).allowed


def test_an_unknown_entity_type_is_refused_with_its_own_code():
    decision = entity_country_decision("spaceport", "US", False)
    assert not decision.allowed and decision.code == "unknown_entity_type"


def test_a_deployment_may_limit_an_unconfirmed_type_and_the_rule_says_it_is_a_policy_choice():
    limits = {E.SEA_CARRIER: ("US", "MX")}
    refused = entity_country_decision(E.SEA_CARRIER, "DK", False, unconfirmed_limits=limits)
    assert not refused.allowed and refused.code == "country_not_eligible"
    assert "United States or Mexico" in " ".join(refused.reasons)
    assert "policy choice" in " ".join(refused.reasons)
    assert entity_country_decision(E.SEA_CARRIER, "MX", False, unconfirmed_limits=limits).allowed
    # Air carriers keep no limit: only the listed type is limited.
    assert entity_country_decision(E.AIR_CARRIER, "DK", False, unconfirmed_limits=limits).allowed


def test_a_deployment_cannot_loosen_a_confirmed_rule():
    limits = {E.IMPORTER: ("MX",)}
    assert not entity_country_decision(E.IMPORTER, "MX", False, unconfirmed_limits=limits).allowed


def test_only_manufacturers_and_foreign_port_operators_are_invited():
    assert {
        E.FOREIGN_MANUFACTURER,
        E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR,
    } == eligibility.INVITATION_TYPES
    assert {E.AIR_CARRIER, E.SEA_CARRIER} == eligibility.UNCONFIRMED_TYPES
