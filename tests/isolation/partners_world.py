"""Partners' records for the isolation matrix: CBP invitations and an SVI request by number."""

from __future__ import annotations


def invitation_world(*, make_partner, make_user, alpha_officer) -> dict:
    """A CBP invitation (CBP's record: no partner may read it, not even the invited company's
    users) and a pending request by account number from alpha to an unlisted member, whose
    name no other company may learn. Returns ``objects`` entries and ``secrets``."""
    from ctpat.partners import services

    invited = make_partner(
        name="Foxtrot Invited Works",
        entity_type="foreign_manufacturer",
        country="CN",
        invited=True,
        status="certified",
        directory_listed=False,
    )
    invitation = invited.country_invitations.get()
    open_invitation = services.invitation_create(
        actor=None,
        entity_type="foreign_marine_port_terminal_operator",
        country="NL",
        company_name="Golf Secret Terminal BV",
        reason="Golf secret invitation reason",
    )
    hidden = make_partner(
        name="Hotel Unlisted Imports",
        entity_type="importer",
        country="US",
        status="certified",
        directory_listed=False,
    )
    services.svi_request_by_number(actor=alpha_officer, number=hidden.public_id)
    return {
        "objects": {
            "invitation_id": open_invitation.public_id,
            "country-invitations": invitation.public_id,
        },
        "secrets": [
            "Golf Secret Terminal BV",
            "Golf secret invitation reason",
            open_invitation.public_id,
            invitation.public_id,
            "Hotel Unlisted Imports",
        ],
    }
