"""Tenant isolation matrix, generated from the URL conf.

For every page and API endpoint, every role of *another* tenant (partner users of another
company, a third-party auditor, an MRA customs reviewer) gets 403/404 on the first tenant's
records and never sees them in a list. A new route with a new URL parameter fails here until
the parameter is mapped to a foreign object below, so new endpoints are covered automatically.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from ctpat.core.models import AuditEvent
from tests.urlwalk import iter_routes, resource_before

# Routes that carry no tenant data by design.
PUBLIC_OR_SELF = {
    "login",
    "logout",
    "two_factor_setup",
    "two_factor_verify",
    "api:api-schema",
    "api:api-docs",
    "api-schema",
    "api-docs",
}
SKIP_PREFIXES = ("admin:", "djdt:")
# URL kwargs that are formats, not records.
IGNORED_KWARGS = {"format"}
# Shared reference data (published criteria, questionnaires) that every member may read: such
# routes are checked for leaks of tenant data, not for 404.
SHARED_KWARGS = {"version_id", "criterion_id"}
SHARED_RESOURCES = {"criteria", "criteria-versions", "tc-questionnaires"}

FOREIGN_ROLES = ["partner_officer", "partner_compliance", "auditor", "mra_reviewer"]


@pytest.fixture
def world(db, make_partner, make_user, cbp_org):
    """Tenant A (the one whose data must stay private) and the viewers from elsewhere."""
    from ctpat.accounts.services import api_token_create
    from ctpat.core.testing import make_organization
    from ctpat.partners import services

    alpha = make_partner(
        name="Alpha Isolation Imports", entity_type="importer", country="US", status="certified"
    )
    charlie = make_partner(
        name="Charlie Isolation Carrier",
        entity_type="sea_carrier",
        country="MX",
        status="certified",
    )
    bravo = make_partner(
        name="Bravo Isolation Factory",
        entity_type="foreign_manufacturer",
        country="VN",
        status="certified",
    )
    alpha_officer = make_user("partner_officer", organization=alpha.organization)
    charlie_officer = make_user("partner_officer", organization=charlie.organization)
    connection = services.svi_request(actor=alpha_officer, target=charlie)
    services.svi_accept(actor=charlie_officer, connection=connection)
    services.partner_update_profile(actor=alpha_officer, partner=alpha, city="Secret City Alpha")
    token, _ = api_token_create(actor=alpha_officer, name="alpha-token")
    event = AuditEvent.objects.filter(organization=alpha.organization).first()
    cert = services.certification_request_send(
        actor=alpha_officer, company_name="Delta Co", email="delta@example.test"
    )
    viewers = {
        "partner_officer": make_user("partner_officer", organization=bravo.organization),
        "partner_compliance": make_user("partner_compliance", organization=bravo.organization),
        "auditor": make_user("auditor", organization=make_organization("audit_firm")),
        "mra_reviewer": make_user("mra_reviewer", organization=make_organization("mra_customs")),
    }
    identifier = alpha.identifiers.first()
    from ctpat.notifications.models import Notification, OutboundEmail
    from ctpat.notifications.services import notification_send

    notification_send(
        actor=None,
        recipients=[alpha_officer],
        kind="test",
        title="Alpha private notice",
        email=False,
    )
    notification = Notification.objects.get(recipient=alpha_officer, kind="test")
    email = OutboundEmail.objects.get(to="delta@example.test")
    objects = {
        # UI kwargs
        "partner_id": alpha.public_id,
        "identifier_id": identifier.public_id,
        "connection_id": connection.public_id,
        "event_id": event.public_id,
        "token_id": token.public_id,
        "request_id": cert.public_id,
        "user_id": alpha_officer.public_id,
        "organization_id": alpha.organization.public_id,
        "notification_id": notification.public_id,
        "email_id": email.public_id,
        "version_id": "shared-reference",
        "criterion_id": "shared-reference",
        **dict.fromkeys(SHARED_RESOURCES, "shared-reference"),
        # API resources keyed by the segment before the lookup kwarg
        "partners": alpha.public_id,
        "identifiers": identifier.public_id,
        "svi-connections": connection.public_id,
        "audit-events": event.public_id,
        "tokens": token.public_id,
        "certification-requests": cert.public_id,
        "users": alpha_officer.public_id,
        "organizations": alpha.organization.public_id,
        "notifications": notification.public_id,
    }
    secrets = [
        alpha.public_id,
        "Alpha Isolation Imports",
        "Secret City Alpha",
        identifier.value,
        connection.public_id,
        token.key_prefix,
        event.public_id,
    ]
    return {"objects": objects, "secrets": secrets, "viewers": viewers}


def _routes():
    routes = []
    for route in iter_routes():
        if route.name in PUBLIC_OR_SELF or route.name.startswith(SKIP_PREFIXES):
            continue
        routes.append(route)
    return routes


def _concrete_url(route, objects) -> str:
    kwargs = {}
    for kwarg in route.kwargs:
        if kwarg in IGNORED_KWARGS:
            return ""
        key = kwarg
        if kwarg not in objects:
            key = resource_before(route.path, kwarg)
        if key not in objects:
            pytest.fail(
                f"Route {route.name} ({route.path}) has parameter '{kwarg}' that the isolation "
                "matrix cannot fill: map it to a foreign object in tests/isolation."
            )
        kwargs[kwarg] = objects[key]
    try:
        return reverse(route.name, kwargs=kwargs)
    except NoReverseMatch as exc:  # pragma: no cover - a route we cannot build is a bug
        pytest.fail(f"Cannot build {route.name}: {exc}")


def _clients(role, world, login, api_client):
    user = world["viewers"][role]
    return {"web": login(user), "api": api_client(user)}


ROUTES = _routes()


def test_every_route_is_in_the_matrix():
    assert len(ROUTES) > 10, "The URL walk found too few routes; is the URL conf loaded?"


@pytest.mark.parametrize("role", FOREIGN_ROLES)
def test_foreign_roles_get_403_or_404_on_every_detail_and_never_see_foreign_records(
    role, world, login, api_client
):
    clients = _clients(role, world, login, api_client)
    problems = []
    before = AuditEvent.objects.count()
    for route in ROUTES:
        url = _concrete_url(route, world["objects"])
        if not url:
            continue
        client = clients["api"] if url.startswith("/api/") else clients["web"]
        response = client.get(
            url, HTTP_ACCEPT="application/json" if url.startswith("/api/") else "text/html"
        )
        body = response.content.decode(errors="replace")
        shared = (
            set(route.kwargs) & SHARED_KWARGS
            or {resource_before(route.path, k) for k in route.kwargs} & SHARED_RESOURCES
        )
        if shared:
            leaked = [s for s in world["secrets"] if s and s in body]
            if leaked:
                problems.append(f"GET {url} ({route.name}) shows {leaked}")
        elif route.kwargs:
            if response.status_code not in (403, 404, 405):
                problems.append(f"GET {url} ({route.name}) -> {response.status_code}")
            # Writes to a foreign record are refused too.
            post = (
                client.post(url, {}, format="json")
                if url.startswith("/api/")
                else client.post(url, {})
            )
            if post.status_code not in (403, 404, 405):
                problems.append(f"POST {url} ({route.name}) -> {post.status_code}")
        elif response.status_code == 200:
            leaked = [s for s in world["secrets"] if s and s in body]
            if leaked:
                problems.append(f"GET {url} ({route.name}) shows {leaked}")
        elif response.status_code not in (302, 403, 404, 405):
            problems.append(f"GET {url} ({route.name}) -> {response.status_code}")
    assert not problems, "\n".join(problems)
    # None of the refused requests wrote anything.
    assert AuditEvent.objects.count() == before


def test_cbp_roles_see_the_partner_records(world, login, cbp_org, make_user):
    for role in ["cbp_admin", "scss", "nam", "fld_reviewer"]:
        client = login(make_user(role, organization=cbp_org))
        url = reverse("partners:detail", kwargs={"partner_id": world["objects"]["partner_id"]})
        assert client.get(url).status_code == 200, role


def test_admin_site_is_for_cbp_admins_only(world, login, cbp_org, make_user):
    admin_user = make_user("cbp_admin", organization=cbp_org)
    assert login(admin_user).get("/admin/").status_code == 200
    for role in ["scss", "nam", "fld_reviewer"]:
        response = login(make_user(role, organization=cbp_org)).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role
    for role, user in world["viewers"].items():
        response = login(user).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role


def test_admin_offers_no_unaudited_write_paths():
    from django.contrib import admin
    from django.contrib.auth.models import Group
    from django.urls import reverse  # noqa: F401 - loads the URL conf, which configures admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    import ctpat.config.urls  # noqa: F401

    for model in (Group, TOTPDevice):
        assert not admin.site.is_registered(model), model
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"core", "accounts", "partners"}:
            assert not model_admin.has_add_permission(_FakeRequest()), model
            assert not model_admin.has_delete_permission(_FakeRequest()), model


class _FakeRequest:
    class user:  # noqa: N801 - stands in for request.user
        is_active = True
        is_staff = True
        is_superuser = True
        role = "cbp_admin"
