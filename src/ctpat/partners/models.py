"""The partner registry: CTPAT accounts, their identifiers, status history and SVI links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper

from ctpat.accounts import roles
from ctpat.accounts.models import Organization
from ctpat.core.countries import country_name
from ctpat.core.models import AuditedModel, PublicIdModel

from . import rules
from .choices import EntityType, ExitGround, IdentifierKind, MembershipStatus, SVIStatus


class Partner(PublicIdModel):
    """A company's CTPAT account: its business entity type and Security membership."""

    PUBLIC_ID_PREFIX = "CT"

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="partner"
    )
    entity_type = models.CharField(max_length=48, choices=EntityType.choices)
    dba_name = models.CharField("Doing business as", max_length=200, blank=True)
    country = models.CharField(max_length=2)
    city = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    website = models.URLField(blank=True)
    primary_contact_name = models.CharField(max_length=200, blank=True)
    primary_contact_email = models.EmailField(blank=True)
    primary_contact_phone = models.CharField(max_length=40, blank=True)

    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PRE_APPLICANT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_before_suspension = models.CharField(
        max_length=20, choices=MembershipStatus.choices, blank=True
    )
    applied_on = models.DateField(null=True, blank=True)
    certification_date = models.DateField(null=True, blank=True)
    last_validation_date = models.DateField(null=True, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True)
    # Why the company left (withdrawn / removed): decides its wait before reapplying.
    exit_ground = models.CharField(max_length=32, choices=ExitGround.choices, blank=True)
    # What a reversed removal restores (6 U.S.C. 967(c) appeals).
    status_before_removal = models.CharField(
        max_length=20, choices=MembershipStatus.choices, blank=True
    )
    assigned_scss = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_partners",
        verbose_name="Assigned SCSS",
    )

    svi_auto_accept = models.BooleanField("Accept SVI requests automatically", default=False)
    svi_share_more = models.BooleanField(
        "Share tier and primary contact with SVI connections", default=False
    )
    # Each party consents to the release of its company name (CBP SVI FAQ, DOMAIN.md §3.3).
    svi_directory_listed = models.BooleanField(
        "List the company name in the SVI directory so other members can find it",
        default=False,
    )

    class Meta:
        ordering = ["organization__name"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["entity_type"]),
            # The list's other orderings, and the account-number search (public_id__iexact).
            models.Index(fields=["country"], name="partner_country_idx"),
            models.Index(fields=["certification_date"], name="partner_certification_idx"),
            models.Index(Upper("public_id"), name="partner_public_id_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def tier(self) -> int | None:
        return rules.tier_for_status(self.status)

    @property
    def shared_status(self) -> str:
        """The status as an SVI connection sees it: a tiered status reads "certified" unless
        the partner chose to share its tier (the tier is part of the "share more" consent)."""
        if self.status in rules.TIER_BY_STATUS and not self.svi_share_more:
            return MembershipStatus.CERTIFIED
        return self.status

    @property
    def shared_status_label(self) -> str:
        if self.status in rules.TIER_BY_STATUS and not self.svi_share_more:
            return "Certified member"
        return self.get_status_display()

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """CBP staff see every partner; a partner's users see their own and SVI connections."""
        if roles.has_perm(viewer, "partner.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        own = Q(organization_id=viewer.organization_id)
        if action != "view":
            return own
        # Two semi-joins PostgreSQL runs once each (hashed subplans), not a join over both SVI
        # directions that multiplies rows and needs DISTINCT (issue 8, production scale).
        accepted = SVIConnection.objects.filter(status=SVIStatus.ACCEPTED).order_by()
        connected = Q(
            pk__in=accepted.filter(target__organization_id=viewer.organization_id).values(
                "requester_id"
            )
        ) | Q(
            pk__in=accepted.filter(requester__organization_id=viewer.organization_id).values(
                "target_id"
            )
        )
        return own | connected


class PartnerIdentifier(PublicIdModel):
    """A business entity identifier (IOR, bond, MID, SCAC, ...)."""

    PUBLIC_ID_PREFIX = "BEI"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=24, choices=IdentifierKind.choices)
    value = models.CharField(max_length=40)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "value"]
        # The partner search matches identifiers case-insensitively (value__iexact).
        indexes = [models.Index(Upper("value"), name="identifier_value_upper_idx")]
        # Unique per partner, not globally: a global check would let any partner probe
        # (or squat on) another company's identifiers; CBP sees claims shared by two partners.
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "value"],
                condition=Q(is_active=True),
                name="identifier_active_unique_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_value}"

    @property
    def display_value(self) -> str:
        """The value as shown anywhere: an SSN-based IOR number is personal data, masked."""
        from .identifiers import IdentifierError, ior_number_type

        if self.kind == IdentifierKind.IOR:
            try:
                if ior_number_type(self.value) == "ssn":
                    return "***-**-" + self.value[-4:]
            except IdentifierError:
                pass
        return self.value

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if roles.has_perm(viewer, "partner.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        return Q(partner__organization_id=viewer.organization_id)


class StatusChange(AuditedModel):
    """One step of a partner's membership lifecycle: who, when, why."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=MembershipStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    effective_date = models.DateField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    # The exit ground of a withdrawal or removal; blank for every other move.
    exit_ground = models.CharField(max_length=32, choices=ExitGround.choices, blank=True)
    # A removal made at once in aggravated circumstances (DOMAIN.md §7.2).
    immediate = models.BooleanField(default=False)
    # An appeal decision (6 U.S.C. 967(c)) made this move: its public id.
    appeal = models.CharField(max_length=24, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_status or '—'} → {self.to_status}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if roles.has_perm(viewer, "partner.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        return Q(partner__organization_id=viewer.organization_id)


class SVIConnection(PublicIdModel):
    """A status-verification link: ``requester`` asks to see ``target``'s CTPAT status and
    vice versa once accepted (DOMAIN.md §3.3)."""

    PUBLIC_ID_PREFIX = "SVI"

    requester = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="svi_requests_sent"
    )
    target = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="svi_requests_received"
    )
    status = models.CharField(max_length=16, choices=SVIStatus.choices, default=SVIStatus.PENDING)
    message = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    # Asked for by the account number the target gave the requester (the target may not be
    # listed in the directory): its name stays hidden from the requester until it accepts.
    requested_by_number = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("target")), name="svi_not_self"),
        ]

    def __str__(self) -> str:
        return f"SVI {self.requester} → {self.target_display}"

    @property
    def target_name_hidden(self) -> bool:
        """Whether the requester may not yet know the target's name (asked by number and
        never accepted: pending, rejected or cancelled)."""
        return self.requested_by_number and self.status not in (
            SVIStatus.ACCEPTED,
            SVIStatus.DISCONNECTED,
        )

    @property
    def target_display(self) -> str:
        """The target as the requester may see it: its name, or its account number."""
        if self.target_name_hidden:
            return f"the company with account number {self.target.public_id}"
        return self.target.name

    def other_party(self, partner: Partner) -> Partner:
        return self.target if partner.pk == self.requester_id else self.requester

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if roles.has_perm(viewer, "partner.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        # The viewer's own partner (at most one, looked up by a unique key) compared on each
        # side: two index lookups PostgreSQL can estimate, not an OR over two joins.
        own = (
            Partner.objects.filter(organization_id=viewer.organization_id)
            .values_list("pk", flat=True)
            .first()
        )
        if own is None:
            return False
        return Q(requester_id=own) | Q(target_id=own)


class CertificationRequest(PublicIdModel):
    """An invitation e-mailed to a business partner that is not (yet) a CTPAT member."""

    PUBLIC_ID_PREFIX = "CRQ"

    requester = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="certification_requests"
    )
    company_name = models.CharField(max_length=200)
    email = models.EmailField()
    message = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Certification request to {self.company_name}"

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        if roles.has_perm(viewer, "partner.view_all"):
            return True
        if viewer.organization_id is None:
            return False
        return Q(requester__organization_id=viewer.organization_id)


class CountryInvitation(PublicIdModel):
    """CBP's invitation for a company from outside its entity type's countries to join.

    CBP invites foreign manufacturers outside Mexico and Canada and foreign-based marine port
    and terminal operators (`eligibility.INVITATION_TYPES`). A program admin records it for a
    company (by name, or an existing partner), for one entity type and country, with a reason;
    registering that company links it here. A withdrawn invitation no longer counts. These are
    CBP's records: partners never see them.
    """

    PUBLIC_ID_PREFIX = "INV"

    company_name = models.CharField(max_length=200)
    entity_type = models.CharField(max_length=48, choices=EntityType.choices)
    country = models.CharField(max_length=2)
    reason = models.TextField()
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="country_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entity_type", "country"])]

    def __str__(self) -> str:
        return f"CBP invitation for {self.company_name}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def state_label(self) -> str:
        if not self.is_active:
            return "Withdrawn"
        return "Used by a registered company" if self.partner_id else "Open"

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @classmethod
    def visible_to(cls, viewer, action: str = "view"):
        """CBP staff only; a partner never sees invitations, not even its own."""
        return roles.has_perm(viewer, "partner.view_all")
