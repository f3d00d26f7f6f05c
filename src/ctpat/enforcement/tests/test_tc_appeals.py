"""Appeals of Trade Compliance decisions (6 U.S.C. 967(c)(1)): a denied application, a
suspended or removed membership — filing, the windows, CBP's decision flowing back through the
Trade Compliance records, audit and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.enforcement import selectors, services
from ctpat.enforcement.models import Appeal
from ctpat.notifications.models import Notification
from ctpat.tradecompliance import appeal_outcomes
from ctpat.tradecompliance import services as tc_services
from ctpat.tradecompliance.models import Application, TradeComplianceMembership

from .tc_factories import tc_denied_application, tc_member, tc_suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _today():
    return timezone.localdate()


def _file_denial(officer, partner, application, grounds="We sent the self-testing report."):
    return services.appeal_file(
        actor=officer,
        partner=partner,
        decision_ref=f"tc_application:{application.public_id}",
        grounds=grounds,
        files=[SimpleUploadedFile("report.txt", b"Self-testing report 2026")],
    )


def _file_membership(officer, partner, membership, grounds="The letter was filed on time."):
    return services.appeal_file(
        actor=officer,
        partner=partner,
        decision_ref=f"tc_membership:{membership.public_id}",
        grounds=grounds,
    )


# --- What may be appealed --------------------------------------------------------------------


def test_a_denied_application_is_an_appealable_decision_with_the_90_day_window():
    partner, _, _, application = tc_denied_application()

    found = selectors.appealable_decisions(partner, today=_today())

    assert [d.ref for d in found] == [f"tc_application:{application.public_id}"]
    decision = found[0]
    assert decision.kind == "denial" and decision.basis == "benefits"
    assert decision.deadline == _today() + timedelta(days=90)
    assert decision.reason == "No evidence of self-testing."
    assert decision.paragraph == "6 U.S.C. 967(c)(1)"


def test_a_suspended_and_a_removed_membership_are_appealable_decisions():
    suspended, _, membership = tc_suspended_member(days_ago=5)
    removed, _, removed_membership = tc_suspended_member(days_ago=100, removed_days_ago=3)

    (s,) = selectors.appealable_decisions(suspended, today=_today())
    (r,) = selectors.appealable_decisions(removed, today=_today())

    assert (s.kind, s.decision_date, s.membership) == (
        "suspension",
        _today() - timedelta(days=5),
        membership,
    )
    assert s.reason == "The Annual Notification Letter was not filed."
    assert (r.kind, r.decision_date) == ("removal", _today() - timedelta(days=3))
    assert r.membership == removed_membership


def test_an_active_member_and_an_application_under_review_have_nothing_to_appeal():
    partner, _, _ = tc_member()

    assert selectors.appealable_decisions(partner, today=_today()) == []


# --- Filing -------------------------------------------------------------------------------------


def test_the_officer_appeals_a_denial_with_a_document_and_both_sides_are_told(cbp_admin):
    partner, officer, _, application = tc_denied_application()

    appeal = _file_denial(officer, partner, application)

    assert appeal.subject == "tc_application" and appeal.tc_application == application
    assert appeal.status_change is None and appeal.tc_membership is None
    assert appeal.decision_kind == "denial" and appeal.basis == "benefits"
    assert appeal.decision_due == _today() + timedelta(days=180)
    assert [d.original_name for d in appeal.documents.all()] == ["report.txt"]
    assert appeal.decision_label == (
        f"Denial of the Trade Compliance application {application.public_id}"
    )
    event = AuditEvent.objects.get(action="enforcement.appeal_file", object_id=appeal.public_id)
    assert event.after["subject"] == "tc_application"
    to_cbp = Notification.objects.get(recipient=cbp_admin, kind="enforcement.appeal_filed")
    assert application.public_id in to_cbp.title
    assert Notification.objects.filter(recipient=officer, kind="enforcement.appeal_filed")


def test_a_denial_cannot_be_appealed_twice():
    partner, officer, _, application = tc_denied_application()
    _file_denial(officer, partner, application)

    with pytest.raises(ConflictError) as err:
        _file_denial(officer, partner, application, grounds="Again.")

    assert err.value.code == "already_appealed"


def test_a_late_appeal_of_a_denial_is_refused_with_the_statute(monkeypatch):
    partner, officer, _, application = tc_denied_application()
    monkeypatch.setattr(services, "_today", lambda: timezone.localdate() + timedelta(days=91))

    with pytest.raises(DomainError) as err:
        _file_denial(officer, partner, application)

    assert err.value.code == "appeal_too_late"
    assert "within 90 days" in err.value.message and "6 U.S.C. 967(c)(1)" in err.value.message
    assert not Appeal.objects.exists()


def test_the_last_day_of_the_window_is_still_in_time(monkeypatch):
    partner, officer, _, application = tc_denied_application()
    monkeypatch.setattr(services, "_today", lambda: timezone.localdate() + timedelta(days=90))

    appeal = _file_denial(officer, partner, application)

    assert appeal.filing_deadline == appeal.filed_on


def test_a_late_appeal_of_a_membership_suspension_is_refused():
    partner, officer, membership = tc_suspended_member(days_ago=91)

    with pytest.raises(DomainError) as err:
        _file_membership(officer, partner, membership)

    assert err.value.code == "appeal_too_late"


def test_only_the_companys_own_officer_files(make_user):
    partner, _, _, application = tc_denied_application()
    compliance = make_user("partner_compliance", organization=partner.organization)
    _, stranger, _ = tc_member()

    for actor in (compliance, stranger):
        with pytest.raises(PermissionDeniedError):
            _file_denial(actor, partner, application)


def test_a_reference_to_a_decision_not_in_force_is_refused():
    partner, officer, _ = tc_member()
    other, _, _, application = tc_denied_application()

    for ref in (f"tc_application:{application.public_id}", "tc_membership:TCM-NOPE", "junk"):
        with pytest.raises(DomainError) as err:
            services.appeal_file(actor=officer, partner=partner, decision_ref=ref, grounds="x")
        assert err.value.code == "not_appealable"


def test_a_second_appeal_of_the_same_membership_decision_is_refused_by_the_database():
    partner, officer, membership = tc_suspended_member(days_ago=2)
    appeal = _file_membership(officer, partner, membership)

    duplicate = Appeal(
        partner=partner,
        subject="tc_membership",
        tc_membership=membership,
        decision_kind=appeal.decision_kind,
        basis=appeal.basis,
        decision_date=appeal.decision_date,
        filed_on=appeal.filed_on,
        filing_deadline=appeal.filing_deadline,
        decision_due=appeal.decision_due,
        grounds="Again",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        from ctpat.core.services import service

        service(lambda *, actor: duplicate.save())(actor=None)


# --- Decisions on a denied application -----------------------------------------------------------


def test_a_reversed_denial_approves_the_application_and_grants_the_membership(cbp_admin):
    partner, officer, _, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)

    appeal = services.appeal_decide(
        actor=cbp_admin, appeal=appeal, outcome="reversed", reason="The report was on file."
    )

    application.refresh_from_db()
    membership = TradeComplianceMembership.objects.get(partner=partner)
    assert application.status == "approved" and application.membership == membership
    assert membership.account_number.startswith("TC") and membership.origin == "application"
    assert application.decision_reason == (
        f"Approved on appeal {appeal.public_id}: The report was on file."
    )
    assert (appeal.state, appeal.outcome, appeal.resulting_status) == (
        "decided",
        "reversed",
        "approved",
    )
    assert appeal.resulting_label == "Approved"
    actions = set(
        AuditEvent.objects.filter(
            object_id__in=[application.public_id, appeal.public_id, membership.public_id]
        ).values_list("action", flat=True)
    )
    assert {
        "tradecompliance.application_appeal_reopen",
        "tradecompliance.application_approve",
        "tradecompliance.membership_grant",
        "enforcement.appeal_decide",
    } <= actions
    decided = Notification.objects.get(recipient=officer, kind="enforcement.appeal_decided")
    assert membership.account_number in decided.body
    # The application's own approval notice goes out too (the denial's notice has its own key).
    approved = Notification.objects.get(recipient=officer, kind="tc_application_approved")
    assert membership.account_number in approved.body
    # The timeline shows the denial set aside on appeal, then the approval.
    kinds = list(application.steps.order_by("at", "id").values_list("kind", flat=True))
    assert kinds[-2:] == ["reopened_on_appeal", "approved"]


def test_a_modified_denial_sends_the_application_back_to_its_nam(cbp_admin):
    partner, officer, nam, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)

    appeal = services.appeal_decide(
        actor=cbp_admin,
        appeal=appeal,
        outcome="modified",
        reason="Review the 2026 self-testing report before deciding.",
    )

    application.refresh_from_db()
    assert application.status == "under_review" and application.assigned_nam == nam
    assert application.decision_reason == "No evidence of self-testing."  # kept on record
    step = application.steps.order_by("-at", "-id").first()
    assert step.from_status == "denied" and step.to_status == "under_review"
    assert "Review the 2026 self-testing report" in step.note and appeal.public_id in step.note
    assert appeal.resulting_status == "under_review"
    told = Notification.objects.get(recipient=nam, kind="tc_application_appeal_review")
    assert "Review the 2026 self-testing report" in told.body
    assert not TradeComplianceMembership.objects.filter(partner=partner).exists()
    # The NAM decides again through the ordinary path.
    tc_services.application_approve(actor=nam, application=application)
    application.refresh_from_db()
    assert application.status == "approved"


def test_an_upheld_denial_changes_nothing(cbp_admin):
    partner, officer, _, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)

    appeal = services.appeal_decide(
        actor=cbp_admin, appeal=appeal, outcome="upheld", reason="The denial stands."
    )

    application.refresh_from_db()
    assert application.status == "denied" and appeal.resulting_status == ""
    assert not AuditEvent.objects.filter(action="tradecompliance.application_appeal_reopen")


def test_a_denied_application_takes_no_resulting_status(cbp_admin):
    partner, officer, _, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)

    with pytest.raises(DomainError) as err:
        services.appeal_decide(
            actor=cbp_admin,
            appeal=appeal,
            outcome="modified",
            reason="x",
            resulting_status="active",
        )

    assert err.value.code == "resulting_status_not_allowed"


def test_a_denial_cannot_be_reopened_once_the_company_applied_again(cbp_admin):
    partner, officer, _, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)
    newer = tc_services.application_start(actor=officer, partner=partner)

    with pytest.raises(ConflictError) as err:
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="x")

    assert err.value.code == "decision_superseded" and newer.public_id in err.value.message
    application.refresh_from_db()
    assert application.status == "denied"
    appeal.refresh_from_db()
    assert appeal.state == "filed"


def test_a_reversal_refused_by_the_eligibility_rule_rolls_everything_back(cbp_admin):
    partner, officer, _, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)
    tc_services.tc_profile_update(
        actor=officer,
        partner=partner,
        import_history_start=timezone.localdate() - timedelta(days=30),
        has_cbp_debt=True,
        is_non_resident_canadian=False,
    )

    with pytest.raises(DomainError) as err:
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="x")

    assert err.value.code == "not_eligible"
    application.refresh_from_db()
    assert application.status == "denied"
    assert not TradeComplianceMembership.objects.filter(partner=partner).exists()


# --- Decisions on a membership -----------------------------------------------------------------


def test_a_reversed_suspension_reinstates_through_the_membership_state_machine(cbp_admin):
    partner, officer, membership = tc_suspended_member(days_ago=4)
    appeal = _file_membership(officer, partner, membership)

    appeal = services.appeal_decide(
        actor=cbp_admin, appeal=appeal, outcome="reversed", reason="The letter was on file."
    )

    membership.refresh_from_db()
    assert membership.status == "active" and membership.suspended_on is None
    assert appeal.resulting_status == "active" and appeal.resulting_label == "Active"
    event = AuditEvent.objects.get(
        action="tradecompliance.membership_transition",
        object_id=membership.public_id,
        after__status="active",
    )
    assert appeal.public_id in event.reason
    note = Notification.objects.get(recipient=officer, kind="enforcement.appeal_decided")
    assert "Trade Compliance membership is now active" in note.body


def test_a_reversed_removal_reinstates_the_membership(cbp_admin):
    partner, officer, membership = tc_suspended_member(days_ago=120, removed_days_ago=10)
    appeal = _file_membership(officer, partner, membership)

    services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="Wrong.")

    membership.refresh_from_db()
    assert membership.status == "active" and membership.status_changed_on == _today()
    assert AuditEvent.objects.filter(
        action="tradecompliance.membership_appeal_restore", object_id=membership.public_id
    )


def test_a_modified_removal_becomes_a_suspension_with_a_new_window(cbp_admin):
    partner, officer, membership = tc_suspended_member(days_ago=120, removed_days_ago=10)
    appeal = _file_membership(officer, partner, membership)

    with pytest.raises(DomainError) as err:
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="modified", reason="x")
    assert err.value.code == "resulting_status_required"
    with pytest.raises(DomainError) as err:
        services.appeal_decide(
            actor=cbp_admin,
            appeal=appeal,
            outcome="modified",
            reason="x",
            resulting_status="withdrawn",
        )
    assert err.value.code == "appeal_target_not_allowed"

    services.appeal_decide(
        actor=cbp_admin,
        appeal=appeal,
        outcome="modified",
        reason="Suspension, not removal.",
        resulting_status="suspended",
    )

    membership.refresh_from_db()
    assert membership.status == "suspended" and membership.suspended_on == _today()
    # The new suspension is a decision of its own, appealable again.
    (again,) = selectors.appealable_decisions(partner, today=_today())
    assert again.kind == "suspension" and again.appeal is None


def test_a_membership_decision_changed_since_the_filing_can_only_be_upheld(cbp_admin):
    partner, officer, membership = tc_suspended_member(days_ago=4)
    appeal = _file_membership(officer, partner, membership)
    tc_services.membership_transition(
        actor=cbp_admin, membership=membership, target="active", reason="Letter filed."
    )

    with pytest.raises(ConflictError) as err:
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="x")
    assert err.value.code == "decision_superseded"

    appeal = services.appeal_decide(
        actor=cbp_admin, appeal=appeal, outcome="upheld", reason="Moot: reinstated."
    )
    assert appeal.outcome == "upheld"


def test_only_a_program_admin_decides_and_restores(scss, make_user):
    partner, officer, membership = tc_suspended_member(days_ago=4)
    appeal = _file_membership(officer, partner, membership)
    nam = make_user("nam")

    for actor in (scss, nam, officer):
        with pytest.raises(PermissionDeniedError):
            services.appeal_decide(actor=actor, appeal=appeal, outcome="reversed", reason="x")
        with pytest.raises(PermissionDeniedError):
            appeal_outcomes.membership_appeal_restore(
                actor=actor, membership=membership, target="active", appeal_id="A", reason="x"
            )


def test_appeal_targets_of_a_membership():
    assert appeal_outcomes.membership_appeal_targets("suspended") == ["active"]
    assert appeal_outcomes.membership_appeal_targets("removed") == ["active", "suspended"]
    assert appeal_outcomes.membership_appeal_targets("active") == []
    assert appeal_outcomes.membership_appeal_targets("withdrawn") == []


# --- Clocks and reminders ----------------------------------------------------------------------


def test_tc_appeals_get_the_same_180_day_reminders(cbp_admin):
    partner, officer, _, application = tc_denied_application()
    appeal = _file_denial(officer, partner, application)

    run = services.appeal_reminders_send(today=appeal.decision_due - timedelta(days=7))

    assert run.reminders == 1
    appeal.refresh_from_db()
    assert 7 in appeal.reminders_sent
    assert Notification.objects.filter(recipient=cbp_admin, kind="enforcement.appeal_reminder")


def test_the_denied_application_record_is_untouched_by_filing():
    partner, officer, _, application = tc_denied_application()
    _file_denial(officer, partner, application)

    assert Application.objects.get(pk=application.pk).status == "denied"
