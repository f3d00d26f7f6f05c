"""Partner registry services: state machine, identifiers, SVI — through the real database."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.partners import selectors, services
from ctpat.partners.models import Partner, PartnerIdentifier, StatusChange


def counts():
    return (
        Partner.objects.count(),
        PartnerIdentifier.objects.count(),
        StatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


# --- registration -----------------------------------------------------------------------------


def test_given_valid_data_when_cbp_registers_an_importer_then_pre_applicant_with_ids(cbp_admin):
    p = services.partner_register(
        actor=cbp_admin,
        name="Blue Ocean Imports",
        entity_type="importer",
        country="us",
        identifiers=[("ior", "12-3456789 00"), ("bond", "qb2024731")],
    )
    assert p.status == "pre_applicant"
    assert p.country == "US"
    assert {i.kind for i in p.identifiers.all()} == {"ior", "bond"}
    assert p.public_id.startswith("CT-")
    actions = set(
        AuditEvent.objects.filter(organization=p.organization).values_list("action", flat=True)
    )
    assert {"organization.create", "partner.register", "identifier.add"} <= actions


def test_given_a_malformed_identifier_when_registering_then_clear_error_and_nothing_written(
    cbp_admin,
):
    before = counts()
    with pytest.raises(DomainError) as err:
        services.partner_register(
            actor=cbp_admin,
            name="Bad IOR Co",
            entity_type="importer",
            country="US",
            identifiers=[("ior", "12-34")],
        )
    assert "IOR" in err.value.message
    assert counts() == before


def test_given_an_unknown_country_when_registering_then_refused(cbp_admin):
    with pytest.raises(DomainError) as err:
        services.partner_register(actor=cbp_admin, name="X", entity_type="importer", country="XX")
    assert err.value.code == "invalid_country"


def test_given_a_partner_user_when_registering_a_partner_then_permission_denied(
    importer_officer,
):
    with pytest.raises(PermissionDeniedError):
        services.partner_register(
            actor=importer_officer, name="Y", entity_type="importer", country="US"
        )


def test_given_a_deactivated_identifier_then_it_can_be_registered_again(
    importer, cbp_admin, manufacturer
):
    existing = importer.identifiers.first()
    services.identifier_deactivate(actor=cbp_admin, identifier=existing, reason="Bond replaced")
    again = services.identifier_add(
        actor=cbp_admin, partner=manufacturer, kind=existing.kind, value=existing.value
    )
    assert again.is_active


def test_given_another_partners_officer_when_adding_an_identifier_then_denied(
    importer,
    manufacturer_officer,
):
    with pytest.raises(PermissionDeniedError):
        services.identifier_add(
            actor=manufacturer_officer, partner=importer, kind="bond", value="ZZ1234567"
        )


# --- lifecycle ----------------------------------------------------------------------------------


def test_given_the_full_path_then_dates_follow_each_step(make_partner, scss):
    p = make_partner(entity_type="importer", country="US", registered_on=date(2024, 1, 2))
    d = date(2024, 2, 29)
    p = services.partner_transition(
        actor=scss, partner=p, target="applicant", reason="", effective_date=d
    )
    assert p.applied_on == d
    p = services.partner_transition(
        actor=scss, partner=p, target="certified", effective_date=d + timedelta(days=60)
    )
    assert p.certification_date == d + timedelta(days=60)
    assert p.tier == 1
    p = services.partner_transition(
        actor=scss, partner=p, target="validated", effective_date=d + timedelta(days=300)
    )
    assert p.last_validation_date == d + timedelta(days=300)
    assert p.tier == 2
    p = services.partner_transition(
        actor=scss, partner=p, target="suspended", reason="Missed annual review"
    )
    assert p.status_before_suspension == "validated"
    assert p.suspended_on == timezone.localdate()
    p = services.partner_transition(
        actor=scss, partner=p, target="validated", reason="Response accepted"
    )
    assert p.status == "validated"
    assert p.status_before_suspension == ""
    history = list(
        StatusChange.objects.filter(partner=p)
        .order_by("created_at")
        .values_list("to_status", flat=True)
    )
    assert history == [
        "pre_applicant",
        "applicant",
        "certified",
        "validated",
        "suspended",
        "validated",
    ]


def test_given_an_illegal_transition_then_refused_with_reason_and_nothing_changes(importer, scss):
    before = counts()
    with pytest.raises(DomainError) as err:
        services.partner_transition(
            actor=scss, partner=importer, target="tier_iii", reason="skip a tier"
        )
    assert err.value.code == "illegal_transition"
    importer.refresh_from_db()
    assert importer.status == "certified"
    assert counts() == before


def test_given_a_suspension_without_reason_then_refused(importer, scss):
    with pytest.raises(DomainError) as err:
        services.partner_transition(actor=scss, partner=importer, target="suspended", reason="")
    assert err.value.code == "reason_required"


def test_given_a_partner_officer_when_certifying_itself_then_denied(make_partner, make_user):
    p = make_partner(entity_type="importer", country="US", status="applicant")
    officer = make_user("partner_officer", organization=p.organization)
    with pytest.raises(PermissionDeniedError):
        services.partner_transition(actor=officer, partner=p, target="certified")


def test_given_a_partner_officer_when_submitting_its_application_then_applicant(
    make_partner, make_user
):
    p = make_partner(entity_type="importer", country="US")
    officer = make_user("partner_officer", organization=p.organization)
    p = services.partner_transition(actor=officer, partner=p, target="applicant")
    assert p.status == "applicant"


def test_given_missing_required_identifiers_when_applying_then_refused_with_what_is_missing(
    cbp_admin,
    scss,
):
    p = services.partner_register(
        actor=cbp_admin,
        name="No Bond Imports",
        entity_type="importer",
        country="US",
        identifiers=[("ior", "12-345678900")],
    )
    with pytest.raises(DomainError) as err:
        services.partner_transition(actor=scss, partner=p, target="applicant")
    assert "bond" in err.value.message.lower()


def test_given_a_withdrawal_after_an_unanswered_suspension_then_reapplying_waits_a_year(
    make_partner, scss
):
    from ctpat.testing import move_partner_to

    p = make_partner(entity_type="importer", country="US", registered_on=date(2024, 10, 2))
    p = move_partner_to(p, "certified", effective_date=date(2024, 10, 3))
    p = services.partner_transition(
        actor=scss,
        partner=p,
        target="suspended",
        reason="No annual review",
        effective_date=date(2024, 11, 1),
    )
    p = services.partner_transition(
        actor=scss,
        partner=p,
        target="withdrawn",
        reason="The suspension was not answered.",
        effective_date=date(2025, 3, 1),
    )
    assert p.exit_ground == "suspension_unanswered"
    with pytest.raises(DomainError) as err:
        services.partner_transition(
            actor=scss,
            partner=p,
            target="pre_applicant",
            reason="Reapply",
            effective_date=date(2026, 2, 28),
        )
    assert err.value.code == "reapply_too_soon"
    p = services.partner_transition(
        actor=scss,
        partner=p,
        target="pre_applicant",
        reason="Reapply",
        effective_date=date(2026, 3, 1),
    )
    assert p.status == "pre_applicant"
    assert p.certification_date is None


def test_given_a_partner_officer_when_withdrawing_today_then_allowed(importer, importer_officer):
    p = services.partner_transition(
        actor=importer_officer, partner=importer, target="withdrawn", reason="Leaving the program"
    )
    assert p.status == "withdrawn"
    assert p.withdrawn_on == timezone.localdate()


# --- SVI ----------------------------------------------------------------------------------------


def test_given_two_certified_partners_when_one_requests_and_other_accepts_then_both_see(
    importer,
    importer_officer,
    manufacturer,
    manufacturer_officer,
):
    assert not selectors.partner_list(viewer=importer_officer).filter(pk=manufacturer.pk)
    c = services.svi_request(actor=importer_officer, target=manufacturer, message="hello")
    assert c.status == "pending"
    assert not selectors.partner_list(viewer=importer_officer).filter(pk=manufacturer.pk)
    services.svi_accept(actor=manufacturer_officer, connection=c)
    assert selectors.partner_list(viewer=importer_officer).filter(pk=manufacturer.pk).exists()
    assert selectors.partner_list(viewer=manufacturer_officer).filter(pk=importer.pk).exists()
    level = selectors.partner_access_level(viewer=importer_officer, partner=manufacturer)
    assert level == selectors.SVI_LIMITED
    # Connected, not owner: no write access.
    assert not selectors.partner_list(viewer=importer_officer, action="change").filter(
        pk=manufacturer.pk
    )


def test_given_auto_accept_when_requested_then_connected_at_once(
    importer_officer, manufacturer, manufacturer_officer
):
    services.partner_update_svi_settings(
        actor=manufacturer_officer, partner=manufacturer, auto_accept=True, share_more=False
    )
    c = services.svi_request(actor=importer_officer, target=manufacturer)
    assert c.status == "accepted"
    assert AuditEvent.objects.filter(action="svi.auto_accept", object_id=c.public_id).exists()


def test_given_a_pending_request_when_requested_again_then_conflict(importer_officer, manufacturer):
    services.svi_request(actor=importer_officer, target=manufacturer)
    with pytest.raises(ConflictError):
        services.svi_request(actor=importer_officer, target=manufacturer)


def test_given_a_request_when_the_requester_tries_to_accept_it_then_not_found(
    importer_officer,
    manufacturer,
):
    c = services.svi_request(actor=importer_officer, target=manufacturer)
    with pytest.raises(NotFoundError):
        services.svi_accept(actor=importer_officer, connection=c)


def test_given_a_rejected_request_then_no_visibility_and_can_ask_again(
    importer_officer,
    manufacturer,
    manufacturer_officer,
):
    c = services.svi_request(actor=importer_officer, target=manufacturer)
    services.svi_reject(actor=manufacturer_officer, connection=c, reason="unknown company")
    assert not selectors.partner_list(viewer=importer_officer).filter(pk=manufacturer.pk)
    again = services.svi_request(actor=importer_officer, target=manufacturer)
    assert again.status == "pending"


def test_given_a_connection_when_disconnected_then_visibility_ends(
    importer_officer,
    manufacturer,
    manufacturer_officer,
):
    c = services.svi_request(actor=importer_officer, target=manufacturer)
    services.svi_accept(actor=manufacturer_officer, connection=c)
    services.svi_disconnect(actor=importer_officer, connection=c, reason="no longer a supplier")
    assert not selectors.partner_list(viewer=importer_officer).filter(pk=manufacturer.pk)


def _svi_in_state(state, *, requester_officer, target, target_officer):
    c = services.svi_request(actor=requester_officer, target=target)
    if state == "rejected":
        services.svi_reject(actor=target_officer, connection=c, reason="unknown company")
    elif state == "cancelled":
        services.svi_cancel(actor=requester_officer, connection=c)
    elif state in ("accepted", "disconnected"):
        services.svi_accept(actor=target_officer, connection=c)
        if state == "disconnected":
            services.svi_disconnect(actor=target_officer, connection=c, reason="ended")
    c.refresh_from_db()
    assert c.status == state
    return c


@pytest.mark.parametrize(
    ("state", "visible"),
    [
        ("pending", False),
        ("rejected", False),
        ("cancelled", False),
        ("accepted", True),
        ("disconnected", False),
    ],
)
def test_each_side_sees_the_other_partner_only_while_the_connection_is_accepted(
    state, visible, importer, importer_officer, manufacturer, manufacturer_officer
):
    # Given a connection the importer asked for, in each state,
    _svi_in_state(
        state,
        requester_officer=importer_officer,
        target=manufacturer,
        target_officer=manufacturer_officer,
    )
    # then the requester sees the target, and the target the requester, only once accepted.
    sees_target = selectors.partner_list(viewer=importer_officer).filter(pk=manufacturer.pk)
    sees_requester = selectors.partner_list(viewer=manufacturer_officer).filter(pk=importer.pk)
    assert (sees_target.exists(), sees_requester.exists()) == (visible, visible)
    # and a share never lets either side write.
    assert not selectors.partner_list(viewer=manufacturer_officer, action="change").filter(
        pk=importer.pk
    )


def test_given_a_pre_applicant_target_when_requesting_svi_then_refused(
    importer_officer, make_partner
):
    target = make_partner()
    with pytest.raises(DomainError) as err:
        services.svi_request(actor=importer_officer, target=target)
    assert err.value.code == "svi_not_certified"


def test_given_a_compliance_user_when_accepting_then_denied(
    importer, manufacturer_officer, make_user
):
    compliance = make_user("partner_compliance", organization=importer.organization)
    c = services.svi_request(actor=manufacturer_officer, target=importer)
    with pytest.raises(PermissionDeniedError):
        services.svi_accept(actor=compliance, connection=c)


def test_given_a_non_member_when_invited_then_an_email_is_queued_and_the_task_sends_it(
    importer_officer,
    django_capture_on_commit_callbacks,
):
    from ctpat.notifications.models import OutboundEmail
    from ctpat.notifications.tasks import send_outbound_email

    with django_capture_on_commit_callbacks(execute=True):
        req = services.certification_request_send(
            actor=importer_officer, company_name="Hanoi Ceramics", email="Export@Hanoi.example"
        )
    assert req.email == "export@hanoi.example"
    email = OutboundEmail.objects.get(to="export@hanoi.example")
    assert email.status == "queued"
    assert len(mail.outbox) == 0  # the worker sends it, not the request
    assert send_outbound_email.call(email.public_id) == "sent"
    assert len(mail.outbox) == 1
    assert "Hanoi Ceramics" in mail.outbox[0].body


def test_given_a_bad_email_when_inviting_then_refused_and_nothing_sent(importer_officer):
    with pytest.raises(DomainError) as err:
        services.certification_request_send(
            actor=importer_officer, company_name="X", email="not-an-email"
        )
    assert err.value.code == "invalid_email"
    assert len(mail.outbox) == 0


# --- guards found by the API fuzzing -------------------------------------------------------------


def test_given_a_partner_officer_when_backdating_a_withdrawal_then_refused(
    importer, importer_officer
):
    with pytest.raises(PermissionDeniedError) as err:
        services.partner_transition(
            actor=importer_officer,
            partner=importer,
            target="withdrawn",
            reason="leaving",
            effective_date=date(2020, 1, 1),
        )
    assert err.value.code == "effective_date_not_allowed"


@pytest.mark.parametrize(
    "when, code",
    [
        (timezone.localdate() + timedelta(days=1), "future_date"),
        (date(2001, 10, 31), "date_before_program"),
    ],
    ids=["future", "before-ctpat-existed"],
)
def test_given_cbp_when_dating_a_change_out_of_range_then_refused(importer, scss, when, code):
    with pytest.raises(DomainError) as err:
        services.partner_transition(
            actor=scss, partner=importer, target="validated", effective_date=when
        )
    assert err.value.code == code


def test_given_overlong_or_malformed_profile_values_then_field_errors_and_nothing_written(
    cbp_admin,
):
    before = counts()
    with pytest.raises(DomainError) as err:
        services.partner_register(
            actor=cbp_admin,
            name="Fine Name",
            entity_type="importer",
            country="US",
            primary_contact_email="not-an-email",
            city="x" * 500,
        )
    assert set(err.value.fields) == {"primary_contact_email", "city"}
    assert counts() == before
    with pytest.raises(DomainError) as err:
        services.partner_register(
            actor=cbp_admin, name="N" * 201, entity_type="importer", country="US"
        )
    assert err.value.code == "name_too_long"
    assert counts() == before


def test_given_no_change_when_updating_profile_then_refused_without_an_event(
    importer, importer_officer
):
    before = counts()
    with pytest.raises(DomainError) as err:
        services.partner_update_profile(
            actor=importer_officer, partner=importer, city=importer.city
        )
    assert err.value.code == "no_changes"
    assert counts() == before


def test_given_an_auditor_then_the_svi_directory_is_empty(make_user, importer):
    auditor = make_user("auditor")
    assert not selectors.svi_candidate_targets(viewer=auditor).exists()


def test_given_a_history_when_backdating_before_the_last_change_then_refused(make_partner, scss):
    p = make_partner(entity_type="importer", country="US", registered_on=date(2025, 1, 2))
    with pytest.raises(DomainError) as err:
        services.partner_transition(
            actor=scss, partner=p, target="applicant", effective_date=date(2024, 12, 31)
        )
    assert err.value.code == "date_before_previous_change"


def test_given_a_suspension_when_removing_inside_the_90_day_window_then_refused(importer, scss):
    p = services.partner_transition(
        actor=scss, partner=importer, target="suspended", reason="Missed annual review"
    )
    with pytest.raises(DomainError) as err:
        services.partner_transition(actor=scss, partner=p, target="removed", reason="No answer")
    assert err.value.code == "response_window_open"
    assert (timezone.localdate() + timedelta(days=91)).isoformat() in err.value.message


def test_given_a_suspension_91_days_old_then_removal_is_allowed(make_partner, scss):
    from ctpat.testing import move_partner_to

    start = timezone.localdate() - timedelta(days=200)
    p = make_partner(entity_type="importer", country="US", registered_on=start)
    p = move_partner_to(p, "certified", effective_date=start)
    p = services.partner_transition(
        actor=scss,
        partner=p,
        target="suspended",
        reason="x",
        effective_date=timezone.localdate() - timedelta(days=91),
    )
    p = services.partner_transition(actor=scss, partner=p, target="removed", reason="No answer")
    assert p.status == "removed"


def test_given_a_validation_dated_before_certification_then_refused(make_partner, scss):
    from ctpat.testing import move_partner_to

    p = make_partner(entity_type="importer", country="US", registered_on=date(2025, 1, 2))
    p = move_partner_to(p, "certified", effective_date=date(2025, 2, 1))
    with pytest.raises(DomainError) as err:
        services.partner_record_validation(actor=scss, partner=p, validated_on=date(2025, 1, 15))
    assert err.value.code == "date_before_certification"


def test_given_a_company_that_did_not_consent_then_the_svi_directory_hides_it(
    importer_officer, make_partner
):
    hidden = make_partner(name="Unlisted Factory", status="certified", directory_listed=False)
    listed = make_partner(name="Listed Factory", status="certified")
    found = set(selectors.svi_candidate_targets(viewer=importer_officer, query="Factory"))
    assert listed in found and hidden not in found
    assert not selectors.svi_candidate_targets(viewer=importer_officer, query=hidden.public_id)


def test_given_a_pre_applicant_then_it_cannot_search_the_svi_directory(make_partner, make_user):
    make_partner(name="Listed Factory", status="certified")
    pre = make_partner(entity_type="importer", country="US")
    officer = make_user("partner_officer", organization=pre.organization)
    assert not selectors.svi_candidate_targets(viewer=officer, query="Factory").exists()


def test_given_the_daily_invitation_limit_then_the_next_one_is_refused(importer_officer):
    from ctpat.partners import rules

    for n in range(rules.CERTIFICATION_REQUESTS_PER_DAY):
        services.certification_request_send(
            actor=importer_officer, company_name=f"Co {n}", email=f"c{n}@example.test"
        )
    with pytest.raises(DomainError) as err:
        services.certification_request_send(
            actor=importer_officer, company_name="One more", email="more@example.test"
        )
    assert err.value.code == "rate_limited"


def test_given_two_partners_when_both_claim_an_identifier_then_cbp_sees_the_conflict(
    importer, manufacturer, cbp_admin, scss
):
    existing = importer.identifiers.first()
    services.identifier_add(
        actor=cbp_admin, partner=manufacturer, kind=existing.kind, value=existing.value
    )
    claims = selectors.identifier_claims_elsewhere(viewer=scss, partner=importer)
    assert [c.partner for c in claims] == [manufacturer]


def test_given_an_ssn_based_ior_then_the_audit_trail_holds_it_masked(make_partner, cbp_admin):
    p = make_partner(entity_type="importer", country="US")
    identifier = services.identifier_add(
        actor=cbp_admin, partner=p, kind="ior", value="123-45-6789"
    )
    event = AuditEvent.objects.get(action="identifier.add", object_id=identifier.public_id)
    assert "6789" in event.after["value"] and "123-45" not in str(event.after)
    assert "123-45" not in event.object_repr


def test_given_a_requester_suspended_after_asking_then_accepting_is_refused(
    importer, importer_officer, manufacturer, manufacturer_officer, scss
):
    c = services.svi_request(actor=importer_officer, target=manufacturer)
    services.partner_transition(actor=scss, partner=importer, target="suspended", reason="x")
    with pytest.raises(DomainError) as err:
        services.svi_accept(actor=manufacturer_officer, connection=c)
    assert err.value.code == "svi_not_certified"
