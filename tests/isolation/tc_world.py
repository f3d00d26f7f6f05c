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
