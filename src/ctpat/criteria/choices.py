"""Stable choice values for the criteria catalog.

Values are stored in the database, in the catalog files and in the API: never rename a value,
only its label. Business entity types are the partner registry's (`partners.choices.EntityType`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FocusArea(models.TextChoices):
    """The three focus areas the 12 MSC categories are grouped in.

    source: DOMAIN.md §1.1 (titles seen in DOCSLIB-IMP / SEEDER; the grouping is [K]).
    """

    CORPORATE = "corporate_security", _("Corporate Security")
    TRANSPORTATION = "transportation_security", _("Transportation Security")
    PEOPLE_PHYSICAL = "people_physical_security", _("People & Physical Security")


class Category(models.IntegerChoices):
    """The 12 MSC categories; a criterion ID starts with its category number ("3.9" is in 3).

    source: DOMAIN.md §1.1 [V for titles seen in DOCSLIB-IMP / SEEDER].
    """

    SECURITY_VISION = 1, _("Security Vision & Responsibility")
    RISK_ASSESSMENT = 2, _("Risk Assessment")
    BUSINESS_PARTNERS = 3, _("Business Partners")
    CYBERSECURITY = 4, _("Cybersecurity")
    CONVEYANCE_IIT = 5, _("Conveyance & Instruments of International Traffic (IIT) Security")
    SEAL_SECURITY = 6, _("Seal Security")
    PROCEDURAL_SECURITY = 7, _("Procedural Security")
    AGRICULTURAL_SECURITY = 8, _("Agricultural Security")
    PHYSICAL_SECURITY = 9, _("Physical Security")
    PHYSICAL_ACCESS_CONTROLS = 10, _("Physical Access Controls")
    PERSONNEL_SECURITY = 11, _("Personnel Security")
    EDUCATION_TRAINING = 12, _("Education, Training & Awareness")


# source: DOMAIN.md §1.1 — categories 1-4 corporate, 5-8 transportation, 9-12 people & physical [K]
FOCUS_AREA_BY_CATEGORY: dict[int, str] = {
    **dict.fromkeys((1, 2, 3, 4), FocusArea.CORPORATE),
    **dict.fromkeys((5, 6, 7, 8), FocusArea.TRANSPORTATION),
    **dict.fromkeys((9, 10, 11, 12), FocusArea.PEOPLE_PHYSICAL),
}


class Level(models.TextChoices):
    """How binding a criterion is: "must" is required, "should" recommended.

    source: bsigroup.com "CTPAT Minimum Security Criteria Revision (Part Three)", DOMAIN.md §1.1.
    """

    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


class Program(models.TextChoices):
    """The CTPAT program a criterion belongs to (DOMAIN.md §6 item 2)."""

    SECURITY = "security", _("Security")
    TRADE_COMPLIANCE = "trade_compliance", _("Trade Compliance")


class Tag(models.TextChoices):
    """Topic tags, so members can find e.g. every forced-labor or cybersecurity criterion.

    Trade Compliance has no cybersecurity or agriculture requirements (DOMAIN.md §0), which is
    why those two are tags of their own.
    """

    FORCED_LABOR = "forced_labor", _("Forced labor")
    SOCIAL_COMPLIANCE = "social_compliance", _("Social compliance")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    IT = "it", _("IT systems and equipment")
    AGRICULTURE = "agriculture", _("Agriculture and pests")
    SEALS = "seals", _("Seals")
    TRAINING = "training", _("Training")
    MANAGEMENT = "management", _("Management commitment")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    CARGO_MAPPING = "cargo_mapping", _("Cargo mapping")
    BUSINESS_CONTINUITY = "business_continuity", _("Business continuity")
    BUSINESS_PARTNERS = "business_partners", _("Business partners")
    MONEY_LAUNDERING = "money_laundering", _("Money laundering and terrorist funding")
    CONVEYANCE_INSPECTION = "conveyance_inspection", _("Conveyance and IIT inspection")
    CONVEYANCE_TRACKING = "conveyance_tracking", _("Conveyance tracking")
    CARGO_HANDLING = "cargo_handling", _("Cargo handling")
    CARGO_DOCUMENTATION = "cargo_documentation", _("Cargo documentation")
    INCIDENT_RESPONSE = "incident_response", _("Incidents and reporting")
    PHYSICAL_SECURITY = "physical_security", _("Physical security")
    SECURITY_TECHNOLOGY = "security_technology", _("Security technology")
    ACCESS_CONTROL = "access_control", _("Access control")
    PERSONNEL_SECURITY = "personnel_security", _("Personnel security")
    WRITTEN_PROCEDURES = "written_procedures", _("Written procedures")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ChangeKind(models.TextChoices):
    """What publishing a version changed about one criterion (`rules.changes_between`)."""

    ADDED = "added", _("Added")
    REMOVED = "removed", _("Removed")
    REWORDED = "reworded", _("Reworded")
    UPGRADED = "upgraded", _("Upgraded")
    DOWNGRADED = "downgraded", _("Downgraded")
    UPDATED = "updated", _("Details updated")


class TableStatus(models.TextChoices):
    """How much of a business entity type's CBP criteria table a version holds
    (``rules.table_status``; DOMAIN.md §7.6)."""

    NONE = "none", _("No criteria loaded")
    PARTIAL = "partial", _("Partial table")
    FULL = "full", _("Full table")
