"""Demo suspensions and appeals, made through the services.

* Tejidos de Puebla (the core demo's certified Mexican manufacturer): suspended 20 days ago with
  CBP's letter and two required actions (a corrective-action plan, consent to unannounced
  visits), so its officer sees the letter, the actions and the form to answer, and CBP sees the
  response clock running.
* Red River Crossing Freight (a Canadian highway carrier, added here): suspended 25 days ago after
  a validation found unsealed trailers; its officer has appealed the suspension under
  6 U.S.C. 967(c)(1) with a supporting document, and the appeal awaits a CBP program admin's
  decision (its 180-day clock shows on both sides' dashboards).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat.accounts.choices import Role
from ctpat.accounts.services import user_create
from ctpat.partners import services as partner_services

from . import selectors, services

PUEBLA_LETTER = (
    "The annual review of your security profile was not completed by the certification "
    "anniversary, and the follow-up visit found that container seals were not verified at the "
    "loading dock. Your CTPAT membership is suspended until the actions below are completed."
)
CROSSING_NAME = "Red River Crossing Freight Ltd."
CROSSING_LETTER = (
    "The validation visit found trailers parked overnight without seals and no record of the "
    "seven-point inspection for three of the sampled crossings. Your CTPAT membership is "
    "suspended until the vulnerabilities are addressed."
)
CROSSING_GROUNDS = (
    "The trailers seen without seals were empty and parked inside our fenced yard; the "
    "inspection records for the three crossings were kept by our Winnipeg terminal and are "
    "attached. We ask CBP to reverse the suspension."
)


def _suspend_puebla(ctx) -> None:
    services.partner_suspend(
        actor=ctx.cbp_users[Role.SCSS],
        partner=ctx.partners["puebla"],
        letter=PUEBLA_LETTER,
        required_actions=["corrective_action_plan", "unannounced_visits"],
        other_actions="Send the seal-verification log of the last 30 days.",
        effective_date=ctx.today - timedelta(days=20),
    )


def _crossing_appeal(ctx) -> None:
    admin, scss = ctx.cbp_users[Role.CBP_ADMIN], ctx.cbp_users[Role.SCSS]
    partner = partner_services.partner_register(
        actor=admin,
        name=CROSSING_NAME,
        entity_type="highway_carrier_us_canada",
        country="CA",
        identifiers=[("scac", "PRXF"), ("dot", "3184426")],
        city="Winnipeg, MB",
        primary_contact_name="Harpreet Sandhu",
        primary_contact_email="compliance@crossing.demo.invalid",
        registered_on=ctx.today - timedelta(days=900),
    )
    for status, days in (("applicant", 860), ("certified", 800), ("validated", 400)):
        partner = partner_services.partner_transition(
            actor=scss,
            partner=partner,
            target=status,
            reason="Demo history.",
            effective_date=ctx.today - timedelta(days=days),
        )
    partner_services.partner_assign_scss(actor=admin, partner=partner, scss=scss)
    officer = user_create(
        actor=admin,
        organization=partner.organization,
        username="crossing.officer",
        email="officer@crossing.demo.invalid",
        role=Role.PARTNER_OFFICER,
        password=ctx.password,
        first_name="Harpreet",
        last_name="Sandhu",
    )
    services.partner_suspend(
        actor=scss,
        partner=partner,
        letter=CROSSING_LETTER,
        required_actions=["corrective_action_plan", "vulnerabilities_addressed"],
        effective_date=ctx.today - timedelta(days=25),
    )
    partner.refresh_from_db()
    change = selectors.current_decision(partner, today=ctx.today).change
    crossings = (
        ("Emerson MB / Pembina ND", 60),
        ("Emerson MB / Pembina ND", 53),
        ("North Portal SK / Portal ND", 41),
    )
    records = "Crossing,Date,Seven-point inspection\n" + "".join(
        f"{port},{(ctx.today - timedelta(days=days)).isoformat()},done\n"
        for port, days in crossings
    )
    services.appeal_file(
        actor=officer,
        partner=partner,
        change=change,
        grounds=CROSSING_GROUNDS,
        files=[SimpleUploadedFile("inspection-records.csv", records.encode("utf-8"), "text/csv")],
    )


def seed(ctx) -> None:
    _suspend_puebla(ctx)
    _crossing_appeal(ctx)
