"""Demo security profiles, made through the services.

* Harbor Lane (importer, Tier III): every criterion answered, two should-gaps, submitted and
  approved by the SCSS, with a small evidence file.
* Maple Leaf (importer): an approved profile and, when its certification anniversary is less
  than 90 days away (as in the shipped demo), an annual review started with the risk assessment
  and partly confirmed.
* Bluewater Trading (an importer applying to CTPAT, added here): a draft with a must-gap — 3.9
  (forced labor, a Must since 2023-01-01) answered No — so the profile cannot be submitted yet.

Evidence files are small text and CSV files written in code.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat.accounts.choices import Role
from ctpat.accounts.services import user_create
from ctpat.criteria import selectors as criteria_selectors
from ctpat.partners import services as partner_services

from . import selectors, services
from .choices import Answer, Decision

# Should criteria the demo answers No, to show should-gaps (not blocking).
DEMO_SHOULD_NO = ("1.1", "1.2")
BLUEWATER_NAME = "Bluewater Trading Co."


def _answer_all(officer, profile, *, no: tuple[str, ...] = (), skip: tuple[str, ...] = ()):
    version = criteria_selectors.current_version()
    for criterion in selectors.applicable_criteria(version, profile.partner.entity_type):
        if criterion.msc_id in skip:
            continue
        answer = Answer.NO if criterion.msc_id in no else Answer.YES
        if criterion.msc_id == "3.9" and answer == Answer.YES:
            answer = Answer.YES_BEST_PRACTICE
        services.answer_save(
            actor=officer,
            profile=profile,
            msc_id=criterion.msc_id,
            answer=answer,
            narrative=f"Demo answer: documented procedure in our security manual for "
            f"{criterion.msc_id}.",
        )


def _evidence(officer, profile, name: str, text: str, msc_id: str = ""):
    services.evidence_upload(
        actor=officer,
        profile=profile,
        uploaded_file=SimpleUploadedFile(name, text.encode("utf-8"), "text/plain"),
        msc_id=msc_id,
    )


def seed(ctx) -> None:
    if criteria_selectors.current_version() is None:
        return
    scss = ctx.cbp_users.get(Role.SCSS)

    # Complete and approved.
    harbor = ctx.partners["harbor"]
    officer = ctx.officers["harbor"]
    profile = services.profile_start(actor=officer, partner=harbor)
    _answer_all(officer, profile, no=DEMO_SHOULD_NO)
    _evidence(
        officer,
        profile,
        "social-compliance-program.txt",
        "Harbor Lane Home Goods — social compliance program (demo)\n"
        "1. Supplier code of conduct signed by every factory.\n"
        "2. Unannounced third-party audits of tier-1 and tier-2 suppliers.\n",
        msc_id="3.9",
    )
    _evidence(
        officer,
        profile,
        "supplier-risk-register.csv",
        "supplier,country,risk,last_audit\nNingbo Evergreen Textiles,CN,high,2026-03-14\n"
        "Saigon Precision Furniture,VN,medium,2026-05-02\n",
    )
    services.profile_submit(actor=officer, profile=profile)
    services.profile_decide(actor=scss, profile=profile, decision=Decision.APPROVE)

    # Approved last year; this year's annual review in its window.
    maple = ctx.partners["maple"]
    officer = ctx.officers["maple"]
    profile = services.profile_start(actor=officer, partner=maple)
    _answer_all(officer, profile)
    services.profile_submit(actor=officer, profile=profile)
    services.profile_decide(actor=scss, profile=profile, decision=Decision.APPROVE)
    overview = selectors.profile_overview(partner=maple, profile=profile, today=ctx.today)
    if overview.review_window_open:
        profile.refresh_from_db()
        services.annual_review_start(
            actor=officer,
            profile=profile,
            risks_reviewed="Reviewed country risk for our apparel suppliers, the DHS UFLPA "
            "Entity List and CBP Withhold Release Orders; no supplier matched.",
            supply_chain_changes="One new consolidator in Vancouver.",
            assessed_on=ctx.today,
            assessed_by_name="Étienne Roy, Compliance Manager",
        )
        first = overview.categories[0]
        services.answers_reconfirm(
            actor=officer, profile=profile, msc_ids=[r.msc_id for r in first.rows]
        )

    # A draft with a must-gap, from a company that is applying.
    bluewater = partner_services.partner_register(
        actor=None,
        name=BLUEWATER_NAME,
        entity_type="importer",
        country="US",
        identifiers=[("ior", "27-123456700"), ("bond", "BW7001234")],
        city="Charleston, SC",
        primary_contact_name="Jordan Avery",
        primary_contact_email="compliance@bluewater.demo.invalid",
    )
    if scss is not None:
        partner_services.partner_assign_scss(actor=None, partner=bluewater, scss=scss)
    officer = user_create(
        actor=None,
        organization=bluewater.organization,
        username="bluewater.officer",
        email="officer@bluewater.demo.invalid",
        role=Role.PARTNER_OFFICER,
        password=ctx.password,
        first_name="Jordan",
        last_name="Avery",
    )
    profile = services.profile_start(actor=officer, partner=bluewater)
    _answer_all(officer, profile, no=("3.9",), skip=("12.1", "12.2"))
    _evidence(
        officer,
        profile,
        "notes.txt",
        "Bluewater Trading — we are writing our social compliance program (demo).\n",
    )
