"""Trade Compliance application factories: made through the services, as the product does."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
CODE_OF_CONDUCT_URL = "https://www.example.com/supplier-code-of-conduct"


def pdf(name: str = "code-of-conduct.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def text_answers(application) -> dict:
    """A written answer for every text question and Yes for every yes/no question."""
    from ctpat.tradecompliance import selectors

    answers = {}
    for q in selectors.application_questions(application):
        if q.answer_type == "text":
            answers[q.code] = f"How we handle {q.code}: documented procedure, owner, review."
        elif q.answer_type == "yes_no":
            answers[q.code] = True
    return answers


def ior_values(partner) -> list[str]:
    return list(
        partner.identifiers.filter(kind="ior", is_active=True).values_list("value", flat=True)
    )


def fill_application(application, officer, *, sign: bool = True):
    """Answer every question, choose the IORs, upload both documents, sign the MOU."""
    from ctpat.tradecompliance import services

    services.application_answers_save(
        actor=officer,
        application=application,
        answers=text_answers(application),
        public_urls={"FL-CODE": CODE_OF_CONDUCT_URL},
    )
    services.application_iors_select(
        actor=officer, application=application, ior_numbers=ior_values(application.partner)
    )
    for code in ("FL-CODE", "FL-EVIDENCE"):
        services.application_document_upload(
            actor=officer, application=application, code=code, uploaded_file=pdf(f"{code}.pdf")
        )
    if sign:
        services.application_sign_mou(
            actor=officer,
            application=application,
            signer_name="Pat Officer",
            acknowledged=["MOU-AGREE", "MOU-ANL"],
        )
    application.refresh_from_db()
    return application
