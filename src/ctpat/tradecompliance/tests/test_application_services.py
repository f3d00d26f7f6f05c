"""Trade Compliance applications: start, fill, submit, review, decide — through the services."""

from __future__ import annotations

import pytest

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.notifications.models import Notification
from ctpat.tradecompliance import questionset, rules, selectors, services
from ctpat.tradecompliance.models import (
    Application,
    ApplicationAnswer,
    ApplicationDocument,
    ApplicationStep,
    TradeComplianceMembership,
)

from .factories import CODE_OF_CONDUCT_URL, fill_application, ior_values, pdf

pytestmark = pytest.mark.django_db


def test_an_officer_starts_an_application_that_answers_the_current_version(
    draft, current, validated_officer, eligibility_codes
):
    assert draft.status == "draft" and draft.version == current
    assert draft.public_id.startswith("TCA-")
    answers = selectors.application_answers(draft)
    # The readiness check's eligibility answers carry into the application.
    assert {code: answers[code].yes_no for code in eligibility_codes} == dict.fromkeys(
        eligibility_codes, True
    )
    assert [s.kind for s in selectors.application_timeline(draft)] == ["started"]


def test_a_company_that_is_not_ready_cannot_start_and_is_told_why(
    validated_importer, validated_officer, make_ready
):
    make_ready(validated_importer, validated_officer, {"ELIG-04": False})

    with pytest.raises(DomainError) as exc:
        services.application_start(actor=validated_officer, partner=validated_importer)

    assert exc.value.code == "not_eligible"
    assert any("question 4" in m for m in exc.value.fields["eligibility"])
    assert not Application.objects.exists()


def test_a_compliance_user_cannot_start_but_can_help_fill_the_draft(
    ready_importer, validated_compliance, draft
):
    with pytest.raises(PermissionDeniedError):
        services.application_start(actor=validated_compliance, partner=ready_importer)

    services.application_answers_save(
        actor=validated_compliance, application=draft, answers={"IC-ORG": "Our compliance team."}
    )
    assert selectors.application_answers(draft)["IC-ORG"].text == "Our compliance team."
    with pytest.raises(PermissionDeniedError):
        services.application_sign_mou(
            actor=validated_compliance,
            application=draft,
            signer_name="Sam",
            acknowledged=["MOU-AGREE", "MOU-ANL"],
        )


def test_only_one_open_application_per_company(draft, ready_importer, validated_officer):
    with pytest.raises(ConflictError) as exc:
        services.application_start(actor=validated_officer, partner=ready_importer)
    assert exc.value.code == "application_open"


