"""Suspensions with conditions, answers, immediate removal, appeals and their reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.enforcement import selectors, services
from ctpat.enforcement.models import Appeal, SuspensionCase
from ctpat.notifications.models import Notification
from ctpat.partners.models import StatusChange
from ctpat.partners.services import partner_transition

from .factories import answers_for, suspended_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")


def _today():
    return timezone.localdate()


# --- Suspension ----------------------------------------------------------------------------


def test_a_suspension_opens_a_case_with_the_letter_actions_and_deadline(
    importer, importer_officer, scss
):
    case = services.partner_suspend(
        actor=scss,
        partner=importer,
        letter="Container seals were not verified.",
        required_actions=["corrective_action_plan", "vulnerabilities_addressed"],
        other_actions="Retrain the yard staff.",
    )

    assert case.state == "open"
    assert case.letter == "Container seals were not verified."
    assert case.required_actions == ["corrective_action_plan", "vulnerabilities_addressed"]
    assert case.response_due == _today() + timedelta(days=90)
    assert case.status_before_suspension == "certified"
    assert case.status_change.to_status == "suspended"
    note = Notification.objects.get(recipient=importer_officer)
    assert note.title == "Your CTPAT membership is suspended"
    assert note.link == f"/enforcement/suspensions/{case.public_id}/"
    assert AuditEvent.objects.filter(action="enforcement.case_open", object_id=case.public_id)


def test_the_response_window_is_a_setting(importer, scss, settings):
    settings.CTPAT_SUSPENSION_RESPONSE_DAYS = 14

    case = services.partner_suspend(
        actor=scss, partner=importer, letter="x", required_actions=["unannounced_visits"]
    )

    assert case.response_due == _today() + timedelta(days=14)


def test_a_suspension_needs_a_letter_and_required_actions(importer, scss):
    with pytest.raises(DomainError) as no_letter:
        services.partner_suspend(actor=scss, partner=importer, letter=" ", required_actions=[])
    with pytest.raises(DomainError) as no_actions:
        services.partner_suspend(actor=scss, partner=importer, letter="x", required_actions=[])
    with pytest.raises(DomainError) as bogus:
        services.partner_suspend(actor=scss, partner=importer, letter="x", required_actions=["x"])

    assert no_letter.value.code == "required"
    assert no_actions.value.code == "required_actions_missing"
    assert bogus.value.code == "invalid_required_action"
    importer.refresh_from_db()
    assert importer.status == "certified"


def test_a_partner_cannot_suspend(importer, importer_officer):
    with pytest.raises(PermissionDeniedError):
        services.partner_suspend(
            actor=importer_officer,
            partner=importer,
            letter="x",
            required_actions=["unannounced_visits"],
        )


def test_every_suspension_opens_a_case_even_through_the_plain_transition(importer, scss):
    partner_transition(actor=scss, partner=importer, target="suspended", reason="Missed review")

    case = selectors.open_case_for(importer)
    assert case.letter == "Missed review"
    assert case.required_actions == []


# --- Answer ----------------------------------------------------------------------------------


def test_the_officer_answers_each_required_action_with_documents():
    partner, officer, case = suspended_member(days_ago=5)

    answer = services.suspension_answer_submit(
        actor=officer, case=case, action_answers=answers_for(case), files=[_pdf()]
    )

    case.refresh_from_db()
    assert case.state == "answered"
    assert set(answer.action_answers) == {"corrective_action_plan", "unannounced_visits"}
    [document] = answer.documents.all()
    assert document.original_name == "plan.pdf" and document.file_type == "pdf"
    assert document.file.storage.exists(document.file.name)
    assert AuditEvent.objects.filter(action="enforcement.answer_submit").count() == 1


def test_an_answer_on_day_90_is_accepted_and_on_day_91_refused():
    _, officer, case = suspended_member(days_ago=90)
    services.suspension_answer_submit(actor=officer, case=case, action_answers=answers_for(case))

    _, late_officer, late_case = suspended_member(days_ago=91)
    with pytest.raises(DomainError) as err:
        services.suspension_answer_submit(
            actor=late_officer, case=late_case, action_answers=answers_for(late_case)
        )
    assert err.value.code == "response_window_closed"


def test_an_incomplete_or_over_long_answer_is_refused_with_every_field_named():
    _, officer, case = suspended_member()
    answers = {"corrective_action_plan": "x" * 10_001, "unannounced_visits": ""}

    with pytest.raises(DomainError) as err:
        services.suspension_answer_submit(actor=officer, case=case, action_answers=answers)

    assert set(err.value.fields) == {
        "answer_corrective_action_plan",
        "answer_unannounced_visits",
    }
    assert "10,001 characters" in err.value.message
    assert not case.answers.exists()


def test_a_bad_document_refuses_the_whole_answer(settings):
    _, officer, case = suspended_member()

    with pytest.raises(DomainError) as err:
        services.suspension_answer_submit(
            actor=officer,
            case=case,
            action_answers=answers_for(case),
            files=[SimpleUploadedFile("plan.pdf", b"not a pdf")],
        )

    assert err.value.code == "upload_content_mismatch"
    assert "documents" in err.value.fields
    assert not case.answers.exists()


@pytest.mark.parametrize("role", ["partner_compliance", "scss"])
def test_only_the_company_officer_answers(role, make_user, cbp_org):
    partner, _, case = suspended_member()
    org = cbp_org if role == "scss" else partner.organization
    with pytest.raises(PermissionDeniedError):
        services.suspension_answer_submit(
            actor=make_user(role, organization=org), case=case, action_answers=answers_for(case)
        )


def test_cbp_reinstates_to_the_status_before_and_the_case_closes(scss):
    partner, officer, case = suspended_member(status="validated")
    services.suspension_answer_submit(actor=officer, case=case, action_answers=answers_for(case))

    partner = services.suspension_case_decide(
        actor=scss, case=case, decision="reinstate", reason="Plan accepted."
    )

    case.refresh_from_db()
    assert partner.status == "validated"
    assert case.state == "reinstated" and case.closing_change.to_status == "validated"
    assert Notification.objects.filter(
        recipient=officer, title__startswith="Your CTPAT membership is reinstated"
    ).exists()


def test_cbp_removes_after_an_answer_but_not_before_the_window_ends_without_one(scss):
    _, officer, case = suspended_member()
    with pytest.raises(DomainError) as err:
        services.suspension_case_decide(actor=scss, case=case, decision="remove", reason="No.")
    assert err.value.code == "response_window_open"

    services.suspension_answer_submit(actor=officer, case=case, action_answers=answers_for(case))
    partner = services.suspension_case_decide(
        actor=scss, case=case, decision="remove", reason="The plan does not address the seals."
    )

    assert partner.status == "removed" and partner.exit_ground == "removal"
    case.refresh_from_db()
    assert case.state == "removed"


# --- Immediate removal -----------------------------------------------------------------------


def test_a_program_admin_removes_immediately_inside_the_response_window(cbp_admin):
    partner, officer, case = suspended_member(days_ago=3)

    partner = services.partner_remove_immediately(
        actor=cbp_admin, partner=partner, reason="Narcotics found in a sealed container."
    )

    change = partner.status_changes.order_by("-id").first()
    assert partner.status == "removed" and change.immediate
    assert change.exit_ground == "removal"
    assert partner.status_before_removal == "suspended"
    case.refresh_from_db()
    assert case.state == "removed"
    assert Notification.objects.filter(
        recipient=officer, title="Your company is removed from CTPAT with immediate effect"
    ).exists()
    assert AuditEvent.objects.filter(action="partner.remove_immediately").count() == 1


@pytest.mark.parametrize("status", ["applicant", "certified", "tier_iii", "withdrawn"])
def test_immediate_removal_works_from_any_status(status, make_partner, cbp_admin):
    partner = make_partner(entity_type="importer", country="US", status=status)
    partner = services.partner_remove_immediately(
        actor=cbp_admin, partner=partner, reason="False statements.", false_information=True
    )
    assert partner.status == "removed" and partner.exit_ground == "false_information"


def test_only_a_program_admin_removes_immediately(importer, scss):
    with pytest.raises(PermissionDeniedError):
        services.partner_remove_immediately(actor=scss, partner=importer, reason="x")
    with pytest.raises(PermissionDeniedError):
        partner_transition(
            actor=scss, partner=importer, target="removed", reason="x", immediate=True
        )


def test_an_immediate_removal_needs_a_reason(importer, cbp_admin):
    with pytest.raises(DomainError) as err:
        services.partner_remove_immediately(actor=cbp_admin, partner=importer, reason="")
    assert err.value.code == "required"


# --- Reapplication waits from settings --------------------------------------------------------


def test_the_removal_wait_is_a_setting(make_partner, cbp_admin, settings):
    settings.CTPAT_REAPPLY_WAIT_REMOVAL_YEARS = 2
    partner = make_partner(entity_type="importer", country="US", status="certified")
    services.partner_remove_immediately(actor=cbp_admin, partner=partner, reason="x")

    with pytest.raises(DomainError) as err:
        partner_transition(actor=cbp_admin, partner=partner, target="pre_applicant")

    assert err.value.code == "reapply_too_soon"
    assert "policy choice" in err.value.message


def test_a_voluntary_withdrawal_may_reapply_at_once(importer, importer_officer):
    partner = partner_transition(
        actor=importer_officer, partner=importer, target="withdrawn", reason="Leaving"
    )
    assert partner.exit_ground == "voluntary_withdrawal"
    partner = partner_transition(actor=importer_officer, partner=partner, target="pre_applicant")
    assert partner.status == "pre_applicant" and partner.exit_ground == ""


# --- Appeals ---------------------------------------------------------------------------------


def _file(officer, partner, grounds="The findings are wrong.", files=()):
    change = selectors.current_decision(partner, today=_today()).change
    return services.appeal_file(
        actor=officer, partner=partner, change=change, grounds=grounds, files=files
    )


def test_a_member_files_an_appeal_with_a_document_and_cbp_is_told(cbp_admin):
    partner, officer, _ = suspended_member(days_ago=10)

    appeal = _file(officer, partner, files=[_pdf("evidence.pdf")])

    assert appeal.basis == "benefits" and appeal.decision_kind == "suspension"
    assert appeal.filing_deadline == _today() - timedelta(days=10) + timedelta(days=90)
    assert appeal.decision_due == _today() + timedelta(days=180)
    assert [d.original_name for d in appeal.documents.all()] == ["evidence.pdf"]
    assert Notification.objects.filter(recipient=cbp_admin, kind="enforcement.appeal_filed")
    assert Notification.objects.filter(recipient=officer, kind="enforcement.appeal_filed")


def test_a_late_appeal_is_refused_with_the_rule_cited():
    partner, officer, _ = suspended_member(days_ago=91)

    with pytest.raises(DomainError) as err:
        _file(officer, partner)

    assert err.value.code == "appeal_too_late"
    assert "6 U.S.C. 967(c)(1)" in err.value.message
    assert not Appeal.objects.exists()


def test_a_false_information_suspension_is_appealed_within_30_days():
    partner, officer, _ = suspended_member(days_ago=30, false_information=True)
    assert _file(officer, partner).basis == "false_information"

    late, late_officer, _ = suspended_member(days_ago=31, false_information=True)
    with pytest.raises(DomainError) as err:
        _file(late_officer, late)
    assert "6 U.S.C. 967(c)(2)" in err.value.message


def test_a_decision_is_appealed_once_and_only_by_the_officer(make_user):
    partner, officer, _ = suspended_member()
    compliance = make_user("partner_compliance", organization=partner.organization)
    with pytest.raises(PermissionDeniedError):
        _file(compliance, partner)
    _file(officer, partner)
    with pytest.raises(ConflictError):
        _file(officer, partner)


def test_a_reversed_suspension_reinstates_the_status_before(cbp_admin):
    partner, officer, case = suspended_member(status="validated")
    appeal = _file(officer, partner)

    appeal = services.appeal_decide(
        actor=cbp_admin, appeal=appeal, outcome="reversed", reason="The seals were verified."
    )

    partner.refresh_from_db()
    case.refresh_from_db()
    assert partner.status == "validated" and appeal.resulting_status == "validated"
    assert case.state == "reinstated"
    change = partner.status_changes.order_by("-id").first()
    assert change.appeal == appeal.public_id
    assert Notification.objects.filter(recipient=officer, kind="enforcement.appeal_decided")


def test_a_reversed_removal_goes_back_to_the_suspension_with_its_terms(cbp_admin):
    partner, officer, _ = suspended_member(status="validated")
    partner = services.partner_remove_immediately(actor=cbp_admin, partner=partner, reason="x")
    appeal = _file(officer, partner)
    assert appeal.decision_kind == "removal"

    services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="Too harsh.")

    partner.refresh_from_db()
    assert partner.status == "suspended" and partner.status_before_suspension == "validated"
    reopened = selectors.open_case_for(partner)
    assert reopened.required_actions == ["corrective_action_plan", "unannounced_visits"]
    assert reopened.response_due == _today() + timedelta(days=90)


def test_a_modified_decision_sets_the_status_cbp_picks_but_never_higher(cbp_admin):
    partner, officer, _ = suspended_member(status="validated")
    appeal = _file(officer, partner)

    with pytest.raises(DomainError) as err:
        services.appeal_decide(
            actor=cbp_admin,
            appeal=appeal,
            outcome="modified",
            reason="x",
            resulting_status="tier_iii",
        )
    assert err.value.code == "appeal_target_not_allowed"
    with pytest.raises(DomainError):
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="modified", reason="x")

    services.appeal_decide(
        actor=cbp_admin,
        appeal=appeal,
        outcome="modified",
        reason="Tier I.",
        resulting_status="certified",
    )
    partner.refresh_from_db()
    assert partner.status == "certified"


def test_an_upheld_appeal_moves_nothing(cbp_admin):
    partner, officer, _ = suspended_member()
    appeal = services.appeal_decide(
        actor=cbp_admin, appeal=_file(officer, partner), outcome="upheld", reason="Findings stand."
    )
    partner.refresh_from_db()
    assert partner.status == "suspended" and appeal.state == "decided"
    with pytest.raises(ConflictError):
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="x")


def test_only_a_program_admin_decides_appeals(scss):
    partner, officer, _ = suspended_member()
    with pytest.raises(PermissionDeniedError):
        services.appeal_decide(
            actor=scss, appeal=_file(officer, partner), outcome="reversed", reason="x"
        )


def test_an_appeal_cannot_move_a_status_changed_since(cbp_admin, scss):
    partner, officer, case = suspended_member()
    appeal = _file(officer, partner)
    services.suspension_case_decide(actor=scss, case=case, decision="reinstate", reason="OK")

    with pytest.raises(ConflictError) as err:
        services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="reversed", reason="x")
    assert err.value.code == "decision_superseded"
    assert (
        services.appeal_decide(
            actor=cbp_admin, appeal=appeal, outcome="upheld", reason="Moot: reinstated."
        ).outcome
        == "upheld"
    )


# --- Reminders before the 180-day limit ------------------------------------------------------


def test_cbp_is_reminded_before_the_limit_once_per_reminder(cbp_admin):
    partner, officer, _ = suspended_member()
    appeal = _file(officer, partner)
    due = appeal.decision_due

    assert services.appeal_reminders_send(today=due - timedelta(days=31)).reminders == 0
    assert services.appeal_reminders_send(today=due - timedelta(days=30)).reminders == 1
    assert services.appeal_reminders_send(today=due - timedelta(days=30)).reminders == 0
    assert services.appeal_reminders_send(today=due - timedelta(days=6)).reminders == 1
    assert services.appeal_reminders_send(today=due + timedelta(days=1)).reminders == 1
    assert services.appeal_reminders_send(today=due + timedelta(days=2)).reminders == 0
    titles = list(
        Notification.objects.filter(recipient=cbp_admin, kind="enforcement.appeal_reminder")
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert [t.split(": decision ")[1] for t in titles] == [
        "30 day(s) left",
        "6 day(s) left",
        "1 day(s) overdue",
    ]


def test_a_decided_appeal_gets_no_reminder(cbp_admin):
    partner, officer, _ = suspended_member()
    appeal = _file(officer, partner)
    services.appeal_decide(actor=cbp_admin, appeal=appeal, outcome="upheld", reason="x")
    assert services.appeal_reminders_send(today=appeal.decision_due).reminders == 0


def test_cases_and_appeals_stay_private_to_their_company(make_partner, make_user):
    partner, officer, case = suspended_member()
    appeal = _file(officer, partner)
    other = make_partner(entity_type="importer", country="US", status="certified")
    stranger = make_user("partner_officer", organization=other.organization)

    assert not selectors.case_list(viewer=stranger).exists()
    assert not selectors.appeal_list(viewer=stranger).exists()
    assert selectors.case_list(viewer=officer).get() == case
    assert selectors.appeal_list(viewer=officer).get() == appeal
    assert SuspensionCase.objects.count() == 1 and StatusChange.objects.exists()


def test_withdrawing_after_answering_is_voluntary_and_without_answer_waits_a_year(cbp_admin):
    from ctpat.partners import services as partner_services

    partner, officer, case = suspended_member(days_ago=5)
    services.suspension_answer_submit(actor=officer, case=case, action_answers=answers_for(case))
    partner_services.partner_transition(
        actor=cbp_admin, partner=partner, target="withdrawn", reason="We leave the program."
    )
    partner.refresh_from_db()
    assert partner.exit_ground == "voluntary_withdrawal"

    # Without an answer, only once the response window has passed.
    silent, _, _ = suspended_member(days_ago=100)
    partner_services.partner_transition(
        actor=cbp_admin, partner=silent, target="withdrawn", reason="We leave the program."
    )
    silent.refresh_from_db()
    assert silent.exit_ground == "suspension_unanswered"
