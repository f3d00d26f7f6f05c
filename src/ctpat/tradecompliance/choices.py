"""Stable choice values for Trade Compliance.

Values are stored in the database, in the question-set files (``data/``) and in the API: never
rename a value, only its label.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionKey(models.TextChoices):
    """The parts of the Trade Compliance question set, in the order they are asked.

    source: DOMAIN.md §2.2 (eligibility questionnaire, MOU + program questionnaire), §2.3
    (internal-control topics), §2.4 (the six forced-labor requirements).
    """

    ELIGIBILITY = "eligibility", _("Eligibility")
    INTERNAL_CONTROLS = "internal_controls", _("Internal controls")
    FORCED_LABOR = "forced_labor", _("Forced labor")
    MOU = "mou", _("Memorandum of Understanding")


class AnswerType(models.TextChoices):
    """How a question is answered (``ApplicationAnswer`` keeps the answer by question code)."""

    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Written description")
    DOCUMENT = "document", _("Document upload")
    ACKNOWLEDGEMENT = "acknowledgement", _("Agreement")


class Confidence(models.TextChoices):
    """How sure we are of a question's wording or topic, as DOMAIN.md tags its facts.

    source: DOMAIN.md preamble — [V] seen verbatim, [I] inferred / secondary, [K] background
    knowledge, not verified against a primary source.
    """

    VERIFIED = "V", _("Seen in a public source")
    INFERRED = "I", _("Inferred from a secondary source")
    BACKGROUND = "K", _("Background knowledge: to confirm against the Handbook")


class MembershipOrigin(models.TextChoices):
    """How a company became a Trade Compliance member."""

    APPLICATION = "application", _("Approved application")
    PILOT_MIGRATION = "pilot_migration", _("Migrated from the ISA / Trade Compliance pilot")
    # A member CBP accepted before this installation, entered by hand from CBP's own records.
    RECORDED = "recorded", _("Recorded by CBP (accepted before ctpat)")


class MembershipStatus(models.TextChoices):
    """Trade Compliance membership states (separate from the Security membership).

    source: DOMAIN.md §2.2 (TC account status), §3.1 (suspension with a 90-day response window,
    removal) — we apply the Security program's suspension path to Trade Compliance [I].
    """

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicationStatus(models.TextChoices):
    """Where a Trade Compliance application is (``rules.APPLICATION_TRANSITIONS``).

    source: DOMAIN.md §2.2 — the TC account record tracks the application status, submitted
    date, the assigned National Account Manager and the agreement signature [V]; the states
    between submission and decision are ours [K].
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    RESPONSE_SUBMITTED = "response_submitted", _("Response submitted")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicationStepKind(models.TextChoices):
    """What one entry of an application's timeline records."""

    STARTED = "started", _("Application started")
    MOU_SIGNED = "mou_signed", _("Memorandum of Understanding signed")
    SUBMITTED = "submitted", _("Application submitted")
    ASSIGNED = "assigned", _("National Account Manager assigned")
    INFORMATION_REQUESTED = "information_requested", _("More information requested")
    RESPONSE_SUBMITTED = "response_submitted", _("Response submitted")
    QUESTIONNAIRE_UPGRADED = "questionnaire_upgraded", _("Moved to a new questionnaire version")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # 6 U.S.C. 967(c): a denial set aside on appeal sends the application back under review.
    REOPENED_ON_APPEAL = "reopened_on_appeal", _("Denial set aside on appeal")


class ForcedLaborObligationState(models.TextChoices):
    """Where an existing member's forced-labor obligation is (stored). Whether it is overdue is
    computed from the deadline (``rules.forced_labor_status``), never stored.

    source: DOMAIN.md §7.4 — existing members had until 1 Aug 2023 to meet the requirements;
    the submit / review steps are ours, like the application's [K].
    """

    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted, awaiting CBP")
    MET = "met", _("Met")
