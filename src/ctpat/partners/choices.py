"""Stable choice values for the partners app.

The values are lower-case snake strings stored in the database and exposed by the API: never
rename a value, only its label.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntityType(models.TextChoices):
    """CTPAT business entity types.

    source: PORTAL-UI `intelligence-gathering-questionnaire.ts` via DOMAIN.md §3.1.
    """

    IMPORTER = "importer", _("Importer")
    EXPORTER = "exporter", _("Exporter")
    FOREIGN_MANUFACTURER = "foreign_manufacturer", _("Foreign manufacturer")
    CUSTOMS_BROKER = "customs_broker", _("Licensed U.S. customs broker")
    CONSOLIDATOR = "consolidator", _("Consolidator / NVOCC / OTI")
    AIR_CARRIER = "air_carrier", _("Air carrier")
    SEA_CARRIER = "sea_carrier", _("Sea carrier")
    RAIL_CARRIER = "rail_carrier", _("Rail carrier")
    HIGHWAY_CARRIER_US_CANADA = "highway_carrier_us_canada", _("Highway carrier (U.S./Canada)")
    HIGHWAY_CARRIER_US_MEXICO = "highway_carrier_us_mexico", _("Highway carrier (U.S./Mexico)")
    MEXICAN_LONG_HAUL_CARRIER = "mexican_long_haul_carrier", _("Mexican long-haul highway carrier")
    US_MARINE_PORT_TERMINAL_OPERATOR = (
        "us_marine_port_terminal_operator",
        _("U.S. marine port or terminal operator"),
    )
    FOREIGN_MARINE_PORT_TERMINAL_OPERATOR = (
        "foreign_marine_port_terminal_operator",
        _("Foreign-based marine port terminal operator"),
    )
    THIRD_PARTY_LOGISTICS = "third_party_logistics", _("Third-party logistics provider (3PL)")


class MembershipStatus(models.TextChoices):
    """Security-program membership status; the legal moves are `rules.LEGAL_TRANSITIONS`.

    source: DOMAIN.md §3.1 (pre-applicant → certified, tiers I–III, suspension/removal/withdrawal).
    """

    PRE_APPLICANT = "pre_applicant", _("Pre-applicant")
    APPLICANT = "applicant", _("Applicant")
    CERTIFIED = "certified", _("Certified (Tier I)")
    VALIDATED = "validated", _("Validated (Tier II)")
    TIER_III = "tier_iii", _("Tier III")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExitGround(models.TextChoices):
    """Why a company left the program; each ground has its own wait before reapplying.

    source: DOMAIN.md §7.2 (CBP practice as reported by consultants) and 6 U.S.C. 967(b).
    """

    SUSPENSION_UNANSWERED = (
        "suspension_unanswered",
        _("Withdrawn after a suspension that was not answered in time"),
    )
    VOLUNTARY_WITHDRAWAL = "voluntary_withdrawal", _("Voluntary withdrawal")
    REMOVAL = "removal", _("Removed by CBP")
    FALSE_INFORMATION = (
        "false_information",
        _("Expelled for knowingly giving false or misleading information"),
    )


class IdentifierKind(models.TextChoices):
    """Business Entity Identifier (BEI) kinds; formats are checked by `identifiers.py`.

    source: PORTAL-UI `business-entity-information.component.html` and the vetting queries
    (bond, FMC, MID, DOT, SAT/RFC, SCAC) via DOMAIN.md §3.1; Canadian BN for non-resident
    Canadian importers (DOMAIN.md §2.2).
    """

    IOR = "ior", _("Importer of Record number (IOR)")
    BOND = "bond", _("CBP bond number")
    MID = "mid", _("Manufacturer ID (MID)")
    BROKER_LICENSE = "broker_license", _("Customs broker license number")
    FILER_CODE = "filer_code", _("ABI filer code")
    SCAC = "scac", _("Standard Carrier Alpha Code (SCAC)")
    IATA = "iata", _("IATA code")
    DOT = "dot", _("U.S. DOT number")
    FMC = "fmc", _("FMC organization or license number")
    SCT = "sct", _("Mexican SCT permit")
    DUNS = "duns", _("D-U-N-S number")
    EIN = "ein", _("U.S. Employer Identification Number (EIN)")
    RFC = "rfc", _("Mexican RFC")
    CBSA_BN = "cbsa_bn", _("Canadian Business Number (BN)")


class SVIStatus(models.TextChoices):
    """Status of a Status Verification Interface (SVI) connection request.

    source: PORTAL-UI `partner-monitoring-tab` (request status, accept/reject) via DOMAIN.md §3.3;
    `cancelled` (requester withdraws) and `disconnected` (either side ends it) are [K].
    """

    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    DISCONNECTED = "disconnected", _("Disconnected")
