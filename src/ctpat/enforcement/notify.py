"""Who hears about suspensions and appeals, and how (``notification_send``)."""

from __future__ import annotations

from ctpat.accounts.choices import Role
from ctpat.accounts.models import User
from ctpat.notifications.constants import TITLE_MAX_LENGTH

# Long letters are shortened in the notification (with a pointer); the page shows all of it.
BODY_LIMIT = 4000


def officers(partner) -> list:
    return list(
        User.objects.filter(
            organization_id=partner.organization_id, role=Role.PARTNER_OFFICER, is_active=True
        )
    )


def program_admins() -> list:
    return list(User.objects.filter(role=Role.CBP_ADMIN, is_active=True))


def reviewers(partner) -> list:
    """The partner's assigned SCSS, else the program admins."""
    scss = partner.assigned_scss
    if scss is not None and scss.is_active:
        return [scss]
    return program_admins()


def send(actor, recipients, *, kind: str, title: str, body: str, link: str, key: str) -> None:
    from ctpat.notifications.services import notification_send

    recipients = [r for r in recipients if r is not None and r.is_active]
    if not recipients:
        return
    notification_send(
        actor=actor,
        recipients=recipients,
        kind=kind,
        title=title[:TITLE_MAX_LENGTH],
        body=body
        if len(body) <= BODY_LIMIT
        else body[:BODY_LIMIT] + " … Read the full text in ctpat.",
        link=link,
        email=True,
        dedupe_key=key,
    )
