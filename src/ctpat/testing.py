"""Test factories for every app (not part of core: they create users, organizations and partners,
so they sit above the apps). They create data through the services, exactly as the product does."""

from __future__ import annotations

import itertools

from ctpat.accounts.choices import OrganizationKind, Role
from ctpat.accounts.models import Organization, User
from ctpat.accounts.services import organization_create, user_create

TEST_PASSWORD = "correct-horse-battery-staple-42"
_seq = itertools.count(1)

# Identifiers that satisfy each entity type's BEI requirements, for tests and the demo.
_VALID_IDENTIFIERS = {
    "importer": [("ior", "12-345678{n:03d}"), ("bond", "BD{n:07d}")],
}


def unique(prefix: str) -> str:
    return f"{prefix}{next(_seq)}"


def make_organization(
    kind: str = OrganizationKind.PARTNER, name: str | None = None, country: str = "US"
) -> Organization:
    return organization_create(
        actor=None, name=name or unique(f"{kind} org "), kind=kind, country=country
    )


def make_user(role: str, organization: Organization | None = None, **kw) -> User:
    from ctpat.accounts import roles

    if organization is None:
        kind = next(k for k, rs in roles.ROLES_BY_ORGANIZATION_KIND.items() if role in rs)
        if kind == OrganizationKind.PARTNER:
            organization = make_partner().organization
        else:
            organization = make_organization(kind)
    username = kw.pop("username", None) or unique(f"{role}-")
    return user_create(
        actor=None,
        organization=organization,
        username=username,
        email=f"{username}@example.test",
        role=role,
        password=kw.pop("password", TEST_PASSWORD),
        **kw,
    )


# Test partners are registered in the past, so tests can record later, back-dated events the
# way CBP would; their status moves are dated today unless a test says otherwise.
REGISTERED_DAYS_AGO = 400


def eligible_country(entity_type: str) -> str:
    """A country a company of ``entity_type`` may join from without an invitation."""
    from ctpat.partners import eligibility

    countries = eligibility.eligible_countries(entity_type)
    if countries:
        return countries[0]
    # No limit: a U.S. company; invitation-only (foreign port operators): a foreign one.
    return "US" if countries is None else "NL"


def make_partner(
    name: str | None = None,
    entity_type: str = "foreign_manufacturer",
    country: str | None = None,
    status: str | None = None,
    directory_listed: bool = True,
    invited: bool = False,
    **profile,
):
    """A partner with valid identifiers for its type, optionally moved to ``status``.

    ``country`` defaults to one the type may join from (Mexico for foreign manufacturers).
    ``invited``: CBP records an invitation first (foreign manufacturers outside Mexico and
    Canada, foreign-based port operators). Test partners consent to the SVI directory unless
    ``directory_listed=False``.
    """
    from ctpat.partners.services import invitation_create, partner_register

    n = next(_seq)
    country = country or eligible_country(entity_type)
    name = name or f"Partner {n} Co."
    invitation = ""
    if invited:
        invitation = invitation_create(
            actor=None,
            entity_type=entity_type,
            country=country,
            company_name=name,
            reason="Invited by CBP for the test.",
        ).public_id
    identifiers = identifiers_for(entity_type, n, country)
    partner = partner_register(
        actor=None,
        name=name,
        entity_type=entity_type,
        country=country,
        identifiers=identifiers,
        invitation=invitation,
        **{"registered_on": _days_ago(REGISTERED_DAYS_AGO), **profile},
    )
    if status:
        move_partner_to(partner, status)
        partner.refresh_from_db()
    if directory_listed:
        from ctpat.partners.services import partner_update_svi_settings

        partner = partner_update_svi_settings(
            actor=None,
            partner=partner,
            auto_accept=False,
            share_more=False,
            directory_listed=True,
        )
    return partner


def _days_ago(days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() - timedelta(days=days)


def identifiers_for(entity_type: str, n: int, country: str = "MX") -> list[tuple[str, str]]:
    """Valid identifiers satisfying ``entity_type``'s requirements, unique per ``n``."""
    digits = f"{n:05d}"[-5:]
    # A Canadian manufacturer's MID starts with its province code (Ontario: XO), not CA.
    mid_country = "XO" if country == "CA" else country
    by_kind = {
        "ior": f"12-3{digits}{digits[:1]}00",
        "bond": f"B{digits}{digits[:3]}",
        "mid": f"{mid_country}ACME{digits[-4:]}SHA",
        "broker_license": digits,
        "filer_code": f"F{digits[-2:]}",
        "scac": "".join(chr(65 + int(d)) for d in digits[-4:]),
        "iata": f"{chr(65 + int(digits[-1]))}{digits[-1]}",
        "dot": f"1{digits}",
        "fmc": f"0{digits}",
        "sct": f"SCT{digits}",
        "duns": f"0{digits}123",
        "ein": f"12-3{digits}0",
    }
    from ctpat.partners import rules

    chosen = []
    for group in rules.required_identifiers(entity_type):
        kind = next((k for k in group if k in by_kind), group[0])
        chosen.append((kind, by_kind[kind]))
    if not chosen:
        chosen.append(("duns", by_kind["duns"]))
    return chosen


# The shortest legal path from pre_applicant to each status.
PATHS = {
    "pre_applicant": [],
    "applicant": ["applicant"],
    "certified": ["applicant", "certified"],
    "validated": ["applicant", "certified", "validated"],
    "tier_iii": ["applicant", "certified", "validated", "tier_iii"],
    "suspended": ["applicant", "certified", "suspended"],
    "removed": ["applicant", "certified", "suspended", "removed"],
    "withdrawn": ["withdrawn"],
}


def move_partner_to(partner, status: str, effective_date=None):
    from ctpat.partners.services import partner_transition

    for step in PATHS[status]:
        partner = partner_transition(
            actor=None,
            partner=partner,
            target=step,
            reason=f"test: to {step}",
            effective_date=effective_date,
        )
    return partner


def login_role_user(role: str, partner=None) -> User:
    org = partner.organization if partner is not None else None
    return make_user(role, organization=org)


ALL_ROLES = [r.value for r in Role]
