"""Tenant A's Trade Compliance application for the isolation matrix (made through services)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile


def alpha_tc_application(alpha, alpha_officer):
    """Alpha becomes a validated member with its eligibility facts and answers, starts an
    application, answers a question with a private text and uploads the code of conduct."""
    from ctpat.partners import services as partner_services
    from ctpat.tradecompliance import selectors, services

    partner_services.partner_transition(
        actor=None, partner=alpha, target="validated", reason="Validation completed."
    )
    alpha.refresh_from_db()
    services.tc_profile_update(
        actor=alpha_officer,
        partner=alpha,
        import_history_start=dt.date(2018, 1, 1),
        has_cbp_debt=False,
        is_non_resident_canadian=False,
    )
    version = selectors.questionnaire_current()
    services.readiness_answers_save(
        actor=alpha_officer,
        partner=alpha,
        version=version,
        answers={q.code: True for q in selectors.eligibility_questions(version)},
    )
    application = services.application_start(actor=alpha_officer, partner=alpha)
    services.application_answers_save(
        actor=alpha_officer, application=application, answers={"IC-ORG": "Alpha secret TC answer"}
    )
    document = services.application_document_upload(
        actor=alpha_officer,
        application=application,
        code="FL-CODE",
        uploaded_file=SimpleUploadedFile("alpha-code.pdf", b"%PDF-1.4\nalpha\n%%EOF\n"),
    )
    return application, document


def forced_labor_world(make_partner, make_user):
    """A pilot member accepted in 2019 (so it owes the forced-labor requirements) whose officer
    submitted its statement and a code of conduct: the obligation and its document are private
    to the company and CBP."""
    from ctpat.tradecompliance import services
    from ctpat.tradecompliance.models import ForcedLaborObligation

    foxtrot = make_partner(
        name="Foxtrot Isolation Importer", entity_type="importer", country="US", status="validated"
    )
    officer = make_user("partner_officer", organization=foxtrot.organization)
    membership = services.membership_grant(
        actor=None,
        partner=foxtrot,
        accepted_on=dt.date(2019, 4, 1),
        origin="pilot_migration",
        ior_numbers=[foxtrot.identifiers.get(kind="ior").value],
    )
    obligation = ForcedLaborObligation.objects.get(membership=membership)
    services.forced_labor_submit(
        actor=officer,
        obligation=obligation,
        statement="Foxtrot secret forced-labor statement",
        files={
            "FL-CODE": [SimpleUploadedFile("foxtrot-code.pdf", b"%PDF-1.4\nfoxtrot\n%%EOF\n")],
            "FL-EVIDENCE": [SimpleUploadedFile("foxtrot-ev.pdf", b"%PDF-1.4\nfox\n%%EOF\n")],
        },
    )
    document = obligation.documents.first()
    return {
        "objects": {
            "obligation_id": obligation.public_id,
            "fl_document_id": document.public_id,
            "tc-forced-labor-obligations": obligation.public_id,
        },
        "secrets": [obligation.public_id, "Foxtrot secret forced-labor statement"],
    }
