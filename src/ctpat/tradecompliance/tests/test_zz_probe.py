import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.tradecompliance import services
from ctpat.tradecompliance.models import Application

from .factories import fill_application

pytestmark = pytest.mark.django_db


def test_approve_after_suspension(under_review, nam):
    from ctpat.partners.services import partner_transition

    partner_transition(actor=None, partner=under_review.partner, target="suspended", reason="x")
    try:
        services.application_approve(actor=nam, application=under_review)
    except DomainError as e:
        print("REFUSED", type(e), e.code, e.message)
    else:
        print("APPROVED despite suspension")


def test_approve_after_ior_deactivated(under_review, nam):
    from ctpat.partners.services import identifier_deactivate

    for i in under_review.ior_numbers.all():
        identifier_deactivate(actor=None, identifier=i, reason="closed")
    try:
        services.application_approve(actor=nam, application=under_review)
    except DomainError as e:
        print("REFUSED", type(e), e.code, e.message, e.fields)
    else:
        print("APPROVED despite ior")


def test_nam_steals(under_review, nam, cbp_org, make_user):
    other = make_user("nam", organization=cbp_org)
    try:
        services.application_assign(actor=other, application=under_review, nam=other)
    except DomainError as e:
        print("REFUSED", e.code)
    else:
        print("STOLEN")


def _many(n, make_partner, make_user, make_ready):
    for i in range(n):
        p = make_partner(name=f"Imp {i}", entity_type="importer", country="US", status="validated")
        o = make_user("partner_officer", organization=p.organization)
        make_ready(p, o)
        a = services.application_start(actor=o, partner=p)
        fill_application(a, o)
        services.application_submit(actor=o, application=a)


@pytest.mark.parametrize("n", [1, 10])
def test_queue_queries(n, make_partner, make_user, make_ready, login, cbp_admin, api_client):
    _many(n, make_partner, make_user, make_ready)
    c = login(cbp_admin)
    with CaptureQueriesContext(connection) as q:
        r = c.get("/trade-compliance/applications/")
    print("QUEUE", n, r.status_code, len(q))
    with CaptureQueriesContext(connection) as q:
        r = c.get("/trade-compliance/applications/?format=csv")
    print("CSV", n, r.status_code, len(q))
    api = api_client(cbp_admin)
    with CaptureQueriesContext(connection) as q:
        r = api.get("/api/tc-applications/")
    print("API", n, r.status_code, len(q))


@pytest.mark.parametrize("n", [1, 10])
def test_detail_queries(n, under_review, nam, validated_officer, login, api_client):
    from .factories import pdf

    for i in range(n):
        services.application_request_information(
            actor=nam, application=under_review, questions=f"q{i}"
        )
        services.application_respond(
            actor=validated_officer,
            application=under_review,
            response=f"r{i}",
            files=[pdf(f"a{i}.pdf"), pdf(f"b{i}.pdf")],
        )
    c = login(nam)
    url = f"/trade-compliance/applications/{under_review.public_id}/"
    with CaptureQueriesContext(connection) as q:
        r = c.get(url)
    print("DETAIL-NAM", n, r.status_code, len(q))
    c = login(validated_officer)
    with CaptureQueriesContext(connection) as q:
        r = c.get(url)
    print("DETAIL-OFF", n, r.status_code, len(q))
    for step in ["eligibility", "iors", "internal_controls", "forced_labor", "mou", "review"]:
        with CaptureQueriesContext(connection) as q:
            r = c.get(url + "steps/" + step + "/")
        print("STEP", step, n, r.status_code, len(q))
    with CaptureQueriesContext(connection) as q:
        r = c.get("/trade-compliance/applications/")
    print("PLIST", n, r.status_code, len(q))
    api = api_client(nam)
    with CaptureQueriesContext(connection) as q:
        r = api.get(f"/api/tc-applications/{under_review.public_id}/")
    print("APIDET", n, r.status_code, len(q))
    with CaptureQueriesContext(connection) as q:
        r = c.get(f"/trade-compliance/reuse/{under_review.partner.public_id}/")
    print("REUSE", n, r.status_code, len(q))


@pytest.mark.parametrize("n", [1, 10])
def test_reuse_many_apps(n, ready_importer, validated_officer, login):
    for i in range(n):
        a = services.application_start(actor=validated_officer, partner=ready_importer)
        services.application_withdraw(actor=validated_officer, application=a, reason="x")
    c = login(validated_officer)
    with CaptureQueriesContext(connection) as q:
        r = c.get(f"/trade-compliance/reuse/{ready_importer.public_id}/")
    print("REUSE-APPS", n, r.status_code, len(q))
    with CaptureQueriesContext(connection) as q:
        r = c.get("/trade-compliance/applications/")
    print("PLIST-APPS", n, r.status_code, len(q))
