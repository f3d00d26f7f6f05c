"""Role limits inside one organization, driven by the permission table.

Inside a partner company the officer acts and the compliance user helps: every officer-only
action refuses the compliance user and writes nothing. Inside CBP the program admin, the SCSS,
the NAM and the Forced Labor Division reviewer each reach only their own pages and actions.
Each case names the permission that guards it, so the table and the code cannot drift apart.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.accounts import roles
from ctpat.core.models import AuditEvent

PARTNER_ROLES = ["partner_officer", "partner_compliance"]
CBP_ROLES = ["cbp_admin", "scss", "nam", "fld_reviewer"]


@pytest.fixture
def company(db, make_partner, make_user, cbp_org):
    """A certified importer with a user of each partner role, a pending SVI request to it, and
    a user of each CBP role."""
    from ctpat.partners import services

    alpha = make_partner(
        name="Alpha Roles Imports", entity_type="importer", country="US", status="validated"
    )
    other = make_partner(
        name="Other Roles Works",
        entity_type="foreign_manufacturer",
        country="MX",
        status="certified",
    )
    other_officer = make_user("partner_officer", organization=other.organization)
    users = {role: make_user(role, organization=alpha.organization) for role in PARTNER_ROLES}
    users.update({role: make_user(role, organization=cbp_org) for role in CBP_ROLES})
    pending = services.svi_request(actor=other_officer, target=alpha)
    target_user = make_user("partner_compliance", organization=alpha.organization)
    return {"alpha": alpha, "users": users, "pending": pending, "target_user": target_user}


def _partner_actions(world):
    alpha, pending = world["alpha"], world["pending"]
    pid = alpha.public_id
    return [
        # (label, permission, url, data)
        (
            "change the membership status",
            "partner.transition_own",
            reverse("partners:status_history", kwargs={"partner_id": pid}),
            {"target": "withdrawn", "reason": "We leave."},
        ),
        (
            "change the SVI settings",
            "svi.settings",
            reverse("partners:svi_settings"),
            {"auto_accept": "on", "share_more": "on"},
        ),
        (
            "accept an SVI request",
            "svi.decide",
            reverse("partners:svi_accept", kwargs={"connection_id": pending.public_id}),
            {},
        ),
        (
            "declare the Trade Compliance facts",
            "tradecompliance.profile_change_own",
            reverse("tradecompliance:readiness_profile", kwargs={"partner_id": pid}),
            {"import_history_start": "2019-01-01", "has_cbp_debt": "no"},
        ),
        (
            "dispute CBP's record of the facts",
            "tradecompliance.profile_change_own",
            reverse("tradecompliance:readiness_profile_dispute", kwargs={"partner_id": pid}),
            {"note": "Wrong."},
        ),
        (
            "launch Trade Compliance",
            "tradecompliance.application_start",
            reverse("tradecompliance:application_start"),
            {},
        ),
    ]


@pytest.mark.parametrize("index", range(6))
def test_officer_only_actions_refuse_the_compliance_user_and_write_nothing(login, company, index):
    label, perm, url, data = _partner_actions(company)[index]
    assert roles.has_perm(company["users"]["partner_officer"], perm), label
    compliance = company["users"]["partner_compliance"]
    assert not roles.has_perm(compliance, perm), label
    client = login(compliance)
    before = AuditEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 403, (label, response.status_code)
    assert AuditEvent.objects.count() == before, label


def test_the_compliance_user_still_helps_where_the_table_allows(login, company):
    """Compliance users answer the security profile and see the company's SVI page."""
    client = login(company["users"]["partner_compliance"])
    assert client.get(reverse("partners:svi")).status_code == 200
    assert client.get(reverse("profiles:home")).status_code in (200, 302)


def _cbp_pages():
    return [
        ("the user pages", "user.manage", lambda w: reverse("accounts:users")),
        (
            "a user's page",
            "user.manage",
            lambda w: reverse(
                "accounts:user_detail", kwargs={"user_id": w["target_user"].public_id}
            ),
        ),
        ("the audit log", "audit.view_all", lambda w: reverse("core:audit_log")),
        ("register a partner", "partner.create", lambda w: reverse("partners:create")),
        (
            "publish a questionnaire",
            "tradecompliance.questionnaire_publish",
            lambda w: reverse("tradecompliance:publish"),
        ),
        ("CBP invitations", "partner.view_all", lambda w: reverse("partners:invitations")),
        ("the ANL overview", "anl.view_all", lambda w: reverse("annualnotices:overview")),
        ("pilot imports", "anl.pilot_import", lambda w: reverse("annualnotices:pilot_imports")),
    ]


@pytest.mark.parametrize("role", CBP_ROLES)
@pytest.mark.parametrize("index", range(8))
def test_each_cbp_role_reaches_only_its_pages(login, company, role, index):
    label, perm, url = _cbp_pages()[index]
    user = company["users"][role]
    status = login(user).get(url(company)).status_code
    if roles.has_perm(user, perm):
        assert status == 200, (label, role, status)
    else:
        assert status == 403, (label, role, status)


def _cbp_actions(world):
    alpha, target = world["alpha"], world["target_user"]
    return [
        (
            "change a partner's status",
            "partner.transition_any",
            reverse("partners:status_history", kwargs={"partner_id": alpha.public_id}),
            {"target": "suspended", "reason": "Test."},
        ),
        (
            "deactivate a user",
            "user.manage",
            reverse("accounts:user_deactivate", kwargs={"user_id": target.public_id}),
            {"active-reason": "Test."},
        ),
        (
            "revoke a user's tokens",
            "user.manage",
            reverse("accounts:user_tokens_revoke", kwargs={"user_id": target.public_id}),
            {"revoke-reason": "Test."},
        ),
        (
            "record a company's Trade Compliance facts",
            "tradecompliance.profile_change_any",
            reverse("tradecompliance:readiness_profile", kwargs={"partner_id": alpha.public_id}),
            {"import_history_start": "2019-01-01", "has_cbp_debt": "yes"},
        ),
    ]


@pytest.mark.parametrize("role", CBP_ROLES)
@pytest.mark.parametrize("index", range(4))
def test_each_cbp_role_acts_only_within_its_permissions(login, company, role, index):
    label, perm, url, data = _cbp_actions(company)[index]
    user = company["users"][role]
    client = login(user)  # signing in a CBP user sets up its second factor: an event
    before = AuditEvent.objects.count()
    response = client.post(url, data)
    if roles.has_perm(user, perm):
        assert response.status_code != 403, (label, role)
    else:
        assert response.status_code == 403, (label, role, response.status_code)
        assert AuditEvent.objects.count() == before, (label, role)


def test_only_cbp_admins_reach_the_django_admin(login, company):
    for role in CBP_ROLES:
        response = login(company["users"][role]).get("/admin/")
        if role == "cbp_admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
