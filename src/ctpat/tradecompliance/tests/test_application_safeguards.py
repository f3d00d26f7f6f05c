"""Trade Compliance applications: what must hold when the world changes under an application —
eligibility decided again at submission and approval, IOR numbers deactivated meanwhile, one
NAM per review, two deciders at once, files of a failed write, and queries that do not grow
with the number of applications or questions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctpat.core.errors import ConflictError, DomainError
from ctpat.core.models import AuditEvent
from ctpat.partners.services import identifier_deactivate, partner_transition
from ctpat.tradecompliance import selectors, services
from ctpat.tradecompliance.models import (
    Application,
    ApplicationDocument,
    ApplicationStep,
    InformationRequest,
    TradeComplianceMembership,
)

from .factories import fill_application, pdf

pytestmark = pytest.mark.django_db


def _suspend(partner):
    partner_transition(actor=None, partner=partner, target="suspended", reason="Audit findings.")


def _declare_debt(partner, officer):
    services.tc_profile_update(
        actor=officer,
        partner=partner,
        import_history_start=dt.date(2019, 5, 1),
        has_cbp_debt=True,
        is_non_resident_canadian=False,
    )


# --- Eligibility is decided again ----------------------------------------------------------------


def test_a_company_suspended_between_launch_and_submit_cannot_submit(draft, validated_officer):
    fill_application(draft, validated_officer)
    _suspend(draft.partner)

    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=validated_officer, application=draft)

    assert exc.value.code == "not_eligible"
    assert any("suspended" in m for m in exc.value.fields["eligibility"])
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_at is None


@pytest.mark.parametrize(
    ("change", "words"),
    [("suspend", "suspended"), ("debt", "unpaid final debt to CBP")],
)
def test_a_company_no_longer_eligible_at_approval_is_not_approved_and_is_told_why(
    under_review, nam, validated_officer, change, words
):
    if change == "suspend":
        _suspend(under_review.partner)
    else:
        _declare_debt(under_review.partner, validated_officer)
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as exc:
        services.application_approve(actor=nam, application=under_review)

    assert exc.value.code == "not_eligible"
    assert any(words in m for m in exc.value.fields["eligibility"])
    assert not TradeComplianceMembership.objects.exists()
    under_review.refresh_from_db()
    assert under_review.status == "under_review" and under_review.decided_at is None
    assert not ApplicationStep.objects.filter(application=under_review, kind="approved").exists()
    assert AuditEvent.objects.count() == events
    # The NAM can still deny it, with the reasons.
    services.application_deny(actor=nam, application=under_review, reason=exc.value.message)


def test_the_approve_page_shows_why_the_company_is_no_longer_eligible(login, under_review, nam):
    _suspend(under_review.partner)

    response = login(nam).post(
        f"/trade-compliance/applications/{under_review.public_id}/approve/", {"reason": ""}
    )

    assert response.status_code == 400
    assert "this company is suspended" in response.content.decode()
    assert not TradeComplianceMembership.objects.exists()


# --- IOR numbers deactivated meanwhile -----------------------------------------------------------


def _deactivate_selected(application):
    for identifier in application.ior_numbers.all():
        identifier_deactivate(actor=None, identifier=identifier, reason="Bond closed.")


def test_a_selected_ior_deactivated_before_submission_makes_the_application_incomplete(
    draft, validated_officer
):
    fill_application(draft, validated_officer)
    _deactivate_selected(draft)

    with pytest.raises(DomainError) as exc:
        services.application_submit(actor=validated_officer, application=draft)

    assert exc.value.code == "incomplete"
    assert any("no longer active" in m for m in exc.value.fields["iors"])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_approval_after_an_ior_was_deactivated_is_refused_with_what_to_do(under_review, nam):
    _deactivate_selected(under_review)

    with pytest.raises(DomainError) as exc:
        services.application_approve(actor=nam, application=under_review)

    assert exc.value.code == "ior_deactivated"
    assert "ask the company for more information" in exc.value.message
    assert not TradeComplianceMembership.objects.exists()
    under_review.refresh_from_db()
    assert under_review.status == "under_review"


def test_the_company_reselects_its_iors_in_a_round_and_is_then_approved(
    under_review, nam, validated_officer
):
    from ctpat.partners.services import identifier_add

    _deactivate_selected(under_review)
    identifier_add(actor=None, partner=under_review.partner, kind="ior", value="98-765432100")
    services.application_request_information(
        actor=nam, application=under_review, questions="Your IOR number was closed."
    )
    with pytest.raises(DomainError) as exc:
        services.application_respond(
            actor=validated_officer, application=under_review, response="New one."
        )
    assert exc.value.code == "incomplete"

    new = under_review.partner.identifiers.get(kind="ior", is_active=True)
    services.application_iors_select(
        actor=validated_officer, application=under_review, ior_numbers=[new.value]
    )
    services.application_respond(
        actor=validated_officer, application=under_review, response="New one."
    )
    application = services.application_approve(actor=nam, application=under_review)

    assert list(application.membership.ior_numbers.all()) == [new]


# --- One NAM per review; two deciders at once ----------------------------------------------------


def test_a_nam_cannot_take_an_application_assigned_to_another_nam(
    under_review, nam, cbp_org, make_user, cbp_admin
):
    other = make_user("nam", organization=cbp_org)
    events = AuditEvent.objects.count()

    with pytest.raises(ConflictError) as exc:
        services.application_assign(actor=other, application=under_review, nam=other)

    assert exc.value.code == "assigned_to_another_nam"
    assert "Nora Manager" in exc.value.message
    under_review.refresh_from_db()
    assert under_review.assigned_nam == nam
    assert AuditEvent.objects.count() == events
    # A program admin re-assigns it.
    services.application_assign(actor=cbp_admin, application=under_review, nam=other)
    under_review.refresh_from_db()
    assert under_review.assigned_nam == other


def test_two_nams_taking_up_the_same_application_one_wins(submitted, cbp_org, make_user, nam):
    other = make_user("nam", organization=cbp_org)
    stale = Application.objects.get(pk=submitted.pk)  # the second NAM's page, still unassigned
    services.application_assign(actor=nam, application=submitted, nam=nam)

    with pytest.raises(ConflictError) as exc:
        services.application_assign(actor=other, application=stale, nam=other)

    assert exc.value.code == "assigned_to_another_nam"
    assert Application.objects.get(pk=submitted.pk).assigned_nam == nam


def test_another_nam_sees_no_take_up_button_and_a_post_is_a_409(
    login, under_review, cbp_org, make_user
):
    other = make_user("nam", organization=cbp_org)
    client = login(other)
    url = f"/trade-compliance/applications/{under_review.public_id}/"

    page = client.get(url).content.decode()
    response = client.post(url + "assign/", {})

    assert f"{url}assign/" not in page
    assert response.status_code == 409
    assert "only a CBP program admin can re-assign it" in response.content.decode()


def test_two_deciders_at_once_one_wins_and_the_other_gets_a_conflict(under_review, nam, cbp_admin):
    stale = Application.objects.get(pk=under_review.pk)  # the admin's page, still under review
    services.application_approve(actor=nam, application=under_review)
    steps = ApplicationStep.objects.count()

    with pytest.raises(ConflictError) as exc:
        services.application_deny(actor=cbp_admin, application=stale, reason="No.")

    assert exc.value.code == "illegal_transition"
    application = Application.objects.get(pk=under_review.pk)
    assert application.status == "approved" and application.decision_reason == ""
    assert ApplicationStep.objects.count() == steps


# --- Files of a failed write ---------------------------------------------------------------------


class SecondSaveFailsStorage(FileSystemStorage):
    """A disk that fills up after one file (``saves`` counts the files written)."""

    saves = 0

    def _save(self, name, content):
        type(self).saves += 1
        if type(self).saves > 1:
            raise OSError("No space left on device")
        return super()._save(name, content)


def _stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_response_whose_second_file_fails_leaves_no_file_and_no_row(
    under_review, nam, validated_officer, settings, media_root
):
    services.application_request_information(
        actor=nam, application=under_review, questions="Send both reports."
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.SecondSaveFailsStorage",
            "OPTIONS": {"location": str(media_root)},
        },
    }
    SecondSaveFailsStorage.saves = 0
    before = set(_stored_files(media_root))

    with pytest.raises(OSError):
        services.application_respond(
            actor=validated_officer,
            application=under_review,
            response="Both attached.",
            files=[pdf("one.pdf"), pdf("two.pdf")],
        )

    assert SecondSaveFailsStorage.saves == 2
    assert set(_stored_files(media_root)) == before
    assert not ApplicationDocument.objects.filter(information_request__isnull=False).exists()
    assert InformationRequest.objects.get(application=under_review).responded_at is None


# --- Queries -------------------------------------------------------------------------------------


def _submitted_applications(count, make_partner, make_user, make_ready):
    for _ in range(count):
        partner = make_partner(entity_type="importer", country="US", status="validated")
        officer = make_user("partner_officer", organization=partner.organization)
        make_ready(partner, officer)
        application = services.application_start(actor=officer, partner=partner)
        fill_application(application, officer)
        services.application_submit(actor=officer, application=application)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_and_its_csv_cost_the_same_queries_for_1_or_10_applications(
    login, cbp_admin, make_partner, make_user, make_ready, api_client
):
    api = api_client(cbp_admin)
    client = login(cbp_admin)
    urls = ["/trade-compliance/applications/", "/trade-compliance/applications/?format=csv"]
    _submitted_applications(1, make_partner, make_user, make_ready)
    _queries(api, "/api/tc-applications/")  # the token's first use is recorded once
    one = [_queries(client, u) for u in urls] + [_queries(api, "/api/tc-applications/")]
    _submitted_applications(9, make_partner, make_user, make_ready)
    ten = [_queries(client, u) for u in urls] + [_queries(api, "/api/tc-applications/")]

    assert Application.objects.exclude(status="draft").count() == 10
    assert ten == one


def test_the_reuse_report_costs_the_same_queries_for_1_or_10_applications(
    login, ready_importer, validated_officer
):
    client = login(validated_officer)
    url = f"/trade-compliance/reuse/{ready_importer.public_id}/"

    def withdrawn_application():
        application = services.application_start(actor=validated_officer, partner=ready_importer)
        services.application_withdraw(actor=validated_officer, application=application)

    withdrawn_application()
    one = _queries(client, url)
    for _ in range(9):
        withdrawn_application()
    ten = _queries(client, url)

    assert Application.objects.filter(partner=ready_importer).count() == 10
    assert ten == one


def test_the_review_step_reads_the_documents_once_not_once_per_question(
    login, draft, validated_officer
):
    fill_application(draft, validated_officer)
    client = login(validated_officer)
    url = f"/trade-compliance/applications/{draft.public_id}/steps/review/"
    table = ApplicationDocument._meta.db_table

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert "FL-CODE.pdf" in response.content.decode()
    document_queries = [q for q in queries.captured_queries if f'"{table}"' in q["sql"]]
    assert len(selectors.application_questions(draft)) > 1
    # One for what is missing, one for the answers' documents; not one per question.
    assert len(document_queries) <= 2