@pytest.mark.parametrize(
    ("answers", "urls", "field"),
    [
        ({"ELIG-01": "yes"}, {}, "ELIG-01"),
        ({"IC-ORG": 12}, {}, "IC-ORG"),
        ({"IC-ORG": "x" * (rules.ANSWER_TEXT_MAX_LENGTH + 1)}, {}, "IC-ORG"),
        ({"NOPE-01": True}, {}, "NOPE-01"),
        ({"MOU-AGREE": True}, {}, "MOU-AGREE"),
        ({}, {"FL-CODE": "http://www.example.com/code"}, "FL-CODE"),
        ({}, {"FL-CODE": "javascript:alert(1)"}, "FL-CODE"),
        ({}, {"FL-CODE": "https://localhost/code"}, "FL-CODE"),
        ({}, {"IC-ORG": "https://www.example.com"}, "IC-ORG"),
    ],
    ids=[
        "yes-no-as-text",
        "text-as-number",
        "text-too-long",
        "unknown-code",
        "mou-outside-signature",
        "http-url",
        "script-url",
        "localhost-url",
        "url-on-wrong-question",
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    draft, validated_officer, answers, urls, field
):
    before = AuditEvent.objects.count()
    good = {"IC-RISK": "Fine answer"}

    with pytest.raises(DomainError) as exc:
        services.application_answers_save(
            actor=validated_officer,
            application=draft,
            answers={**good, **answers},
            public_urls=urls,
        )

    assert exc.value.code == "invalid_answers" and field in exc.value.fields
    assert "IC-RISK" not in selectors.application_answers(draft)
    assert AuditEvent.objects.count() == before


def test_a_public_https_url_is_kept_for_the_code_of_conduct(draft, validated_officer):
    services.application_answers_save(
        actor=validated_officer,
        application=draft,
        answers={},
        public_urls={"FL-CODE": CODE_OF_CONDUCT_URL},
    )
    assert selectors.application_answers(draft)["FL-CODE"].public_url == CODE_OF_CONDUCT_URL


def test_iors_must_be_the_companys_active_ior_numbers(draft, validated_officer, make_partner):
    other = make_partner(entity_type="importer", country="US")
    with pytest.raises(DomainError) as exc:
        services.application_iors_select(
            actor=validated_officer, application=draft, ior_numbers=ior_values(other)
        )
    assert exc.value.code == "unknown_ior"
    with pytest.raises(DomainError) as exc:
        services.application_iors_select(actor=validated_officer, application=draft, ior_numbers=[])
    assert exc.value.code == "ior_required"

    services.application_iors_select(
        actor=validated_officer, application=draft, ior_numbers=ior_values(draft.partner)
    )
    assert draft.ior_numbers.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("code.exe", b"MZ\x90\x00binary", "upload_type_not_allowed"),
        ("code.pdf", b"MZ\x90\x00 not a pdf", "upload_content_mismatch"),
        ("code.pdf", b"", "upload_empty"),
    ],
    ids=["wrong-type", "renamed-executable", "empty"],
)
def test_a_bad_code_of_conduct_file_is_refused_and_nothing_is_stored(
    draft, validated_officer, media_root, name, content, code
):
    with pytest.raises(DomainError) as exc:
        services.application_document_upload(
            actor=validated_officer,
            application=draft,
            code="FL-CODE",
            uploaded_file=pdf(name, content),
        )
    assert exc.value.code == code and "file" in exc.value.fields
    assert not ApplicationDocument.objects.exists()
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True


def test_a_too_large_file_is_refused(draft, validated_officer, settings):
    settings.CTPAT_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(DomainError) as exc:
        services.application_document_upload(
            actor=validated_officer,
            application=draft,
            code="FL-CODE",
            uploaded_file=pdf(content=b"%PDF-1.4\n" + b"0" * 200),
        )
    assert exc.value.code == "upload_too_large"
    assert not ApplicationDocument.objects.exists()


def test_documents_get_random_names_under_media_root(draft, validated_officer, media_root):
    document = services.application_document_upload(
        actor=validated_officer, application=draft, code="FL-CODE", uploaded_file=pdf("My Code.pdf")
    )
    assert document.original_name == "My Code.pdf"
    assert "My Code" not in document.file.name and document.file.name.endswith(".pdf")
    assert (media_root / document.file.name).read_bytes().startswith(b"%PDF-")
    assert document.scan_status == "not_scanned"


def test_a_document_only_answers_a_document_question(draft, validated_officer):
    with pytest.raises(DomainError) as exc:
        services.application_document_upload(
            actor=validated_officer, application=draft, code="IC-ORG", uploaded_file=pdf()
        )
    assert exc.value.code == "not_a_document_question"


def test_submitting_an_incomplete_application_lists_what_is_missing_per_step(
    draft, validated_officer
):
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=validated_officer, application=draft)

    assert exc.value.code == "incomplete"
    fields = exc.value.fields
    assert set(fields) == {"iors", "internal_controls", "forced_labor", "mou"}
    assert any("IC-ORG" in m for m in fields["internal_controls"])
    assert any("FL-CODE" in m and "document" in m for m in fields["forced_labor"])
    assert any("public https address" in m for m in fields["forced_labor"])
    assert any("signed" in m for m in fields["mou"])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_no_to_an_eligibility_question_blocks_submission(draft, validated_officer):
    fill_application(draft, validated_officer)
    services.application_answers_save(
        actor=validated_officer, application=draft, answers={"ELIG-09": False}
    )
    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=validated_officer, application=draft)
    assert any("ELIG-09" in m for m in exc.value.fields["eligibility"])


