"""Trade Compliance applications in the demo, made through the services.

The demo's own importers Harbor Lane and Maple Leaf are already Trade Compliance members (the
Annual Notification Letters demo migrates Harbor Lane from the pilot and accepts Maple Leaf), and
a member cannot apply again; so five more U.S. importers (validated, with five years of imports
and no CBP debt) show every stage of an application:

* Bayou Cookware — a draft, half filled in;
* Cascade Outdoor Supply — submitted, waiting in the queue for a National Account Manager;
* Delta Home Textiles — under review, CBP asked for more information;
* Evergreen Toy Imports — approved, with its Trade Compliance account number;
* Foothill Apparel Group — denied, with the reasons.

Each company's officer logs in as ``<key>.officer`` with the demo password.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from ctpat.accounts.choices import Role

from . import selectors, services

DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"

# key, name, city, contact, IOR, bond, stage
IMPORTERS = (
    (
        "bayou",
        "Bayou Cookware LLC",
        "New Orleans, LA",
        "Renee Thibodeaux",
        "47-552001100",
        "TB4410021",
        "draft",
    ),
    (
        "cascade",
        "Cascade Outdoor Supply Co.",
        "Tacoma, WA",
        "Owen Lindqvist",
        "58-771002300",
        "TB4410032",
        "submitted",
    ),
    (
        "delta",
        "Delta Home Textiles Inc.",
        "Memphis, TN",
        "Alicia Moreno",
        "12-660003400",
        "TB4410043",
        "information_requested",
    ),
    (
        "evergreen",
        "Evergreen Toy Imports Inc.",
        "Portland, OR",
        "Hannah Cho",
        "47-880004500",
        "TB4410054",
        "approved",
    ),
    (
        "foothill",
        "Foothill Apparel Group LLC",
        "Fresno, CA",
        "Victor Salas",
        "58-990005600",
        "TB4410065",
        "denied",
    ),
)


def _register(ctx, key, name, city, contact, ior, bond):
    from ctpat.demo.seed import register_validated_importer

    return register_validated_importer(
        ctx,
        key=key,
        name=name,
        identifiers=[("ior", ior), ("bond", bond)],
        city=city,
        contact=contact,
        days_ago=(2000, 1950, 1880, 1400),
    )


def _ready(partner, officer, today):
    services.tc_profile_update(
        actor=officer,
        partner=partner,
        import_history_start=today - dt.timedelta(days=5 * 365),
        has_cbp_debt=False,
        is_non_resident_canadian=False,
    )
    version = selectors.questionnaire_current()
    services.readiness_answers_save(
        actor=officer,
        partner=partner,
        version=version,
        answers={q.code: True for q in selectors.eligibility_questions(version)},
    )


def _fill(application, officer, partner, *, complete: bool = True):
    questions = selectors.application_questions(application)
    answers = {}
    for q in questions:
        if q.answer_type == "yes_no":
            answers[q.code] = True
        elif q.answer_type == "text" and (complete or q.section.key == "internal_controls"):
            answers[q.code] = (
                f"{partner.name}: documented procedure for {q.code}, owned by the trade "
                "compliance manager, reviewed every year and tested in the annual self-test."
            )
    services.application_answers_save(
        actor=officer,
        application=application,
        answers=answers,
        public_urls={
            "FL-CODE": f"https://www.{partner.organization.public_id.lower()}.example/code"
        }
        if complete
        else {},
    )
    services.application_iors_select(
        actor=officer,
        application=application,
        ior_numbers=[partner.identifiers.get(kind="ior").value],
    )
    if not complete:
        return
    for code, name in (("FL-CODE", "code-of-conduct.pdf"), ("FL-EVIDENCE", "training-log.pdf")):
        services.application_document_upload(
            actor=officer,
            application=application,
            code=code,
            uploaded_file=SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf"),
        )
    services.application_sign_mou(
        actor=officer,
        application=application,
        signer_name=officer.get_full_name(),
        acknowledged=[q.code for q in questions if q.answer_type == "acknowledgement"],
    )


def seed(ctx) -> None:
    nam = ctx.cbp_users[Role.NAM]
    for key, name, city, contact, ior, bond, stage in IMPORTERS:
        partner, officer = _register(ctx, key, name, city, contact, ior, bond)
        _ready(partner, officer, ctx.today)
        application = services.application_start(actor=officer, partner=partner)
        _fill(application, officer, partner, complete=stage != "draft")
        if stage == "draft":
            continue
        services.application_submit(actor=officer, application=application)
        if stage == "submitted":
            continue
        services.application_assign(actor=nam, application=application, nam=nam)
        services.application_request_information(
            actor=nam,
            application=application,
            questions="Send the results of your last annual self-test of the classification "
            "controls.",
        )
        if stage == "information_requested":
            continue
        services.application_respond(
            actor=officer,
            application=application,
            response="Our 2025 self-test sampled 120 entries; two classification errors were "
            "corrected through post-summary corrections.",
            files=[SimpleUploadedFile("self-test-2025.pdf", DEMO_PDF)],
        )
        if stage == "approved":
            services.application_approve(actor=nam, application=application)
        else:
            services.application_deny(
                actor=nam,
                application=application,
                reason="The self-test does not cover valuation, and no corrective actions are "
                "recorded for the errors found. You may apply again once they are in place.",
            )
