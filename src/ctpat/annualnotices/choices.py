"""Stable choice values for Annual Notification Letters and pilot imports.

Values are stored in the database and shown in the API: never rename a value, only its label.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    """Where a letter is: the partner drafts and files it; CBP acknowledges or returns it."""

    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by CBP")
    RETURNED = "returned", _("Returned for corrections")


class ChangeType(models.TextChoices):
    """Kinds of business or organizational change a letter reports.

    source: DOMAIN.md §2.6 (ISA-era content: business changes) and §2.2 Q13 (notify CBP of all
    major organizational changes); the list of kinds is ours [K].
    """

    OWNERSHIP = "ownership", _("Ownership")
    NAME = "name", _("Company name")
    ADDRESS = "address", _("Address")
    IOR_NUMBERS = "ior_numbers", _("Importer of Record numbers")
    KEY_PERSONNEL = "key_personnel", _("Key personnel")
    BUSINESS_MODEL = "business_model", _("Business model")
    OTHER = "other", _("Other")


class PeriodStatus(models.TextChoices):
    """The state of one ANL period (computed by ``rules.period_status``, never stored)."""

    UPCOMING = "upcoming", _("Upcoming")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    FILED_ON_TIME = "filed_on_time", _("Filed on time")
    FILED_LATE = "filed_late", _("Filed late")


class ImportStatus(models.TextChoices):
    """A pilot-migration upload: refused with errors, checked and waiting, or committed."""

    INVALID = "invalid", _("Refused: errors found")
    VALIDATED = "validated", _("Checked: waiting for confirmation")
    COMMITTED = "committed", _("Imported")
