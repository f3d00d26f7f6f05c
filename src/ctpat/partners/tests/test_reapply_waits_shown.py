"""Each exit's wait before reapplying, as the status page and the company's dashboard show it.

The waits are settings (DOMAIN.md §7.2); only the one-year wait after a withdrawal that followed
an unanswered suspension has a public source, so the others say they are a policy choice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ctpat.partners.rules import add_years
from ctpat.partners.services import partner_transition
from ctpat.testing import move_partner_to

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _withdrawn(make_partner, *, after_suspension: bool, days_ago: int = 10):
    partner = make_partner(entity_type="importer", country="US")
    when = _today() - timedelta(days=days_ago + 200)
    partner = move_partner_to(partner, "suspended" if after_suspension else "certified", when)
    return partner_transition(
        actor=None,
        partner=partner,
        target="withdrawn",
        reason="The company leaves the program.",
        effective_date=_today() - timedelta(days=days_ago),
    )


def test_the_status_page_shows_the_sourced_wait_without_a_policy_label(
    login, make_partner, cbp_admin
):
    partner = _withdrawn(make_partner, after_suspension=True)

    html = login(cbp_admin).get(reverse("partners:status_history", args=[partner.public_id]))
    text = html.content.decode()

    earliest = add_years(_today() - timedelta(days=10), 1)
    assert "Withdrawn after a suspension that was not answered in time" in text
    assert f"may reapply from <strong>{earliest.isoformat()}</strong> (1 year)" in text
    assert "policy choice" not in text


def test_the_status_page_labels_an_unsourced_wait_a_policy_choice(
    login, make_partner, cbp_admin, settings
):
    settings.CTPAT_REAPPLY_WAIT_REMOVAL_YEARS = 2
    from ctpat.enforcement.services import partner_remove_immediately

    partner = make_partner(entity_type="importer", country="US", status="certified")
    partner = partner_remove_immediately(
        actor=cbp_admin, partner=partner, reason="Narcotics found in a sealed container."
    )

    text = (
        login(cbp_admin)
        .get(reverse("partners:status_history", args=[partner.public_id]))
        .content.decode()
    )

    earliest = add_years(_today(), 2)
    assert "Removed by CBP" in text
    assert f"{earliest.isoformat()}</strong> (2 years, a policy choice" in text


def test_the_dashboard_of_a_voluntarily_withdrawn_company_has_no_wait(login, make_partner):
    from ctpat.testing import make_user

    partner = _withdrawn(make_partner, after_suspension=False)
    officer = make_user("partner_officer", organization=partner.organization)

    text = login(officer).get("/").content.decode()

    # The one-year wait belongs to a withdrawal after a suspension, not to this exit.
    assert "Voluntary withdrawal." in text
    assert "may reapply at once as a new applicant (no waiting period is published" in text
    assert add_years(_today() - timedelta(days=10), 1).isoformat() not in text


def test_the_dashboard_of_a_company_withdrawn_after_a_suspension_shows_its_year(
    login, make_partner
):
    from ctpat.testing import make_user

    partner = _withdrawn(make_partner, after_suspension=True)
    officer = make_user("partner_officer", organization=partner.organization)

    text = login(officer).get("/").content.decode()

    earliest = add_years(_today() - timedelta(days=10), 1)
    assert f"may reapply from <strong>{earliest.isoformat()}</strong> (1 year after it left)" in (
        text
    )


def test_the_dashboards_use_the_configured_response_window(login, make_partner, scss, settings):
    from ctpat.testing import make_user

    settings.CTPAT_SUSPENSION_RESPONSE_DAYS = 30
    partner = make_partner(entity_type="importer", country="US")
    partner = move_partner_to(partner, "suspended", _today() - timedelta(days=5))
    officer = make_user("partner_officer", organization=partner.organization)

    due = (_today() + timedelta(days=25)).isoformat()
    assert f"Answer the suspension letter by <strong>{due}</strong>" in (
        login(officer).get("/").content.decode()
    )
    assert due in login(scss).get("/").content.decode()
