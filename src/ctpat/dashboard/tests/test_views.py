"""The dashboard shows each role what needs its attention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctpat.dashboard import selectors
from ctpat.partners import rules
from ctpat.partners.services import partner_record_validation, svi_request
from ctpat.testing import move_partner_to

pytestmark = pytest.mark.django_db


def test_given_anonymous_when_opening_dashboard_then_login(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_given_partner_officer_then_membership_clock_and_pending_requests(
    login, importer_officer, manufacturer_officer, importer, manufacturer
):
    connection = svi_request(actor=manufacturer_officer, target=importer)

    response = login(importer_officer).get(reverse("dashboard"))

    html = response.content.decode()
    today = timezone.localdate()
    opens, anniversary = rules.review_window(importer.certification_date, today)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert importer.name in html
    assert "Certified (Tier I)" in html and "Tier 1" in html
    assert anniversary.isoformat() in html
    assert manufacturer.name in html
    assert reverse("partners:svi_accept", args=[connection.public_id]) in html
    assert 'hx-target="#svi-incoming"' in html


def test_given_missing_identifiers_then_partner_dashboard_warns(login, make_partner, make_user):
    partner = make_partner(name="Idless Imports", entity_type="importer", country="US")
    identifier = partner.identifiers.get(kind="bond")
    from ctpat.partners.services import identifier_deactivate

    identifier_deactivate(actor=None, identifier=identifier, reason="test")
    officer = make_user("partner_officer", organization=partner.organization)

    html = login(officer).get(reverse("dashboard")).content.decode()

    assert "Identifiers missing" in html
    assert "An importer needs a CBP bond number." in html


def test_given_compliance_user_then_pending_requests_without_buttons(
    login, make_user, manufacturer_officer, importer
):
    svi_request(actor=manufacturer_officer, target=importer)
    compliance = make_user("partner_compliance", organization=importer.organization)

    html = login(compliance).get(reverse("dashboard")).content.decode()

    assert "Only your company officer can accept" in html
    assert "svi_accept" not in html and "/accept/" not in html


def test_given_applicant_waiting_when_cbp_opens_dashboard_then_days_waiting(
    login, scss, make_partner
):
    today = timezone.localdate()
    partner = make_partner(name="Waiting Co", entity_type="importer", country="US")
    move_partner_to(partner, "applicant", effective_date=today - dt.timedelta(days=30))

    response = login(scss).get(reverse("dashboard"))

    rows = response.context["cbp"].applicants.rows
    assert [(r["partner"].name, r["days_waiting"]) for r in rows] == [("Waiting Co", 30)]
    assert "30 of 90" in response.content.decode()


def test_given_suspension_when_cbp_opens_dashboard_then_days_left_on_clock(
    login, scss, make_partner
):
    today = timezone.localdate()
    partner = make_partner(name="Suspended Co")
    move_partner_to(partner, "suspended", effective_date=today - dt.timedelta(days=10))

    response = login(scss).get(reverse("dashboard"))

    rows = response.context["cbp"].suspensions.rows
    assert [(r["partner"].name, r["days_left"]) for r in rows] == [("Suspended Co", 80)]


def test_given_overdue_revalidation_then_cbp_dashboard_lists_it(login, scss, make_partner):
    today = timezone.localdate()
    long_ago = rules.add_years(today, -5)
    partner = make_partner(name="Old Validation Co", registered_on=long_ago)
    move_partner_to(partner, "validated", effective_date=long_ago)
    partner_record_validation(
        actor=None, partner=partner, validated_on=rules.add_years(today, -4) - dt.timedelta(days=5)
    )

    overview = selectors.cbp_overview(viewer=scss, today=today)

    rows = [r for r in overview.validations.rows if r["partner"].pk == partner.pk]
    assert rows and rows[0]["overdue"] and rows[0]["kind"] == "Revalidation"
    html = login(scss).get(reverse("dashboard")).content.decode()
    assert "Old Validation Co" in html and "Overdue" in html


def test_given_member_in_review_window_then_cbp_dashboard_lists_it(scss, make_partner):
    today = timezone.localdate()
    certified_on = rules.add_years(today, -1) + dt.timedelta(days=30)
    partner = make_partner(name="Anniversary Co")
    move_partner_to(partner, "certified", effective_date=certified_on)

    overview = selectors.cbp_overview(viewer=scss, today=today)

    assert [r["partner"].name for r in overview.review_windows.rows] == ["Anniversary Co"]
    assert overview.review_windows.rows[0]["days_left"] == 30


def test_given_auditor_then_organization_and_nothing_shared_yet(login, make_user):
    auditor = make_user("auditor")

    response = login(auditor).get(reverse("dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert auditor.organization.name in html
    assert "Nothing shared with you yet" in html


def test_given_mra_reviewer_then_nothing_shared_yet(login, make_user):
    reviewer = make_user("mra_reviewer")

    html = login(reviewer).get(reverse("dashboard")).content.decode()

    assert "Nothing shared with you yet" in html


def test_given_a_suspended_partner_then_its_dashboard_shows_the_response_deadline(
    login, make_partner, make_user
):
    today = timezone.localdate()
    partner = make_partner(name="Suspended Self Co")
    move_partner_to(partner, "suspended", effective_date=today - dt.timedelta(days=10))
    officer = make_user("partner_officer", organization=partner.organization)

    html = login(officer).get(reverse("dashboard")).content.decode()

    deadline = rules.suspension_response_deadline(today - dt.timedelta(days=10))
    assert deadline.isoformat() in html and "80 days left" in html
