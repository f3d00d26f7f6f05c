"""CTPAT Trade Compliance: the versioned question set, and what a partner says before applying.

* ``QuestionnaireVersion`` — one published edition of the application questions. Published
  versions never change; CBP publishes a new version when it adds questions (the seed FAQ:
  forced-labor and social-compliance validation questions). The highest number is current; an
  application (later) records the version it answers and keeps it unless CBP asks for the new one.
* ``QuestionnaireSection`` — a part of a version (eligibility, internal controls, forced labor,
  MOU) with its handbook guidance, in our words, and its sources.
* ``Question`` — one question as one version asks it. ``code`` is stable across versions, so
  answers follow it from one version to the next; ``msc_criteria`` lists the MSC criteria that
  ask the same thing (answer once across programs).
* ``TradeComplianceProfile`` — facts the eligibility rule needs that the partner registry does
  not hold: when the company started importing, whether it has an unpaid final debt to CBP,
  whether a Canadian company is a non-resident importer. Self-declared by the company (or
  recorded by CBP).
* ``ReadinessAnswers`` — the company's latest answers to the eligibility questions, for the
  readiness check. Each save is an audit event holding the answers, every input of the rule and
  its decision, so any past check can be reproduced.

* ``Application`` and its ``ApplicationAnswer``s, ``ApplicationDocument``s,
  ``InformationRequest`` rounds and ``ApplicationStep`` timeline — the company's application
  (``rules.APPLICATION_TRANSITIONS``); its users and CBP staff see it.

The question set is public reference data: anyone may read it, signed in or not (the seed FAQ:
the questions are published for review before anyone applies). Profiles and readiness answers
belong to the partner: its own users and CBP staff see them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctpat.accounts import roles
from ctpat.core.models import AuditedModel, PublicIdModel, StoredFileModel
from ctpat.partners.models import Partner, PartnerIdentifier

from . import questionset
from .choices import (
    AnswerType,
    ApplicationStatus,
    ApplicationStepKind,
    Confidence,
    ForcedLaborObligationState,
    MembershipOrigin,
    MembershipStatus,
    SectionKey,
)
from .loading import QUESTION_ID_PREFIX, VERSION_ID_PREFIX


class QuestionnaireVersion(PublicIdModel):
    """One published edition of the Trade Compliance application questions."""

    PUBLIC_ID_PREFIX = VERSION_ID_PREFIX

    number = models.PositiveIntegerField(unique=True, help_text="1, 2, 3 ... in publication order.")
    label = models.CharField(max_length=questionset.LABEL_MAX_LENGTH)
    notes = models.TextField(blank=True, help_text="What this version changes and why.")
    source = models.CharField(
        max_length=questionset.SOURCE_MAX_LENGTH, blank=True, help_text="File it was loaded from."
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Trade Compliance questions, version {self.number}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """Public reference data; nobody changes a published version."""
        return action == "view"


class QuestionnaireSection(AuditedModel):
    """A part of a questionnaire version, with its handbook guidance."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField(max_length=24, choices=SectionKey.choices)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=questionset.TITLE_MAX_LENGTH)
    guidance = models.TextField(help_text="Handbook guidance in our words, summarising sources.")
    sources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="tc_section_unique_key"),
            models.UniqueConstraint(
                fields=["version", "position"], name="tc_section_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version.number})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return action == "view"


class Question(PublicIdModel):
    """One question as one version asks it."""

    PUBLIC_ID_PREFIX = QUESTION_ID_PREFIX

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        QuestionnaireSection, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(help_text="1, 2, ... within the section.")
    code = models.CharField(
        max_length=questionset.CODE_MAX_LENGTH, help_text="Stable across versions, e.g. ELIG-04."
    )
    text = models.TextField()
    help_text = models.TextField(blank=True)
    answer_type = models.CharField(max_length=16, choices=AnswerType.choices)
    required = models.BooleanField(default=True)
    source = models.CharField(max_length=questionset.SOURCE_MAX_LENGTH)
    confidence = models.CharField(max_length=1, choices=Confidence.choices)
    msc_criteria = models.JSONField(
        "MSC criteria asking the same", default=list, blank=True, help_text='e.g. ["3.9"]'
    )

    class Meta:
        ordering = ["version", "section__position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="tc_question_unique_code"),
            models.UniqueConstraint(fields=["section", "number"], name="tc_question_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code} (version {self.version.number})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return action == "view"


def _own_partner_or_cbp(viewer, action: str, *, change_any: str | None, change_own: str):
    """CBP staff see every partner's record; a partner's users see their own. Changes follow
    ``change_any`` (any partner's; None: nobody's) and ``change_own`` (the own company's)."""
    if action == "view":
        if roles.has_perm(viewer, "tradecompliance.readiness_view_all"):
            return True
        if roles.has_perm(viewer, "tradecompliance.readiness_own") and viewer.organization_id:
            return Q(partner__organization_id=viewer.organization_id)
        return False
    if change_any is not None and roles.has_perm(viewer, change_any):
        return True
    if roles.has_perm(viewer, change_own) and viewer.organization_id:
        return Q(partner__organization_id=viewer.organization_id)
    return False


class TradeComplianceProfile(AuditedModel):
    """The company's own statements that the eligibility rule needs (self-declared)."""

    partner = models.OneToOneField(Partner, on_delete=models.PROTECT, related_name="tc_profile")
    import_history_start = models.DateField(
        "First import",
        null=True,
        blank=True,
        help_text="When the company first imported into the United States as Importer of Record.",
    )
    # Since issue 7 the question is CBP's own: an unpaid *final* debt (rules.CBP_DEBT_WORDING);
    # migration 0007 cleared the "yes" answers given to the earlier "any debt" question.
    has_cbp_debt = models.BooleanField(
        "Has an unpaid final debt to CBP",
        null=True,
        blank=True,
        help_text="Empty until the company says.",
    )
    is_non_resident_canadian = models.BooleanField(
        "Non-resident Canadian importer",
        default=False,
        help_text="A Canadian company importing into the U.S. without a U.S. establishment.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Facts CBP recorded (names from rules.CBP_RECORDABLE_FACTS): they take precedence over the
    # company's statements; only CBP changes or clears them, the company may dispute them.
    cbp_recorded_facts = models.JSONField(default=list, blank=True)
    dispute_note = models.TextField(blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Trade Compliance profile"

    def __str__(self) -> str:
        return f"Trade Compliance profile of {self.partner}"

    def recorded_by_cbp(self, fact: str) -> bool:
        return fact in (self.cbp_recorded_facts or [])

    @property
    def import_history_recorded_by_cbp(self) -> bool:
        return self.recorded_by_cbp("import_history_start")

    @property
    def cbp_debt_recorded_by_cbp(self) -> bool:
        return self.recorded_by_cbp("has_cbp_debt")

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_partner_or_cbp(
            viewer,
            action,
            change_any="tradecompliance.profile_change_any",
            change_own="tradecompliance.profile_change_own",
        )


class ReadinessAnswers(AuditedModel):
    """The company's latest answers to the eligibility questions (not an application)."""

    partner = models.OneToOneField(
        Partner, on_delete=models.PROTECT, related_name="tc_readiness_answers"
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The questionnaire version the answers were given to.",
    )
    answers = models.JSONField(
        default=dict, help_text='Question code -> true/false, e.g. {"ELIG-04": true}.'
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Trade Compliance readiness answers"
        verbose_name_plural = "Trade Compliance readiness answers"

    def __str__(self) -> str:
        return f"Trade Compliance readiness answers of {self.partner}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _own_partner_or_cbp(
            viewer,
            action,
            # The answers are the company's own statements: CBP reads them, never gives them.
            change_any=None,
            change_own="tradecompliance.readiness_own",
        )


class TradeComplianceMembership(PublicIdModel):
    """A company's Trade Compliance membership: its account number, acceptance date and the
    Importer of Record numbers it covers. Made when CBP approves an application, or when a CBP
    admin migrates a legacy ISA / pilot participant. The acceptance date drives the Annual
    Notification Letter schedule (``ctpat.annualnotices``)."""

    PUBLIC_ID_PREFIX = "TCM"

    partner = models.OneToOneField(Partner, on_delete=models.PROTECT, related_name="tc_membership")
    account_number = models.CharField(max_length=16, unique=True)
    accepted_on = models.DateField(help_text="The day CBP accepted the company into the program.")
    origin = models.CharField(max_length=20, choices=MembershipOrigin.choices)
    status = models.CharField(
        max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    status_changed_on = models.DateField(null=True, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    ior_numbers = models.ManyToManyField(
        PartnerIdentifier,
        related_name="tc_memberships",
        blank=True,
        help_text="The Importer of Record numbers the membership covers.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["account_number"]
        verbose_name = "Trade Compliance membership"

    def __str__(self) -> str:
        return f"{self.account_number} ({self.partner})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """The company's own users and CBP staff read it; only CBP changes it."""
        if action == "view":
            return _own_partner_or_cbp(viewer, "view", change_any=None, change_own="")
        return bool(roles.has_perm(viewer, "tradecompliance.membership_manage"))


# --- Applications --------------------------------------------------------------------------------


def _application_visible_to(viewer, action: str, *, path: str = ""):
    """CBP staff see every application; a partner's users their own company's. Partner users
    change their own drafts; CBP reviewers act on any (services check which action)."""
    own = Q(**{f"{path}partner__organization_id": viewer.organization_id})
    if action == "view":
        if roles.has_perm(viewer, "tradecompliance.application_view_all"):
            return True
        if roles.has_perm(viewer, "tradecompliance.application_edit") and viewer.organization_id:
            return own
        return False
    if roles.has_perm(viewer, "tradecompliance.application_review"):
        return True
    if roles.has_perm(viewer, "tradecompliance.application_edit") and viewer.organization_id:
        return own
    return False


class Application(PublicIdModel):
    """A company's application to CTPAT Trade Compliance, answering one questionnaire version.

    The answers are ``ApplicationAnswer`` rows (one per question code), uploads are
    ``ApplicationDocument``s, CBP's questions ``InformationRequest`` rounds and the timeline
    ``ApplicationStep``s. The MOU signature is recorded here: who signed, when, the name the
    officer typed and which MOU text they signed.
    """

    PUBLIC_ID_PREFIX = "TCA"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="tc_applications")
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="The questionnaire version the application answers.",
    )
    status = models.CharField(
        max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    ior_numbers = models.ManyToManyField(
        PartnerIdentifier, related_name="tc_applications", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_nam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tc_applications_assigned",
        verbose_name="National Account Manager",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    membership = models.OneToOneField(
        TradeComplianceMembership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    mou_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mou_signed_at = models.DateTimeField(null=True, blank=True)
    mou_signer_name = models.CharField(
        "Name typed by the signing officer", max_length=200, blank=True
    )
    mou_text_version = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open application per company at a time.
            models.UniqueConstraint(
                fields=["partner"],
                condition=~Q(status__in=["approved", "denied", "withdrawn"]),
                name="tc_application_one_open_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"Trade Compliance application {self.public_id} ({self.partner})"

    @property
    def mou_signed(self) -> bool:
        return self.mou_signed_at is not None

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _application_visible_to(viewer, action)


class ApplicationAnswer(AuditedModel):
    """One answer, by question code (codes are stable across questionnaire versions)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(max_length=questionset.CODE_MAX_LENGTH)
    yes_no = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)
    acknowledged = models.BooleanField(default=False)
    public_url = models.CharField(max_length=500, blank=True)
    reused_from = models.JSONField(
        default=dict,
        blank=True,
        help_text="When accepted from the security profile: msc_id, answered_at, version, source.",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["application", "code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="tc_answer_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} of {self.application.public_id}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _application_visible_to(viewer, action, path="application__")


class InformationRequest(PublicIdModel):
    """One round of "CBP asks, the company answers" during review."""

    PUBLIC_ID_PREFIX = "TCR"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    round = models.PositiveSmallIntegerField()
    questions = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "round"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="tc_rfi_unique_round")
        ]

    def __str__(self) -> str:
        return f"Round {self.round} of {self.application.public_id}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _application_visible_to(viewer, action, path="application__")


class ApplicationDocument(StoredFileModel):
    """An uploaded file: for a document question (``code``) or a response round. Stored under
    MEDIA_ROOT with a random name; downloaded only through a permission-checked view."""

    PUBLIC_ID_PREFIX = "TCD"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=questionset.CODE_MAX_LENGTH, blank=True)
    information_request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )

    class Meta:
        ordering = ["application", "created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.application.public_id})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _application_visible_to(viewer, action, path="application__")


class ApplicationStep(AuditedModel):
    """One entry of the application's timeline, written by the service that took the step."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=32, choices=ApplicationStepKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.application.public_id})"

    @property
    def to_status_label(self) -> str:
        return str(ApplicationStatus(self.to_status).label) if self.to_status else ""

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _application_visible_to(viewer, action, path="application__")


class AccountNumberSequence(models.Model):
    """The last Trade Compliance account number given (one row). Grants lock this one row
    instead of every membership, so a pilot migration of thousands of companies stays linear; the
    unique constraint on ``TradeComplianceMembership.account_number`` remains the backstop. Not
    audited itself: each number given is recorded by the grant's audit event."""

    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"last Trade Compliance account number: {self.last}"


# --- Forced-labor obligation of existing members -------------------------------------------------


def _obligation_visible_to(viewer, action: str, *, path: str = ""):
    """The member's own users and CBP staff read it; the member's officer submits and CBP's
    membership managers decide (the services check which)."""
    own = Q(**{f"{path}membership__partner__organization_id": viewer.organization_id})
    if action == "view":
        if roles.has_perm(viewer, "tradecompliance.readiness_view_all"):
            return True
        if roles.has_perm(viewer, "tradecompliance.readiness_own") and viewer.organization_id:
            return own
        return False
    if roles.has_perm(viewer, "tradecompliance.membership_manage"):
        return True
    if roles.has_perm(viewer, "tradecompliance.application_submit") and viewer.organization_id:
        return own
    return False


class ForcedLaborObligation(PublicIdModel):
    """A member accepted before the forced-labor cut-off (1 Aug 2022 by default) owes CBP the
    forced-labor requirements, due on the deadline (1 Aug 2023): DOMAIN.md §7.4. Made by
    ``membership_grant`` (and migration 0008 for memberships that existed before). The state is
    open → submitted (the officer's statement and documents) → met, or back to open when CBP
    returns it; "overdue" is computed (``rules.forced_labor_status``)."""

    PUBLIC_ID_PREFIX = "TFL"

    membership = models.OneToOneField(
        TradeComplianceMembership, on_delete=models.CASCADE, related_name="forced_labor_obligation"
    )
    state = models.CharField(
        max_length=12,
        choices=ForcedLaborObligationState.choices,
        default=ForcedLaborObligationState.OPEN,
    )
    statement = models.TextField(
        blank=True, help_text="How the company meets the forced-labor requirements."
    )
    code_of_conduct_url = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    met_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cbp_note = models.TextField(
        "CBP note", blank=True, help_text="CBP's note on the decision, or why it was returned."
    )
    returned_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["membership__account_number"]
        verbose_name = "forced-labor obligation"

    def __str__(self) -> str:
        return f"Forced-labor obligation of {self.membership.account_number}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _obligation_visible_to(viewer, action)


class ForcedLaborDocument(StoredFileModel):
    """Evidence for the obligation, by the application's forced-labor document codes (FL-CODE:
    the code of conduct; FL-EVIDENCE: evidence it is carried out). Stored under MEDIA_ROOT with a
    random name through ``ctpat.core.uploads``; downloaded only through a permission-checked
    view."""

    PUBLIC_ID_PREFIX = "TFD"

    obligation = models.ForeignKey(
        ForcedLaborObligation, on_delete=models.CASCADE, related_name="documents"
    )
    code = models.CharField(max_length=questionset.CODE_MAX_LENGTH)

    class Meta:
        ordering = ["obligation", "created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.obligation.public_id})"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        return _obligation_visible_to(viewer, action, path="obligation__")
