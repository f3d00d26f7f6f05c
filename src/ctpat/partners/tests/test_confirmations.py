"""Consequential SVI actions ask before they act (the browser's confirmation dialog)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.partners import services


@pytest.mark.django_db
def test_declining_or_ending_a_connection_asks_first(make_partner, make_user, login):
    a = make_partner(name="Ask Imports", entity_type="importer", country="US", status="certified")
    b = make_partner(
        name="Ask Carrier", entity_type="sea_carrier", country="US", status="certified"
    )
    officer_a = make_user("partner_officer", organization=a.organization)
    officer_b = make_user("partner_officer", organization=b.organization)
    services.svi_request(actor=officer_a, target=b)

    page = login(officer_b).get(reverse("partners:svi")).content.decode()
    assert 'data-confirm="Decline the status verification request from Ask Imports?"' in page

    services.svi_accept(actor=officer_b, connection=b.svi_requests_received.get())
    page = login(officer_b).get(reverse("partners:svi")).content.decode()
    assert 'hx-confirm="End the status verification connection with Ask Imports?"' in page
