"""Fixtures for the resources tests, made through the services as the product makes them:
a CBP program admin, a published resource, a customs broker with one SVI-connected client."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_resource(cbp_admin):
    """``make_resource(title=..., publish=True, **fields)``: a resource made by a CBP admin."""
    from ctpat.resources import services

    def _make(title: str = "Forced labor fact sheet", *, publish: bool = True, **fields):
        values = {
            "kind": "fact_sheet",
            "audiences": ["all_members"],
            "summary": "What importers should know.",
            "body": "First paragraph.\n\nSecond paragraph.",
            "external_url": "https://www.cbp.gov/trade/programs-administration/forced-labor",
            "topics": ["forced_labor"],
            "source": "Seed FAQ",
            **fields,
        }
        return services.resource_create(actor=cbp_admin, title=title, publish=publish, **values)

    return _make


@pytest.fixture
def published(make_resource):
    return make_resource()


@pytest.fixture
def broker(make_partner):
    return make_partner(
        name="Gulf Test Brokerage", entity_type="customs_broker", country="US", status="certified"
    )


@pytest.fixture
def broker_officer(broker, make_user):
    return make_user("partner_officer", organization=broker.organization)


@pytest.fixture
def client_partner(importer, importer_officer, broker, broker_officer):
    """The importer, connected to the broker by an accepted SVI connection (the broker asked)."""
    from ctpat.partners import services

    connection = services.svi_request(actor=broker_officer, target=importer)
    services.svi_accept(actor=importer_officer, connection=connection)
    return importer


@pytest.fixture
def shared(published, broker_officer, client_partner):
    """The published resource shared by the broker with its client."""
    from ctpat.resources import services

    return services.resource_share(
        actor=broker_officer,
        resource=published,
        clients=[client_partner],
        note="Please read before the audit.",
    )[0]
