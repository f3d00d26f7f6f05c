"""Demo data for the resources library: the shipped seed resources, one draft revision, and a
share from the demo customs broker (Gulf Coast) to one of its SVI-connected clients."""

from __future__ import annotations

from ctpat.accounts.choices import Role

from . import selectors, services
from .models import Resource
from .seed import load_seed_resources

DEMO_BROKER = "gulf"


def seed(ctx) -> None:
    load_seed_resources()
    admin = ctx.cbp_users[Role.CBP_ADMIN]
    msc = Resource.objects.get(seed_key="msc-catalog")
    services.resource_revise(
        actor=admin,
        resource=msc,
        summary=(
            "The Minimum Security Criteria for your business entity type, with must/should "
            "levels and effective dates, in this application's Criteria catalog."
        ),
        change_note="Shorter wording (draft for review).",
    )
    broker = ctx.partners[DEMO_BROKER]
    clients = selectors.broker_clients(broker=broker)
    if not clients:
        # The core demo connects Gulf Coast with Harbor Lane; keep the share working without it.
        from ctpat.partners import services as partner_services

        connection = partner_services.svi_request(
            actor=ctx.officers[DEMO_BROKER], target=ctx.partners["harbor"]
        )
        partner_services.svi_accept(actor=ctx.officers["harbor"], connection=connection)
        clients = selectors.broker_clients(broker=broker)
    client = next(c for c in clients if c.entity_type == "importer")
    services.resource_share(
        actor=ctx.officers[DEMO_BROKER],
        resource=Resource.objects.get(seed_key="fact-sheet-importer-due-diligence"),
        clients=[client],
        note="Please review before your next supplier audit cycle.",
    )
