"""Issue 7 for Trade Compliance: no typed text lost on upload, no silent cut of long text, CBP's
debt wording, only public sources on the pages, links to documents and confirmations on the
NAM's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.core.citations import internal_reference_problem
from ctpat.core.errors import DomainError
from ctpat.core.models import AuditEvent
from ctpat.core.templatetags.ctpat_text import count_status
from ctpat.tradecompliance import rules, selectors, services
from ctpat.tradecompliance.application_views import FILE_NOT_UPLOADED
from ctpat.tradecompliance.forms import TradeComplianceProfileForm
from ctpat.tradecompliance.models import ApplicationDocument

from .factories import CODE_OF_CONDUCT_URL, fill_application, pdf

pytestmark = pytest.mark.django_db

LIMIT = rules.ANSWER_TEXT_MAX_LENGTH


def step_url(application, step):
    return reverse(
        "tradecompliance:application_step",
        kwargs={"application_id": application.public_id, "step": step},
    )


def answers_of(application):
    return dict(selectors.application_answers(application))


# --- 5. No step loses input -------------------------------------------------------------------


def test_uploading_a_document_saves_the_typed_answers_with_it(login, draft, validated_officer):
    login(validated_officer)
    response = login(validated_officer).post(
        step_url(draft, "forced_labor"),
        {
            "step": "forced_labor",
            "q_FL-DILIGENCE": "We train every supplier each year.",
            "url_FL-CODE": CODE_OF_CONDUCT_URL,
            "file_FL-CODE": pdf("conduct.pdf"),
            "upload": "FL-CODE",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == step_url(draft, "forced_labor")
    saved = answers_of(draft)
    assert saved["FL-DILIGENCE"].text == "We train every supplier each year."
    assert saved["FL-CODE"].public_url == CODE_OF_CONDUCT_URL
    assert ApplicationDocument.objects.get(application=draft).original_name == "conduct.pdf"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "tradecompliance.application_answers_save",
        "tradecompliance.application_document_upload",
    } <= actions
    page = login(validated_officer).get(step_url(draft, "forced_labor")).content.decode()
    assert "We train every supplier each year." in page


def test_a_refused_file_keeps_the_answers_saved_and_says_so(login, draft, validated_officer):
    client = login(validated_officer)
    response = client.post(
        step_url(draft, "forced_labor"),
        {
            "step": "forced_labor",
            "q_FL-REMEDIATION": "Our plan: stop, remediate, disclose.",
            "file_FL-EVIDENCE": pdf("evil.pdf", b"MZ not a pdf at all"),
            "upload": "FL-EVIDENCE",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Your answers are saved; choose another file for FL-EVIDENCE." in page
    assert "Our plan: stop, remediate, disclose." in page
    assert answers_of(draft)["FL-REMEDIATION"].text == "Our plan: stop, remediate, disclose."
    assert not ApplicationDocument.objects.exists()


def test_an_answer_too_long_with_a_file_saves_nothing_and_keeps_the_text(
    login, draft, validated_officer
):
    long_text = "x" * (LIMIT + 5)
    response = login(validated_officer).post(
        step_url(draft, "forced_labor"),
        {
            "step": "forced_labor",
            "q_FL-SHARING": long_text,
            "file_FL-CODE": pdf(),
            "upload": "FL-CODE",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert long_text in page  # the whole text comes back: nothing cut, nothing lost
    assert f"it has {LIMIT + 5:,} characters and at most {LIMIT:,} are allowed" in page
    assert FILE_NOT_UPLOADED.split(";")[0] in page
    assert "FL-SHARING" not in answers_of(draft)
    assert not ApplicationDocument.objects.exists()


def test_removing_a_document_from_the_step_form_saves_the_typed_answers(
    login, draft, validated_officer
):
    document = services.application_document_upload(
        actor=validated_officer, application=draft, code="FL-CODE", uploaded_file=pdf()
    )
    remove = reverse(
        "tradecompliance:application_document_remove",
        kwargs={"application_id": draft.public_id, "document_id": document.public_id},
    )
    response = login(validated_officer).post(
        remove, {"step": "forced_labor", "q_FL-DILIGENCE": "Typed before removing."}
    )

    assert response.status_code == 302
    assert not ApplicationDocument.objects.exists()
    assert answers_of(draft)["FL-DILIGENCE"].text == "Typed before removing."


def test_the_step_form_is_one_multipart_form_with_counters_and_no_maxlength(
    login, draft, validated_officer
):
    page = login(validated_officer).get(step_url(draft, "forced_labor")).content.decode()

    assert page.count('enctype="multipart/form-data"') == 1
    assert 'name="file_FL-CODE"' in page and 'name="upload" value="FL-CODE"' in page
    assert f'class="usa-character-count" data-maxlength="{LIMIT}"' in page
    assert f"{LIMIT} characters allowed" in page
    assert ' maxlength="' not in page  # browsers would cut pasted text silently


# --- 6. Long text is refused, never cut ---------------------------------------------------------


def test_the_api_refuses_an_over_long_answer_naming_the_field_and_limit(
    api_client, draft, validated_officer
):
    response = api_client(validated_officer).post(
        f"/api/tc-applications/{draft.public_id}/answers/",
        {"answers": {"IC-ORG": "y" * (LIMIT + 1)}},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert "IC-ORG" in error["fields"]
    assert f"at most {LIMIT:,}" in " ".join(error["fields"]["IC-ORG"])
    assert "IC-ORG" not in answers_of(draft)


@pytest.mark.parametrize(
    "action",
    ["deny", "withdraw", "approve"],
)
def test_over_long_decision_texts_are_refused_not_cut(action, under_review, nam, validated_officer):
    long_text = "r" * (services.DECISION_REASON_MAX_LENGTH + 1)
    with pytest.raises(DomainError) as exc:
        if action == "deny":
            services.application_deny(actor=nam, application=under_review, reason=long_text)
        elif action == "withdraw":
            services.application_withdraw(
                actor=validated_officer, application=under_review, reason=long_text
            )
        else:
            services.application_approve(actor=nam, application=under_review, notes=long_text)
    assert exc.value.code == "too_long"
    under_review.refresh_from_db()
    assert under_review.status == "under_review" and under_review.decision_reason == ""


def test_the_deny_page_refuses_an_over_long_reason_and_shows_it_whole(login, under_review, nam):
    long_text = "d" * (services.DECISION_REASON_MAX_LENGTH + 3)
    response = login(nam).post(
        reverse(
            "tradecompliance:application_deny",
            kwargs={"application_id": under_review.public_id},
        ),
        {"reason": long_text},
    )
    assert response.status_code == 400
    assert long_text in response.content.decode()
    assert "Reason is too long" in response.content.decode()


def test_a_reused_narrative_is_never_cut():
    narrative = "n" * (LIMIT + 50)
    assert rules.reused_value("text", "yes", narrative) == narrative


def test_the_counter_speaks_like_uswds():
    assert count_status(0, 10) == ("10 characters allowed", False)
    assert count_status(9, 10) == ("1 character left", False)
    assert count_status(13, 10) == ("3 characters over limit", True)


# --- 1. CBP's debt wording ------------------------------------------------------------------------


def test_the_debt_rule_uses_cbps_final_debt_wording():
    assert "exhausted all administrative and judicial remedies" in rules.CBP_DEBT_WORDING
    assert rules.REQUIREMENT_LABELS[rules.Requirement.NO_CBP_DEBT] == (
        "No unpaid final debt to CBP"
    )
    assert "marine-port-authority-terminal-operators" in rules.SOURCE_CBP_DEBT
    form = TradeComplianceProfileForm()
    assert "final debt" in str(form.fields["has_cbp_debt"].label)
    assert rules.CBP_DEBT_WORDING in form.fields["has_cbp_debt"].help_text
    assert "any debt" not in str(form.fields["has_cbp_debt"].label)


def test_the_migration_clears_yes_answers_given_to_the_any_debt_question(
    validated_importer, validated_officer
):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from ctpat.tradecompliance.models import TradeComplianceProfile

    services.tc_profile_update(
        actor=validated_officer,
        partner=validated_importer,
        import_history_start=None,
        has_cbp_debt=True,
        is_non_resident_canadian=False,
    )
    migration = importlib.import_module(
        "ctpat.tradecompliance.migrations.0007_cbp_final_debt_wording"
    )
    state = MigrationLoader(connection).project_state(
        ("tradecompliance", "0007_cbp_final_debt_wording")
    )
    migration.clear_yes_answers(state.apps, None)  # historical models, as the migration runs
    assert TradeComplianceProfile.objects.get(partner=validated_importer).has_cbp_debt is None


# --- 7. Only public sources on the pages ----------------------------------------------------------


def test_trade_compliance_pages_never_show_internal_source_notes(
    client, login, draft, validated_officer, validated_importer
):
    fill_application(draft, validated_officer)
    pages = [
        client.get(reverse("tradecompliance:preview")).content.decode(),
    ]
    user = login(validated_officer)
    pages.append(user.get(reverse("tradecompliance:readiness")).content.decode())
    for step in rules.APPLICATION_STEPS:
        pages.append(user.get(step_url(draft, step)).content.decode())
    for page in pages:
        assert internal_reference_problem(page) is None, internal_reference_problem(page)
    assert "reginfo.gov" in pages[1]  # a real citation replaces the consultant sources


# --- 9. The NAM's pages ---------------------------------------------------------------------------


def test_the_nam_review_links_every_uploaded_document_and_decisions_ask_first(
    login, under_review, nam
):
    client = login(nam)
    review = client.get(step_url(under_review, "review")).content.decode()
    for document in ApplicationDocument.objects.filter(application=under_review):
        href = reverse(
            "tradecompliance:application_document",
            kwargs={"application_id": under_review.public_id, "document_id": document.public_id},
        )
        assert f'href="{href}"' in review
        assert client.get(href).status_code == 200
    detail = client.get(
        reverse(
            "tradecompliance:application_detail",
            kwargs={"application_id": under_review.public_id},
        )
    ).content.decode()
    assert 'data-confirm="Approve this application' in detail
    assert 'data-confirm="Deny this application?' in detail
