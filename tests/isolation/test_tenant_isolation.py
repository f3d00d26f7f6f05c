"""Tenant isolation matrix, generated from the URL conf.

For every page and API endpoint, every role of *another* tenant (partner users of another
company, a third-party auditor, an MRA customs reviewer) gets 403/404 on the first tenant's
records and never sees them in a list. A new route with a new URL parameter fails here until
the parameter is mapped to a foreign object below, so new endpoints are covered automatically.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.urls import NoReverseMatch, reverse

from ctpat.core.models import AuditEvent
from tests.urlwalk import Route, iter_routes, resource_before, unnamed_routes

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
SHARED_KWARGS = {"version_id", "criterion_id", "resource_id", "revision_number"}
SHARED_RESOURCES = {"criteria", "criteria-versions", "tc-questionnaires", "resources"}

FOREIGN_ROLES = ["partner_officer", "partner_compliance", "auditor", "mra_reviewer"]


@pytest.fixture
def world(db, make_partner, make_user, cbp_org, settings, tmp_path):
    """Tenant A (the one whose data must stay private) and the viewers from elsewhere."""
    from ctpat.accounts.services import api_token_create
    from ctpat.partners import services
    from ctpat.testing import make_organization

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
        country="MX",
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
    # Resources library: a published resource (shared reference data) that a customs broker
    # shared with alpha, its SVI client; the share itself is private to the two of them.
    from ctpat.resources import services as resource_services

    resource = resource_services.resource_create(
        actor=make_user("cbp_admin", organization=cbp_org),
        title="Isolation resource",
        kind="guidance",
        audiences=["all_members"],
        publish=True,
    )
    echo = make_partner(
        name="Echo Isolation Brokerage",
        entity_type="customs_broker",
        country="US",
        status="certified",
    )
    echo_officer = make_user("partner_officer", organization=echo.organization)
    echo_link = services.svi_request(actor=echo_officer, target=alpha)
    services.svi_accept(actor=alpha_officer, connection=echo_link)
    [resource_share] = resource_services.resource_share(
        actor=echo_officer, resource=resource, clients=[alpha], note="Alpha private share note"
    )
    # Security profile with an answer and an evidence file (stored under a temporary MEDIA_ROOT).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ctpat.profiles import services as profile_services

    settings.MEDIA_ROOT = str(tmp_path / "media")
    profile = profile_services.profile_start(actor=alpha_officer, partner=alpha)
    profile_services.answer_save(
        actor=alpha_officer,
        profile=profile,
        msc_id="3.9",
        answer="yes",
        narrative="Alpha secret narrative",
    )
    evidence = profile_services.evidence_upload(
        actor=alpha_officer,
        profile=profile,
        uploaded_file=SimpleUploadedFile("alpha.txt", b"Alpha secret evidence"),
    )
    # Trade Compliance application of alpha (made validated, so eligible) with a document; before
    # the membership below, since a member cannot apply.
    from tests.isolation.tc_world import alpha_tc_application

    tc_application, tc_document = alpha_tc_application(alpha, alpha_officer)
    # Annual Notification Letters: alpha is a Trade Compliance member with a filed letter; a
    # CBP program admin's pilot import (CBP's own record: foreign roles get 403).
    from django.utils import timezone

    from ctpat.annualnotices import pilot as anl_pilot
    from ctpat.annualnotices import services as anl_services
    from ctpat.annualnotices.tests.factories import accepted_for_due_in, content
    from ctpat.tradecompliance.services import membership_grant

    anl_membership = membership_grant(
        actor=None,
        partner=alpha,
        accepted_on=accepted_for_due_in(20, timezone.localdate()),
        origin="application",
        ior_numbers=[alpha.identifiers.get(kind="ior").value],
    )
    anl_letter = anl_services.anl_letter_file(
        actor=alpha_officer,
        membership=anl_membership,
        period=0,
        content=content(officer_name="Alpha Secret Officer"),
        signed_name="Alpha Secret Officer",
    )
    anl_import = anl_pilot.pilot_import_check(
        actor=make_user("cbp_admin", organization=cbp_org),
        uploaded_file=SimpleUploadedFile(
            "pilot.csv", b"company_name,ior_numbers,accepted_on\nNobody,12-388888800,2015-01-01\n"
        ),
    )
    from tests.isolation.partners_world import invitation_world

    partners_world = invitation_world(
        make_partner=make_partner, make_user=make_user, alpha_officer=alpha_officer
    )
    from tests.isolation.enforcement_world import enforcement_world

    enforcement = enforcement_world(make_partner=make_partner, make_user=make_user)
    from tests.isolation.tc_world import forced_labor_world

    forced_labor = forced_labor_world(make_partner=make_partner, make_user=make_user)
    objects = {
        **partners_world["objects"],
        **enforcement["objects"],
        **forced_labor["objects"],
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
        # Shared reference data: the real resource, so its pages are checked for leaks.
        "resource_id": resource.public_id,
        "revision_number": 1,
        "resources": resource.public_id,
        "resource-shares": resource_share.public_id,
        "profile_id": profile.public_id,
        "evidence_id": evidence.public_id,
        "category": 3,
        "security-profiles": profile.public_id,
        "membership_id": anl_membership.public_id,
        "letter_id": anl_letter.public_id,
        "import_id": anl_import.public_id,
        "anl-letters": anl_letter.public_id,
        "anl-schedules": anl_membership.public_id,
        "anl-pilot-imports": anl_import.public_id,
        "application_id": tc_application.public_id,
        "document_id": tc_document.public_id,
        "step": "internal_controls",
        "tc-applications": tc_application.public_id,
    }
    secrets = [
        *partners_world["secrets"],
        *enforcement["secrets"],
        *forced_labor["secrets"],
        alpha.public_id,
        "Alpha Isolation Imports",
        "Secret City Alpha",
        identifier.value,
        connection.public_id,
        token.key_prefix,
        event.public_id,
        resource_share.public_id,
        "Alpha private share note",
        profile.public_id,
        "Alpha secret narrative",
        anl_membership.public_id,
        anl_letter.public_id,
        "Alpha Secret Officer",
        tc_application.public_id,
        "Alpha secret TC answer",
    ]
    return {"objects": objects, "secrets": secrets, "viewers": viewers}


def _routes():
    routes = []
    for route in iter_routes():
        if route.name in PUBLIC_OR_SELF or route.name.startswith(SKIP_PREFIXES):
            continue
        routes.append(route)
    return routes


def _object_key(route, kwarg, objects) -> str | None:
    """The key of ``objects`` that fills ``kwarg``: the kwarg itself, else the API resource
    named just before it (``partners`` in ``api/partners/<public_id>/``); None if neither."""
    if kwarg in objects:
        return kwarg
    key = resource_before(route.path, kwarg)
    return key if key in objects else None


def _unmapped(routes, objects) -> list[str]:
    """Every route parameter the matrix cannot fill, named (route, path, parameter)."""
    missing = []
    for route in routes:
        if any(kwarg in IGNORED_KWARGS for kwarg in route.kwargs):
            continue
        missing += [
            f"{route.name} ({route.path}): parameter '{kwarg}'"
            + (f" (nor resource '{r}')" if (r := resource_before(route.path, kwarg)) else "")
            for kwarg in route.kwargs
            if _object_key(route, kwarg, objects) is None
        ]
    return missing


def _concrete_url(route, objects) -> str:
    kwargs = {}
    for kwarg in route.kwargs:
        if kwarg in IGNORED_KWARGS:
            return ""
        key = _object_key(route, kwarg, objects)
        if key is None:
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


def test_every_route_is_in_the_matrix(world):
    assert len(ROUTES) > 10, "The URL walk found too few routes; is the URL conf loaded?"
    assert any(r.path.startswith("api/") for r in ROUTES), "The walk found no API routes."
    missing = _unmapped(ROUTES, world["objects"])
    assert not missing, (
        "The isolation matrix cannot fill these route parameters; map each to a foreign object "
        "in tests/isolation (the world fixture's objects):\n  " + "\n  ".join(missing)
    )
    # An unnamed route with parameters cannot be reversed, so the matrix would skip it
    # silently (the admin's own redirects are skipped with the admin, by design).
    unnamed = [r.path for r in unnamed_routes() if r.kwargs and not r.path.startswith("admin/")]
    assert not unnamed, (
        "These routes take record parameters but have no name, so the matrix cannot reverse "
        "or test them; name them:\n  " + "\n  ".join(unnamed)
    )


def test_an_unmapped_route_parameter_is_named_in_the_failure(world):
    # Given a route whose parameter the matrix has no object for, the failure names it.
    route = Route(name="api:widget-detail", path="api/widgets/<str:pk>/", kwargs=("pk",))
    assert _unmapped([route], world["objects"]) == [
        "api:widget-detail (api/widgets/<str:pk>/): parameter 'pk' (nor resource 'widgets')"
    ]


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
    from django_otp.plugins.otp_totp.models import TOTPDevice

    import_module("ctpat.config.urls")  # the URL conf configures the admin site

    for model in (Group, TOTPDevice):
        assert not admin.site.is_registered(model), model
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"core", "accounts", "partners"}:
            assert not model_admin.has_add_permission(_FakeRequest()), model
            assert not model_admin.has_delete_permission(_FakeRequest()), model


class _FakeRequest:
    class user:
        is_active = True
        is_staff = True
        is_superuser = True
        role = "cbp_admin"
