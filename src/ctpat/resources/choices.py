"""Stable choice values for the resources library.

Values are stored in the database, in the seed file and in the API: never rename a value, only
its label. Audiences are the partner registry's business entity types
(``partners.choices.EntityType``) plus "all members" and "CBP staff".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctpat.partners.choices import EntityType


class ResourceKind(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance")
    FACT_SHEET = "fact_sheet", _("Fact sheet")
    LINK = "link", _("Link")
    FORM = "form", _("Form")
    TRAINING = "training", _("Training")


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


ALL_MEMBERS = "all_members"
CBP_STAFF = "cbp_staff"

# Who a resource is written for: every member, CBP's own staff, or particular entity types.
AUDIENCE_CHOICES: list[tuple[str, str]] = [
    (ALL_MEMBERS, "All members"),
    (CBP_STAFF, "CBP staff"),
    *((value, str(label)) for value, label in EntityType.choices),
]
AUDIENCE_VALUES = frozenset(value for value, _label in AUDIENCE_CHOICES)
AUDIENCE_LABELS = dict(AUDIENCE_CHOICES)


class Topic(models.TextChoices):
    """What a resource is about; the program areas of DOMAIN.md §1-§4."""

    FORCED_LABOR = "forced_labor", _("Forced labor")
    TRADE_COMPLIANCE = "trade_compliance", _("Trade compliance")
    SECURITY = "security", _("Supply-chain security (MSC)")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    AGRICULTURE = "agriculture", _("Agriculture")
    BUSINESS_PARTNERS = "business_partners", _("Business partners & SVI")
    REASONABLE_CARE = "reasonable_care", _("Reasonable care")
    MEMBERSHIP = "membership", _("Membership & validations")


class ResourceState(models.TextChoices):
    """Where a resource is, as CBP staff filter on it (derived from its revisions)."""

    DRAFT = "draft", _("Draft (never published)")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED_CHANGES = "unpublished_changes", _("Published, with unpublished changes")
    RETIRED = "retired", _("Retired")
