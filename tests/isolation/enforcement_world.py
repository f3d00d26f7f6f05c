"""A suspended company with an answered case and an appeal, for the isolation matrix."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def enforcement_world(*, make_partner, make_user) -> dict:
    """Golf is suspended with required actions, answers with a document and appeals."""
    from ctpat.enforcement import selectors, services
    from ctpat.enforcement.tests.factories import answers_for

    golf = make_partner(
        name="Golf Isolation Imports", entity_type="importer", country="US", status="validated"
    )
    officer = make_user("partner_officer", organization=golf.organization)
    case = services.partner_suspend(
        actor=None,
        partner=golf,
        letter="Golf secret suspension letter.",
        required_actions=["corrective_action_plan"],
    )
    answer = services.suspension_answer_submit(
        actor=officer,
        case=case,
        action_answers=answers_for(case),
        note="Golf secret answer note",
        files=[SimpleUploadedFile("golf-plan.txt", b"Golf corrective action plan")],
    )
    golf.refresh_from_db()
    change = selectors.current_decision(golf, today=case.suspended_on).change
    appeal = services.appeal_file(
        actor=officer,
        partner=golf,
        change=change,
        grounds="Golf secret appeal grounds",
        files=[SimpleUploadedFile("golf-appeal.txt", b"Golf appeal evidence")],
    )
    document = answer.documents.get()
    tc_appeal = _tc_membership_appeal(make_partner=make_partner, make_user=make_user)
    return {
        "objects": {
            "case_id": case.public_id,
            "appeal_id": appeal.public_id,
            "enforcement_document_id": document.public_id,
            "suspension-cases": case.public_id,
            "appeals": appeal.public_id,
            "enforcement-documents": document.public_id,
        },
        "secrets": [
            case.public_id,
            appeal.public_id,
            "Golf Isolation Imports",
            "Golf secret suspension letter.",
            "Golf secret answer note",
            "Golf secret appeal grounds",
            tc_appeal.public_id,
            "Hotel Isolation Imports",
            "Hotel secret Trade Compliance appeal grounds",
        ],
        "golf": golf,
        "officer": officer,
        "case": case,
        "appeal": appeal,
        "document": document,
        "tc_appeal": tc_appeal,
    }


def _tc_membership_appeal(*, make_partner, make_user):
    """Hotel's Trade Compliance membership is suspended and Hotel appeals it."""
    import datetime as dt

    from django.utils import timezone

    from ctpat.enforcement import services
    from ctpat.tradecompliance import services as tc_services

    hotel = make_partner(
        name="Hotel Isolation Imports", entity_type="importer", country="US", status="validated"
    )
    officer = make_user("partner_officer", organization=hotel.organization)
    iors = hotel.identifiers.filter(kind="ior", is_active=True).values_list("value", flat=True)
    membership = tc_services.membership_grant(
        actor=None,
        partner=hotel,
        accepted_on=timezone.localdate() - dt.timedelta(days=400),
        origin="recorded",
        ior_numbers=list(iors),
    )
    tc_services.membership_transition(
        actor=None, membership=membership, target="suspended", reason="Hotel letter missing."
    )
    return services.appeal_file(
        actor=officer,
        partner=hotel,
        decision_ref=f"tc_membership:{membership.public_id}",
        grounds="Hotel secret Trade Compliance appeal grounds",
    )
