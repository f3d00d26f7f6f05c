"""Annual Notification Letters in the demo, made through the services.

* Harbor Lane (US, Tier III) is migrated from the ISA pilot through the pilot import (a CSV
  checked, then committed by the CBP program admin); its next letter is due in 25 days.
* Maple Leaf (CA, Tier II) was accepted before this installation (recorded by CBP); its first
  letter is due in 20 days and its officer has filed it: filed on time.
* Prairie Pantry (US, Tier II, registered here) was accepted 13 months and 12 days ago and has
  not filed: its letter is overdue (inside the 30-day grace period).
Then the daily job runs once for today: reminders, the overdue flag.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat.accounts.choices import Role
from ctpat.partners.rules import add_months
from ctpat.tradecompliance.services import membership_grant

from . import pilot, rules, services

PRAIRIE = {
    "name": "Prairie Pantry Foods Inc.",
    "identifiers": [("ior", "47-112233400"), ("bond", "PB5512098")],
    "city": "Omaha, NE",
    "contact": "Jordan Blake",
}


def _accepted_for(due_on: dt.date, periods_ago: int = 0) -> dt.date:
    months = rules.ANL_FIRST_DUE_MONTHS + periods_ago * rules.ANL_INTERVAL_MONTHS
    return add_months(due_on, -months)


def _register_prairie(ctx):
    from ctpat.demo.seed import register_validated_importer

    return register_validated_importer(
        ctx,
        key="prairie",
        name=PRAIRIE["name"],
        identifiers=PRAIRIE["identifiers"],
        city=PRAIRIE["city"],
        contact=PRAIRIE["contact"],
        days_ago=(2300, 2250, 2180, 1800),
    )


def seed(ctx) -> None:
    today = ctx.today
    admin = ctx.cbp_users[Role.CBP_ADMIN]
    nam = ctx.cbp_users[Role.NAM]
    harbor, maple = ctx.partners["harbor"], ctx.partners["maple"]

    # Harbor Lane: a pilot participant since years, migrated today through the import.
    harbor_ior = harbor.identifiers.get(kind="ior").value
    accepted = _accepted_for(today + dt.timedelta(days=25), periods_ago=6)
    text = f"company_name,ior_numbers,accepted_on\n{harbor.name},{harbor_ior},{accepted}\n"
    record = pilot.pilot_import_check(
        actor=admin,
        uploaded_file=SimpleUploadedFile("isa-pilot-participants.csv", text.encode("utf-8")),
    )
    pilot.pilot_import_commit(actor=admin, pilot_import=record)

    # Maple Leaf: accepted before ctpat (recorded by CBP); files its first letter on time.
    maple_membership = membership_grant(
        actor=nam,
        partner=maple,
        accepted_on=_accepted_for(today + dt.timedelta(days=20)),
        origin="recorded",
        ior_numbers=[maple.identifiers.get(kind="ior").value],
    )
    officer = ctx.officers["maple"]
    services.anl_letter_file(
        actor=officer,
        membership=maple_membership,
        period=0,
        content=services.LetterContent(
            certifies_compliance=True,
            no_changes=False,
            compliance_contact_name="Étienne Roy",
            compliance_contact_email="compliance@maple.demo.invalid",
            officer_name="Étienne Roy",
            officer_title="President",
            officer_email="officer@maple.demo.invalid",
            changes=(
                services.ChangeSpec(
                    "address",
                    "Head office moved to 200 King Street West, Toronto.",
                    today - dt.timedelta(days=120),
                ),
            ),
        ),
        signed_name="Étienne Roy",
    )

    # Prairie Pantry: accepted 13 months and 12 days ago; no letter yet.
    prairie, _ = _register_prairie(ctx)
    membership_grant(
        actor=nam,
        partner=prairie,
        accepted_on=_accepted_for(today - dt.timedelta(days=12)),
        origin="recorded",
        ior_numbers=[PRAIRIE["identifiers"][0][1]],
    )

    services.anl_reminders_send(today=today)
