"""Partner texts over their limit are refused with a sentence naming the limit, never cut."""

from __future__ import annotations

import pytest

from ctpat.core.errors import DomainError
from ctpat.partners import services
from ctpat.partners.models import CertificationRequest, PartnerIdentifier, SVIConnection


@pytest.fixture
def pair(make_partner, make_user):
    a = make_partner(name="Limit Imports", entity_type="importer", country="US", status="certified")
    b = make_partner(
        name="Limit Carrier", entity_type="sea_carrier", country="US", status="certified"
    )
    return (
        a,
        b,
        make_user("partner_officer", organization=a.organization),
        make_user("partner_officer", organization=b.organization),
    )


def test_an_over_long_svi_message_is_refused_and_nothing_is_stored(pair):
    a, b, officer_a, _ = pair
    with pytest.raises(DomainError) as refused:
        services.svi_request(actor=officer_a, target=b, message="m" * 501)
    assert refused.value.code == "too_long"
    assert "at most 500 are allowed" in str(refused.value)
    assert "message" in refused.value.fields
    assert not SVIConnection.objects.exists()
    # Exactly at the limit it is kept whole.
    connection = services.svi_request(actor=officer_a, target=b, message="m" * 500)
    assert connection.message == "m" * 500


def test_an_over_long_rejection_or_disconnection_reason_is_refused(pair):
    a, b, officer_a, officer_b = pair
    connection = services.svi_request(actor=officer_a, target=b)
    with pytest.raises(DomainError) as refused:
        services.svi_reject(actor=officer_b, connection=connection, reason="r" * 501)
    assert refused.value.code == "too_long"
    connection.refresh_from_db()
    assert connection.status == "pending"
    services.svi_accept(actor=officer_b, connection=connection)
    with pytest.raises(DomainError):
        services.svi_disconnect(actor=officer_a, connection=connection, reason="r" * 501)
    connection.refresh_from_db()
    assert connection.status == "accepted"


def test_an_over_long_identifier_note_is_refused(pair):
    a, _, officer_a, _ = pair
    before = PartnerIdentifier.objects.count()
    with pytest.raises(DomainError) as refused:
        services.identifier_add(
            actor=officer_a, partner=a, kind="duns", value="150483782", note="n" * 201
        )
    assert refused.value.code == "too_long" and "note" in refused.value.fields
    assert PartnerIdentifier.objects.count() == before


def test_an_over_long_invitation_is_refused_not_cut(pair):
    _, _, officer_a, _ = pair
    with pytest.raises(DomainError) as refused:
        services.certification_request_send(
            actor=officer_a, company_name="C" * 201, email="c@example.test"
        )
    assert "company_name" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        services.certification_request_send(
            actor=officer_a, company_name="Delta", email="c@example.test", message="x" * 2001
        )
    assert "message" in refused.value.fields
    assert not CertificationRequest.objects.exists()
    sent = services.certification_request_send(
        actor=officer_a, company_name="Delta", email="c@example.test", message="x" * 2000
    )
    assert sent.message == "x" * 2000