def test_a_no_to_a_forced_labor_question_does_not_block_submission(draft, validated_officer):
    # Given a complete application whose forced-labor mapping question is answered No,
    fill_application(draft, validated_officer)
    services.application_answers_save(
        actor=validated_officer, application=draft, answers={"FL-MAPPING": False}
    )
    # when the officer submits, then it is submitted: only eligibility questions must be Yes.
    application = services.application_submit(actor=validated_officer, application=draft)
    assert application.status == "submitted"
    assert selectors.application_answers(application)["FL-MAPPING"].yes_no is False


def test_only_the_company_officer_submits(draft, validated_officer, validated_compliance):
    # Given a complete draft a compliance user helped fill, only the officer may submit it
    # (the officer signs for the company, DOMAIN.md §2.2).
    fill_application(draft, validated_officer)
    with pytest.raises(PermissionDeniedError):
        services.application_submit(actor=validated_compliance, application=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_complete_application_is_submitted_and_nams_are_told(nam, submitted):
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert submitted.mou_signer_name == "Pat Officer"
    assert submitted.mou_text_version.startswith("MOU-")
    assert Notification.objects.filter(recipient=nam, kind="tc_application_submitted").exists()
    assert [s.kind for s in selectors.application_timeline(submitted)] == [
        "started",
        "mou_signed",
        "submitted",
    ]


def test_a_second_submission_from_another_tab_is_a_conflict_and_changes_nothing(
    draft, validated_officer
):
    fill_application(draft, validated_officer)
    stale = Application.objects.get(pk=draft.pk)  # the second tab's copy, still "draft"
    services.application_submit(actor=validated_officer, application=draft)
    events = AuditEvent.objects.count()

    with pytest.raises(ConflictError) as exc:
        services.application_submit(actor=validated_officer, application=stale)

    assert exc.value.code == "already_submitted"
    assert AuditEvent.objects.count() == events
    assert ApplicationStep.objects.filter(application=draft, kind="submitted").count() == 1


def test_answers_cannot_change_once_submitted(submitted, validated_officer):
    with pytest.raises(ConflictError) as exc:
        services.application_answers_save(
            actor=validated_officer, application=submitted, answers={"IC-ORG": "changed"}
        )
    assert exc.value.code == "not_editable"


def test_a_nam_takes_up_an_application_and_a_nam_cannot_assign_others(
    submitted, nam, cbp_org, make_user
):
    other = make_user("nam", organization=cbp_org)
    with pytest.raises(PermissionDeniedError):
        services.application_assign(actor=nam, application=submitted, nam=other)

    application = services.application_assign(actor=nam, application=submitted, nam=nam)

    assert application.status == "under_review" and application.assigned_nam == nam


def test_a_program_admin_assigns_a_nam_who_is_told(submitted, cbp_admin, nam, scss):
    with pytest.raises(DomainError) as exc:
        services.application_assign(actor=cbp_admin, application=submitted, nam=scss)
    assert exc.value.code == "not_a_nam"

    services.application_assign(actor=cbp_admin, application=submitted, nam=nam)

    assert Notification.objects.filter(recipient=nam, kind="tc_application_assigned").exists()


def test_information_rounds_repeat_and_each_is_recorded(
    under_review, nam, validated_officer, validated_compliance
):
    services.application_request_information(
        actor=nam, application=under_review, questions="Send your 2025 self-testing report."
    )
    assert Notification.objects.filter(
        recipient=validated_officer, kind="tc_information_requested"
    ).exists()
    services.application_respond(
        actor=validated_compliance,
        application=under_review,
        response="Attached.",
        files=[pdf("self-test.pdf")],
    )
    assert Notification.objects.filter(recipient=nam, kind="tc_response_submitted").exists()
    services.application_request_information(
        actor=nam, application=under_review, questions="Who signed it?"
    )
    services.application_respond(
        actor=validated_officer, application=under_review, response="Our CFO."
    )

    rounds = list(selectors.application_information_requests(under_review))
    assert [(r.round, r.questions, r.response) for r in rounds] == [
        (1, "Send your 2025 self-testing report.", "Attached."),
        (2, "Who signed it?", "Our CFO."),
    ]
    assert [d.original_name for d in rounds[0].documents.all()] == ["self-test.pdf"]
    under_review.refresh_from_db()
    assert under_review.status == "response_submitted"


def test_a_response_without_an_open_request_is_a_conflict(under_review, validated_officer):
    with pytest.raises(ConflictError):
        services.application_respond(
            actor=validated_officer, application=under_review, response="Unasked."
        )


def test_a_nam_not_assigned_cannot_decide(under_review, cbp_org, make_user):
    stranger = make_user("nam", organization=cbp_org)
    for call in (
        lambda: services.application_approve(actor=stranger, application=under_review),
        lambda: services.application_deny(actor=stranger, application=under_review, reason="x"),
        lambda: services.application_request_information(
            actor=stranger, application=under_review, questions="x"
        ),
    ):
        with pytest.raises(PermissionDeniedError):
            call()


def test_approval_grants_the_membership_with_the_selected_iors(
    under_review, nam, validated_officer
):
    application = services.application_approve(actor=nam, application=under_review)

    membership = TradeComplianceMembership.objects.get(partner=application.partner)
    assert application.status == "approved" and application.membership == membership
    assert membership.account_number.startswith("TC") and membership.origin == "application"
    assert [i.value for i in membership.ior_numbers.all()] == ior_values(application.partner)
    assert membership.accepted_on == application.decided_at.date()
    note = Notification.objects.get(recipient=validated_officer, kind="tc_application_approved")
    assert membership.account_number in note.body


def test_a_denial_needs_reasons_and_tells_the_company(under_review, nam, validated_officer):
    with pytest.raises(DomainError) as exc:
        services.application_deny(actor=nam, application=under_review, reason="  ")
    assert exc.value.code == "required"

    application = services.application_deny(
        actor=nam, application=under_review, reason="No evidence of self-testing."
    )

    assert application.status == "denied"
    assert not TradeComplianceMembership.objects.exists()
    note = Notification.objects.get(recipient=validated_officer, kind="tc_application_denied")
    assert note.body == "No evidence of self-testing."


def test_a_decided_application_cannot_be_decided_again_or_withdrawn(
    under_review, nam, validated_officer
):
    services.application_deny(actor=nam, application=under_review, reason="No.")
    with pytest.raises(ConflictError):
        services.application_approve(actor=nam, application=under_review)
    with pytest.raises(ConflictError):
        services.application_withdraw(actor=validated_officer, application=under_review)
    assert not TradeComplianceMembership.objects.exists()


def test_the_officer_withdraws_while_undecided(under_review, validated_officer, nam):
    application = services.application_withdraw(
        actor=validated_officer, application=under_review, reason="Not this year."
    )
    assert application.status == "withdrawn"
    assert Notification.objects.filter(recipient=nam, kind="tc_application_withdrawn").exists()


def test_other_tenants_cannot_act_on_an_application(under_review, make_partner, make_user):
    other = make_partner(entity_type="importer", country="US", status="validated")
    stranger = make_user("partner_officer", organization=other.organization)
    with pytest.raises(PermissionDeniedError):
        services.application_withdraw(actor=stranger, application=under_review)
    assert not selectors.application_list(viewer=stranger).exists()


def test_the_timeline_is_built_from_the_applications_own_steps(
    under_review, nam, validated_officer
):
    services.application_request_information(actor=nam, application=under_review, questions="Q?")
    services.application_respond(actor=validated_officer, application=under_review, response="A.")
    services.application_approve(actor=nam, application=under_review)

    steps = list(selectors.application_timeline(under_review))
    assert [s.kind for s in steps] == [
        "started",
        "mou_signed",
        "submitted",
        "assigned",
        "information_requested",
        "response_submitted",
        "approved",
    ]
    assert steps[-1].from_status == "response_submitted" and steps[-1].to_status == "approved"
    assert "TC0" in steps[-1].note


# --- Questionnaire versions ----------------------------------------------------------------------


def _publish_v2(cbp_admin, *, drop: str = "IC-RECON"):
    document = questionset.as_document(questionset.read())
    document["label"] = "2026-02: social-compliance audits"
    forced = next(s for s in document["sections"] if s["key"] == "forced_labor")
    forced["questions"].append(
        {
            "code": "FL-AUDITS",
            "text": "Describe the third-party social-compliance audits of your suppliers.",
            "answer": "text",
            "source": "CBP Virtual Trade Week FAQ",
            "confidence": "I",
        }
    )
    controls = next(s for s in document["sections"] if s["key"] == "internal_controls")
    controls["questions"] = [q for q in controls["questions"] if q["code"] != drop]
    return services.questionnaire_version_publish(
        actor=cbp_admin, question_set=questionset.parse(document)
    )


def test_open_applications_keep_their_version_when_a_new_one_is_published(draft, cbp_admin):
    old = draft.version
    _publish_v2(cbp_admin)
    draft.refresh_from_db()
    assert draft.version == old


def test_cbp_moves_an_application_to_the_new_version_answers_carry_over_by_code(
    under_review, nam, cbp_admin, validated_officer
):
    v2 = _publish_v2(cbp_admin)

    application = services.application_request_questionnaire_upgrade(
        actor=nam, application=under_review, reason="New forced-labor questions."
    )

    assert application.version == v2
    answers = selectors.application_answers(application)
    assert "IC-RECON" not in answers and "FL-AUDITS" not in answers
    assert answers["IC-ORG"].text.startswith("How we handle IC-ORG")
    assert application.status == "information_requested"
    round_ = selectors.open_information_request(application)
    assert "FL-AUDITS" in round_.questions
    assert application.mou_signed  # the MOU text did not change
    missing = selectors.application_missing(application)
    assert [m.code for m in missing] == ["FL-AUDITS"]
    assert Notification.objects.filter(
        recipient=validated_officer, kind="tc_questionnaire_upgraded"
    ).exists()
    # The company answers the new question and responds.
    services.application_answers_save(
        actor=validated_officer, application=application, answers={"FL-AUDITS": "Yearly."}
    )
    services.application_respond(
        actor=validated_officer, application=application, response="Answered FL-AUDITS."
    )


def test_an_upgrade_needs_a_newer_version_and_a_reviewer(
    under_review, nam, validated_officer, cbp_admin
):
    with pytest.raises(ConflictError) as exc:
        services.application_request_questionnaire_upgrade(
            actor=nam, application=under_review, reason="x"
        )
    assert exc.value.code == "already_current"
    _publish_v2(cbp_admin)
    with pytest.raises(PermissionDeniedError):
        services.application_request_questionnaire_upgrade(
            actor=validated_officer, application=under_review, reason="x"
        )


def test_answers_are_unique_per_code(draft):
    assert ApplicationAnswer.objects.filter(application=draft).count() == 13


def test_a_removed_document_leaves_the_draft_and_its_file_goes_on_commit(
    draft, validated_officer, media_root, django_capture_on_commit_callbacks
):
    document = services.application_document_upload(
        actor=validated_officer, application=draft, code="FL-CODE", uploaded_file=pdf()
    )
    path = media_root / document.file.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_document_remove(actor=validated_officer, document=document)

    assert not ApplicationDocument.objects.exists() and not path.exists()


def test_submission_notifies_the_nams_and_never_the_company(nam, submitted, validated_officer):
    assert not Notification.objects.filter(
        recipient=validated_officer, kind="tc_application_submitted"
    ).exists()
