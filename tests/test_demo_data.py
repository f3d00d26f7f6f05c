"""The demo data set: believable, complete for every role, and made through audited services."""

import pytest

from ctpat.accounts import roles
from ctpat.accounts.choices import Role
from ctpat.accounts.models import User
from ctpat.core.models import AuditEvent
from ctpat.demo.seed import DEMO_PASSWORD, demo_logins, load_demo
from ctpat.partners.models import Partner, SVIConnection

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_every_role_and_varied_partners():
    assert load_demo() is True
    assert load_demo() is False  # idempotent
    assert {u.role for u in User.objects.all()} == set(Role.values)
    partners = Partner.objects.all()
    assert partners.count() >= 6
    assert {"US", "CA", "MX"} == {p.country for p in partners}
    # Every member may join from its country (overseas factories are not program members).
    from ctpat.partners.services import partner_country_decision

    for partner in partners:
        assert partner_country_decision(partner).allowed, partner.name
    assert len({p.entity_type for p in partners}) >= 4
    assert len({p.status for p in partners}) >= 5
    assert SVIConnection.objects.filter(status="accepted").count() >= 2
    assert SVIConnection.objects.filter(status="pending").exists()


def test_every_demo_record_has_its_audit_event():
    load_demo()
    for partner in Partner.objects.all():
        assert AuditEvent.objects.filter(
            action="partner.register", object_id=partner.public_id
        ).exists()
        transitions = AuditEvent.objects.filter(
            action="partner.transition", object_id=partner.public_id
        ).count()
        assert transitions == partner.status_changes.count() - 1  # registration row
    for connection in SVIConnection.objects.all():
        assert AuditEvent.objects.filter(object_id=connection.public_id).exists()


def test_demo_logins_work_and_cbp_users_have_an_authenticator(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    load_demo()
    logins = demo_logins()
    assert {row["username"] for row in logins} == set(
        User.objects.values_list("username", flat=True)
    )
    for row in logins:
        user = User.objects.get(username=row["username"])
        assert user.check_password(DEMO_PASSWORD)
        assert row["two_factor"] == roles.requires_two_factor(user)
        if row["two_factor"]:
            assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    response = client.post(
        "/accounts/login/", {"username": "harbor.officer", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_dashboard_has_things_that_need_attention(login):
    load_demo()
    harbor = login(User.objects.get(username="harbor.officer")).get("/")
    assert "Maple Leaf Outfitters" in harbor.content.decode()  # pending SVI request
    cbp = login(User.objects.get(username="cbp.scss")).get("/")
    html = cbp.content.decode()
    assert "Laurentian Precision Furniture" in html  # applicant waiting
    assert "Tejidos de Puebla" in html  # suspension clock running


def test_demo_has_a_suspension_to_answer_and_an_appeal_awaiting_cbp(login):
    from ctpat.enforcement.models import Appeal, SuspensionCase

    load_demo()
    puebla = Partner.objects.get(organization__name="Tejidos de Puebla S.A. de C.V.")
    case = SuspensionCase.objects.get(partner=puebla, state="open")
    assert puebla.status == "suspended"
    assert case.required_actions == ["corrective_action_plan", "unannounced_visits"]
    assert case.other_actions and case.letter.startswith("The annual review")
    assert case.response_due > puebla.suspended_on  # the answer window is still open
    assert AuditEvent.objects.filter(action="enforcement.case_open", object_id=case.public_id)
    officer = login(User.objects.get(username="puebla.officer"))
    page = officer.get(f"/enforcement/suspensions/{case.public_id}/answer/")
    assert page.status_code == 200
    assert "corrective-action plan" in page.content.decode()

    appeal = Appeal.objects.get(partner__organization__name="Red River Crossing Freight Ltd.")
    assert (appeal.state, appeal.subject, appeal.decision_kind, appeal.basis) == (
        "filed",
        "security_membership",
        "suspension",
        "benefits",
    )
    assert [d.original_name for d in appeal.documents.all()] == ["inspection-records.csv"]
    assert AuditEvent.objects.filter(action="enforcement.appeal_file", object_id=appeal.public_id)
    cbp = login(User.objects.get(username="cbp.admin")).get("/").content.decode()
    assert appeal.public_id in cbp  # the 180-day clock on CBP's dashboard
    crossing = login(User.objects.get(username="crossing.officer")).get("/").content.decode()
    assert appeal.public_id in crossing  # and on the member's
