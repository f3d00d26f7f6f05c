"""What several partner services share: the text limits of the partner records and who the
acting user is."""

from __future__ import annotations

from ..models import CertificationRequest, PartnerIdentifier, SVIConnection

# Text limits of the partner records (the model columns); longer input is refused, never cut.
IDENTIFIER_NOTE_MAX = PartnerIdentifier._meta.get_field("note").max_length
SVI_TEXT_MAX = SVIConnection._meta.get_field("message").max_length
COMPANY_NAME_MAX = CertificationRequest._meta.get_field("company_name").max_length
# A product limit on the invitation e-mail's personal message.
INVITATION_MESSAGE_MAX = 2000


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) and hasattr(actor, "_meta") else None


def _label(actor) -> str:
    return actor.get_username() if actor is not None else "system"
