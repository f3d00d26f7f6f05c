"""Roles and what each may do: the one permission table for the UI and the API.

A user belongs to exactly one organization and holds one role; the role must fit the
organization's kind (CBP roles in a CBP office, partner roles in a partner company, ...).
"""

from __future__ import annotations

from .choices import OrganizationKind, Role

CBP_ROLES = frozenset({Role.CBP_ADMIN, Role.SCSS, Role.NAM, Role.FLD_REVIEWER})
PARTNER_ROLES = frozenset({Role.PARTNER_OFFICER, Role.PARTNER_COMPLIANCE})

ROLES_BY_ORGANIZATION_KIND: dict[str, frozenset[str]] = {
    OrganizationKind.CBP: CBP_ROLES,
    OrganizationKind.PARTNER: PARTNER_ROLES,
    OrganizationKind.AUDIT_FIRM: frozenset({Role.AUDITOR}),
    OrganizationKind.MRA_CUSTOMS: frozenset({Role.MRA_REVIEWER}),
}

# permission code -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    # Partner registry
    "partner.view_all": CBP_ROLES,
    "partner.create": frozenset({Role.CBP_ADMIN}),
    "partner.change_any": frozenset({Role.CBP_ADMIN, Role.SCSS}),
    "partner.change_own": PARTNER_ROLES,
    "partner.transition_any": frozenset({Role.CBP_ADMIN, Role.SCSS}),
    "partner.transition_own": frozenset({Role.PARTNER_OFFICER}),
    # CBP invites companies from outside their entity type's countries (eligibility.py).
    "partner.invite": frozenset({Role.CBP_ADMIN}),
    # Immediate removal in aggravated circumstances (DOMAIN.md §7.2): a program admin's decision.
    "partner.remove_immediately": frozenset({Role.CBP_ADMIN}),
    # Suspension cases and appeals (ctpat.enforcement): the member reads its own, its officer
    # answers a suspension and files appeals; CBP reads all; the SCSS or a program admin
    # reviews an answer; a program admin decides appeals (6 U.S.C. 967(c)).
    "enforcement.view_all": CBP_ROLES,
    "enforcement.view_own": PARTNER_ROLES,
    "enforcement.answer_own": frozenset({Role.PARTNER_OFFICER}),
    "enforcement.review": frozenset({Role.CBP_ADMIN, Role.SCSS}),
    "appeal.file_own": frozenset({Role.PARTNER_OFFICER}),
    "appeal.decide": frozenset({Role.CBP_ADMIN}),
    "identifier.change_any": frozenset({Role.CBP_ADMIN, Role.SCSS}),
    "identifier.change_own": PARTNER_ROLES,
    # Status verification (SVI): a company officer signs the SVI agreement (DOMAIN.md §3.3).
    "svi.request": PARTNER_ROLES,
    "svi.decide": frozenset({Role.PARTNER_OFFICER}),
    "svi.settings": frozenset({Role.PARTNER_OFFICER}),
    "svi.certification_request": PARTNER_ROLES,
    # Minimum Security Criteria catalog: published versions are readable by everyone signed in;
    # drafts are CBP's until a program admin publishes them (criteria/models.py).
    "criteria.view_drafts": CBP_ROLES,
    "criteria.edit": frozenset({Role.CBP_ADMIN}),
    "criteria.publish": frozenset({Role.CBP_ADMIN}),
    # Trade Compliance: the question set is public; readiness (eligibility before applying) is
    # the partner's own, read by CBP; facts are self-declared by the officer or recorded by CBP.
    "tradecompliance.readiness_view_all": CBP_ROLES,
    "tradecompliance.readiness_own": PARTNER_ROLES,
    "tradecompliance.profile_change_any": frozenset({Role.CBP_ADMIN, Role.SCSS, Role.NAM}),
    "tradecompliance.profile_change_own": frozenset({Role.PARTNER_OFFICER}),
    "tradecompliance.questionnaire_publish": frozenset({Role.CBP_ADMIN}),
    # Trade Compliance membership (account number, status) is CBP's to grant and change.
    "tradecompliance.membership_manage": frozenset({Role.CBP_ADMIN, Role.NAM}),
    # Annual Notification Letters: the member's users draft, a company officer signs and files
    # (DOMAIN.md §2.6); CBP reads all; a NAM or program admin acknowledges or returns a letter;
    # program admins migrate legacy ISA / pilot participants.
    "anl.view_all": CBP_ROLES,
    "anl.own": PARTNER_ROLES,
    "anl.file": frozenset({Role.PARTNER_OFFICER}),
    "anl.review": frozenset({Role.CBP_ADMIN, Role.NAM}),
    "anl.pilot_import": frozenset({Role.CBP_ADMIN}),
    # Trade Compliance applications: only a company officer launches, signs the MOU, submits or
    # withdraws (DOMAIN.md §2.2 "Company Officer → Actions → Launch Trade Compliance"); the
    # company's compliance users help fill in drafts and answer CBP's questions. CBP staff read
    # every application; a program admin assigns a National Account Manager (or a NAM takes it
    # up), who asks for information and decides.
    "tradecompliance.application_start": frozenset({Role.PARTNER_OFFICER}),
    "tradecompliance.application_edit": PARTNER_ROLES,
    "tradecompliance.application_submit": frozenset({Role.PARTNER_OFFICER}),
    "tradecompliance.application_view_all": CBP_ROLES,
    "tradecompliance.application_assign_any": frozenset({Role.CBP_ADMIN}),
    "tradecompliance.application_self_assign": frozenset({Role.NAM}),
    "tradecompliance.application_review": frozenset({Role.CBP_ADMIN, Role.NAM}),
    # Resources library: published resources are read by everyone signed in; drafts and retired
    # ones by CBP staff; program admins curate. A customs broker's users share published
    # resources with their SVI-connected clients (the seed FAQ: brokers educate their clients).
    "resources.view_drafts": CBP_ROLES,
    "resources.edit": frozenset({Role.CBP_ADMIN}),
    "resources.publish": frozenset({Role.CBP_ADMIN}),
    "resources.share": PARTNER_ROLES,
    "resources.view_all_shares": CBP_ROLES,
    # Security profiles (self-assessment + annual review): the partner's officer and compliance
    # users answer, the officer submits, the SCSS (or a program admin) decides; CBP reads all.
    "profile.view_all": CBP_ROLES,
    "profile.answer_own": PARTNER_ROLES,
    "profile.submit_own": frozenset({Role.PARTNER_OFFICER}),
    "profile.decide": frozenset({Role.SCSS, Role.CBP_ADMIN}),
    "profile.enforce_reviews": frozenset({Role.CBP_ADMIN}),
    # Administration
    "audit.view_all": frozenset({Role.CBP_ADMIN}),
    "organization.view_all": CBP_ROLES,
    "organization.manage": frozenset({Role.CBP_ADMIN}),
    "user.manage": frozenset({Role.CBP_ADMIN}),
    "admin_site": frozenset({Role.CBP_ADMIN}),
}

# Roles that must use a second factor (TOTP) to reach anything past log-in.
TWO_FACTOR_ROLES = CBP_ROLES


def has_perm(user, code: str) -> bool:
    if code not in PERMISSIONS:
        raise KeyError(f"Unknown permission code {code!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return getattr(user, "role", None) in PERMISSIONS[code]


def is_cbp(user) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) in CBP_ROLES


def is_partner_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) in PARTNER_ROLES


def requires_two_factor(user) -> bool:
    return getattr(user, "role", None) in TWO_FACTOR_ROLES


def role_fits_organization(role: str, organization_kind: str) -> bool:
    return role in ROLES_BY_ORGANIZATION_KIND.get(organization_kind, frozenset())
