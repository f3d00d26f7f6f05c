"""Who may join CTPAT by business entity type and country, as pure functions.

CBP publishes one eligibility page per entity type; each sets where the company must be
incorporated or have its staffed business office. A few types take companies from other
countries only by CBP invitation. The rules take plain values (entity type, ISO country code,
whether CBP invited the company) and return a `rules.Decision` whose reasons name the rule and
cite CBP's page, so every refusal says why and where it is written.

Tags follow DOMAIN.md §7: [V] seen on the CBP page cited, [S] secondary source only, [NV] not
verified. [S]/[NV] types have no country limit unless a deployment sets one (settings
`CTPAT_AIR_CARRIER_COUNTRIES`, `CTPAT_SEA_CARRIER_COUNTRIES`), and say so in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from ctpat.core.countries import country_name

from .choices import EntityType
from .rules import Decision

_E = EntityType

US, CA, MX = "US", "CA", "MX"

CBP = "U.S. Customs and Border Protection"
_GUIDELINES = (
    "https://www.cbp.gov/border-security/ports-entry/cargo-security/ctpat/security-guidelines"
)


@dataclass(frozen=True, slots=True)
class Citation:
    """A public source as users see it: title, publisher, date (as published or seen), link."""

    title: str
    publisher: str
    date: str
    url: str

    def text(self) -> str:
        return f"“{self.title}”, {self.publisher}, {self.date}, {self.url}"


@dataclass(frozen=True, slots=True)
class CountryRule:
    """Where a company of one entity type may be based to join.

    ``countries`` None means no country limit. ``invitation`` says whether CBP may invite a
    company from elsewhere. ``confirmed`` is False for limits no CBP page confirmed ([S]/[NV]).
    """

    entity_type: str
    countries: tuple[str, ...] | None
    invitation: bool
    requirement: str
    citation: Citation | None
    confirmed: bool = True
    # Countries that never qualify, even by invitation (the type exists for them elsewhere).
    excluded: tuple[str, ...] = ()
    excluded_reason: str = ""


class EligibilityCode(StrEnum):
    """Stable machine codes of country-eligibility refusals (API error codes)."""

    OK = "ok"
    UNKNOWN_ENTITY_TYPE = "unknown_entity_type"
    COUNTRY_NOT_ELIGIBLE = "country_not_eligible"
    INVITATION_REQUIRED = "invitation_required"


# The CBP pages carry no publication date; a citation says when it was read.
SEEN = "undated, accessed December 2026"

# source: CBP "Foreign Manufacturers" eligibility page [V]: "Be an active Manufacturer
# incorporated in Mexico or Canada"; CBP "CTPAT for Foreign Manufacturers" (FAST pages) [V]:
# "open to manufacturers in Mexico, Canada and other Foreign Manufacturers by invitation only"
# (DOMAIN.md §7.3).
FOREIGN_MANUFACTURER_COUNTRIES = (MX, CA)
# source: CBP "Importers" page [V] "U.S. Importer or Non-Resident Canadian Importer", office
# staffed in the U.S. or Canada (DOMAIN.md §7.3).
IMPORTER_COUNTRIES = (US, CA)
# source: CBP "Highway Carriers" page [V] "Have a business office staffed in the U.S., Mexico or
# Canada" (DOMAIN.md §7.3); the page does not tie the office to the border crossed.
HIGHWAY_CARRIER_COUNTRIES = (US, MX, CA)
# source: CBP "Mexican Long Haul Highway Carriers" page (mirror) [V] "Does not cross the U.S.
# border" — a Mexican carrier (DOMAIN.md §7.3).
MEXICAN_LONG_HAUL_COUNTRIES = (MX,)
# source: CBP "Rail Carriers" page [V] office in the U.S., Canada or Mexico (DOMAIN.md §7.3).
RAIL_CARRIER_COUNTRIES = (US, CA, MX)
# source: CBP "Customs Brokers", "Air Freight Consolidators, Ocean Transportation Intermediaries
# and NVOCCs", "Exporters" and "Marine Port Authority and Terminal Operators" pages [V]: office
# staffed in the U.S. / U.S.-based (DOMAIN.md §7.3).
US_OFFICE_COUNTRIES = (US,)
# source: CBP "Third Party Logistics Providers 3PL" page [V] "have an office staffed in the
# United States" (cbp.gov …/security-guidelines/third-party-logistics-providers; not yet in
# DOMAIN.md §7.3, which lists 3PLs only as an eligible type).
THIRD_PARTY_LOGISTICS_COUNTRIES = (US,)

COUNTRY_RULES: dict[str, CountryRule] = {
    _E.IMPORTER: CountryRule(
        _E.IMPORTER,
        IMPORTER_COUNTRIES,
        invitation=False,
        requirement="An importer must be a U.S. importer or a Non-Resident Canadian Importer "
        "with a business office staffed in the United States or Canada.",
        citation=Citation("Importers", CBP, SEEN, f"{_GUIDELINES}/importers"),
    ),
    _E.EXPORTER: CountryRule(
        _E.EXPORTER,
        US_OFFICE_COUNTRIES,
        invitation=False,
        requirement="An exporter must be a U.S. exporter with a business office staffed in "
        "the United States.",
        citation=Citation(
            "Exporters",
            CBP,
            SEEN,
            "https://www.cbp.gov/border-security/ports-entry/cargo-security/Exporters",
        ),
    ),
    _E.FOREIGN_MANUFACTURER: CountryRule(
        _E.FOREIGN_MANUFACTURER,
        FOREIGN_MANUFACTURER_COUNTRIES,
        invitation=True,
        requirement="A foreign manufacturer must be incorporated in Mexico or Canada; "
        "manufacturers in other countries may join only by invitation from CBP.",
        citation=Citation(
            "Foreign Manufacturers", CBP, SEEN, f"{_GUIDELINES}/foreign-manufacturers"
        ),
        excluded=(US,),
        excluded_reason="A manufacturer in the United States is not a foreign manufacturer; "
        "a U.S. company that ships goods abroad may apply as an exporter.",
    ),
    _E.CUSTOMS_BROKER: CountryRule(
        _E.CUSTOMS_BROKER,
        US_OFFICE_COUNTRIES,
        invitation=False,
        requirement="A customs broker must be a licensed U.S. customs broker with a business "
        "office staffed in the United States.",
        citation=Citation("Customs Brokers", CBP, SEEN, f"{_GUIDELINES}/customs-brokers"),
    ),
    _E.CONSOLIDATOR: CountryRule(
        _E.CONSOLIDATOR,
        US_OFFICE_COUNTRIES,
        invitation=False,
        requirement="A consolidator, ocean transportation intermediary or NVOCC must have a "
        "business office staffed in the United States.",
        citation=Citation(
            "Air Freight Consolidators, Ocean Transportation Intermediaries and Non-Vessel "
            "Operating Common Carriers (NVOCC)",
            CBP,
            SEEN,
            f"{_GUIDELINES}/air-freight-ocean-transport-nvocc",
        ),
    ),
    _E.AIR_CARRIER: CountryRule(
        _E.AIR_CARRIER,
        None,
        invitation=False,
        requirement="An air carrier must carry cargo to the United States; no country limit "
        "is applied, because CBP's current eligibility page for air carriers could not be "
        "confirmed (a policy choice).",
        citation=None,
        confirmed=False,
    ),
    _E.SEA_CARRIER: CountryRule(
        _E.SEA_CARRIER,
        None,
        invitation=False,
        requirement="No country limit is applied to sea carriers, because CBP's current "
        "eligibility page for sea carriers could not be confirmed (a policy choice).",
        citation=None,
        confirmed=False,
    ),
    _E.RAIL_CARRIER: CountryRule(
        _E.RAIL_CARRIER,
        RAIL_CARRIER_COUNTRIES,
        invitation=False,
        requirement="A rail carrier must carry shipments from Canada or Mexico and have a "
        "business office staffed in the United States, Canada or Mexico.",
        citation=Citation("Rail Carriers", CBP, SEEN, f"{_GUIDELINES}/rail-carriers"),
    ),
    _E.HIGHWAY_CARRIER_US_CANADA: CountryRule(
        _E.HIGHWAY_CARRIER_US_CANADA,
        HIGHWAY_CARRIER_COUNTRIES,
        invitation=False,
        requirement="A highway carrier must cross the U.S./Canada or U.S./Mexico border and "
        "have a business office staffed in the United States, Mexico or Canada.",
        citation=Citation("Highway Carriers", CBP, SEEN, f"{_GUIDELINES}/highway-carriers"),
    ),
    _E.HIGHWAY_CARRIER_US_MEXICO: CountryRule(
        _E.HIGHWAY_CARRIER_US_MEXICO,
        HIGHWAY_CARRIER_COUNTRIES,
        invitation=False,
        requirement="A highway carrier must cross the U.S./Mexico or U.S./Canada border and "
        "have a business office staffed in the United States, Mexico or Canada; a carrier "
        "that crosses both borders applies as a Mexican carrier.",
        citation=Citation("Highway Carriers", CBP, SEEN, f"{_GUIDELINES}/highway-carriers"),
    ),
    _E.MEXICAN_LONG_HAUL_CARRIER: CountryRule(
        _E.MEXICAN_LONG_HAUL_CARRIER,
        MEXICAN_LONG_HAUL_COUNTRIES,
        invitation=False,
        requirement="A Mexican long-haul carrier must be a Mexican carrier that carries cargo "
        "bound for the United States without crossing the U.S. border.",
        citation=Citation(
            "Mexican Long Haul Highway Carriers",
            CBP,
            SEEN,
            f"{_GUIDELINES}/mexican-long-haul-highway-carriers",
        ),
    ),
    _E.US_MARINE_PORT_TERMINAL_OPERATOR: CountryRule(
        _E.US_MARINE_PORT_TERMINAL_OPERATOR,
        US_OFFICE_COUNTRIES,
        invitation=False,
        requirement="A U.S. marine port authority or terminal operator must operate in the "
        "United States with a business office staffed there.",
        citation=Citation(
            "Marine Port Authority and Terminal Operators (MPTO)",
            CBP,
            SEEN,
            f"{_GUIDELINES}/marine-port-authority-terminal-operators",
        ),
    ),
    _E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR: CountryRule(
        _E.FOREIGN_MARINE_PORT_TERMINAL_OPERATOR,
        (),
        invitation=True,
        requirement="A foreign-based marine port or terminal operator may join only by "
        "invitation from CBP.",
        citation=Citation(
            "Marine Port Authority and Terminal Operators (MPTO)",
            CBP,
            SEEN,
            f"{_GUIDELINES}/marine-port-authority-terminal-operators",
        ),
        excluded=(US,),
        excluded_reason="An operator in the United States applies as a U.S. marine port or "
        "terminal operator, not as a foreign-based one.",
    ),
    _E.THIRD_PARTY_LOGISTICS: CountryRule(
        _E.THIRD_PARTY_LOGISTICS,
        THIRD_PARTY_LOGISTICS_COUNTRIES,
        invitation=False,
        requirement="A third-party logistics provider must have a business office staffed "
        "in the United States.",
        citation=Citation(
            "Third Party Logistics Providers 3PL",
            CBP,
            SEEN,
            f"{_GUIDELINES}/third-party-logistics-providers",
        ),
    ),
}

# Entity types whose country limit is unconfirmed; a deployment may set one (see module doc).
UNCONFIRMED_TYPES: frozenset[str] = frozenset(
    t for t, rule in COUNTRY_RULES.items() if not rule.confirmed
)
# Entity types CBP may invite from countries outside their list.
INVITATION_TYPES: frozenset[str] = frozenset(
    t for t, rule in COUNTRY_RULES.items() if rule.invitation
)


def country_rule(
    entity_type: str, unconfirmed_limits: Mapping[str, tuple[str, ...]] | None = None
) -> CountryRule:
    """The rule for ``entity_type``, with a deployment's limit for an unconfirmed type applied.

    ValueError for an unknown entity type.
    """
    try:
        rule = COUNTRY_RULES[entity_type]
    except KeyError:
        raise ValueError(f"{entity_type!r} is not a business entity type") from None
    limit = (unconfirmed_limits or {}).get(entity_type)
    if not rule.confirmed and limit:
        names = _country_list(limit)
        return CountryRule(
            entity_type,
            tuple(limit),
            invitation=False,
            requirement=f"{_ENTITY_NAMES[entity_type]} must be based in {names} (a policy "
            "choice of this deployment: CBP's current eligibility page for this type could "
            "not be confirmed).",
            citation=None,
            confirmed=False,
        )
    return rule


_ENTITY_NAMES: dict[str, str] = {
    _E.AIR_CARRIER: "An air carrier",
    _E.SEA_CARRIER: "A sea carrier",
}


def _country_list(codes: tuple[str, ...]) -> str:
    names = [country_name(c) for c in codes]
    if len(names) <= 2:
        return " or ".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def rule_text(rule: CountryRule) -> str:
    """The rule as one or two sentences with its source, for help text and refusals."""
    if rule.citation is None:
        return rule.requirement
    return f"{rule.requirement} Source: {rule.citation.text()}."


def entity_country_decision(
    entity_type: str,
    country: str,
    invited: bool = False,
    *,
    unconfirmed_limits: Mapping[str, tuple[str, ...]] | None = None,
) -> Decision:
    """May a company of ``entity_type`` based in ``country`` join, given whether CBP invited it?

    ``country`` is an ISO 3166-1 alpha-2 code (incorporation for manufacturers, the staffed
    business office for everyone else). An invitation counts only for the types CBP invites
    (foreign manufacturers, foreign-based marine port and terminal operators).
    """
    if entity_type not in COUNTRY_RULES:
        return Decision.refuse(
            EligibilityCode.UNKNOWN_ENTITY_TYPE, f"{entity_type!r} is not a business entity type."
        )
    rule = country_rule(entity_type, unconfirmed_limits)
    country = (country or "").strip().upper()
    where = country_name(country) or country or "an unknown country"
    if country in rule.excluded:
        return Decision.refuse(
            EligibilityCode.COUNTRY_NOT_ELIGIBLE, rule.excluded_reason, rule_text(rule)
        )
    if rule.countries is None or country in rule.countries:
        return Decision.ok(rule_text(rule))
    if rule.invitation:
        if invited:
            return Decision.ok(f"CBP invited this company to join from {where}.", rule_text(rule))
        return Decision.refuse(
            EligibilityCode.INVITATION_REQUIRED,
            f"A company based in {where} can join as this type only by invitation from CBP, "
            "and no invitation is on record.",
            rule_text(rule),
        )
    return Decision.refuse(
        EligibilityCode.COUNTRY_NOT_ELIGIBLE,
        f"A company based in {where} cannot join as this type.",
        rule_text(rule),
    )


def eligible_countries(
    entity_type: str, unconfirmed_limits: Mapping[str, tuple[str, ...]] | None = None
) -> tuple[str, ...] | None:
    """The countries that qualify without an invitation; None when there is no limit."""
    return country_rule(entity_type, unconfirmed_limits).countries
