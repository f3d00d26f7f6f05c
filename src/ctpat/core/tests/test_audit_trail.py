"""The audit trail: every write goes through a service that records an event."""

import pytest
from django.db import IntegrityError

from ctpat.core.errors import UnauditedWriteError
from ctpat.core.models import AuditEvent
from ctpat.core.services import MissingAuditEventError, audit_record, service
from ctpat.partners.models import Partner, PartnerIdentifier


def test_given_a_partner_when_saved_outside_a_service_then_the_write_is_refused(importer):
    importer.city = "Elsewhere"
    with pytest.raises(UnauditedWriteError):
        importer.save()


def test_given_audited_model_when_bulk_updated_outside_a_service_then_refused(importer):
    with pytest.raises(UnauditedWriteError):
        Partner.objects.filter(pk=importer.pk).update(city="Nowhere")


def test_given_audited_model_when_bulk_created_outside_a_service_then_refused(importer):
    # bulk_create() skips save(): without its own guard it would write rows no event records.
    before = PartnerIdentifier.objects.count()
    with pytest.raises(UnauditedWriteError):
        PartnerIdentifier.objects.bulk_create(
            [PartnerIdentifier(partner=importer, kind="scac", value="ZZZZ")]
        )
    assert PartnerIdentifier.objects.count() == before


def test_given_audited_model_when_bulk_update_is_called_outside_a_service_then_refused(importer):
    # bulk_update() skips save() too: the same guard, and nothing is changed.
    importer.city = "Nowhere"
    with pytest.raises(UnauditedWriteError):
        Partner.objects.bulk_update([importer], ["city"])
    importer.refresh_from_db()
    assert importer.city != "Nowhere"


def test_given_a_service_when_it_bulk_creates_then_rows_get_public_ids_and_are_audited(importer):
    @service
    def bulk_add(*, actor, partner):
        rows = PartnerIdentifier.objects.bulk_create(
            PartnerIdentifier(partner=partner, kind="scac", value=v) for v in ("AAAA", "BBBB")
        )
        audit_record(actor=actor, action="test.bulk", obj=partner)
        return rows

    rows = bulk_add(actor=None, partner=importer)
    assert all(r.public_id.startswith("BEI-") for r in rows)
    assert PartnerIdentifier.objects.filter(partner=importer, kind="scac").count() == 2


def test_given_audit_events_when_bulk_updated_even_inside_a_service_then_refused(importer):
    event = AuditEvent.objects.first()
    event.reason = "rewrite history"

    @service
    def rewrite(*, actor):
        AuditEvent.objects.bulk_update([event], ["reason"])

    with pytest.raises(UnauditedWriteError):
        rewrite(actor=None)
    event.refresh_from_db()
    assert event.reason != "rewrite history"


def test_given_audited_model_when_deleted_outside_a_service_then_refused(importer):
    with pytest.raises(UnauditedWriteError):
        Partner.objects.filter(pk=importer.pk).delete()


def test_given_a_service_that_records_no_event_when_called_then_it_rolls_back(importer):
    @service
    def sneaky(*, actor, partner):
        partner.city = "Changed without a trace"
        partner.save()

    with pytest.raises(MissingAuditEventError):
        sneaky(actor=None, partner=importer)
    importer.refresh_from_db()
    assert importer.city != "Changed without a trace"


def test_given_a_service_when_it_fails_after_recording_then_event_and_change_roll_back(importer):
    before = AuditEvent.objects.count()

    @service
    def failing(*, actor, partner):
        partner.city = "Half-written"
        partner.save()
        audit_record(actor=actor, action="test.fail", obj=partner)
        raise IntegrityError("boom")

    with pytest.raises(IntegrityError):
        failing(actor=None, partner=importer)
    importer.refresh_from_db()
    assert importer.city != "Half-written"
    assert AuditEvent.objects.count() == before


def test_given_a_service_without_actor_keyword_when_called_then_type_error(importer):
    @service
    def no_actor(partner):
        return partner

    with pytest.raises(TypeError):
        no_actor(importer)


def test_given_an_event_when_changed_or_deleted_then_refused(importer):
    event = AuditEvent.objects.first()
    event.reason = "rewrite history"
    with pytest.raises(UnauditedWriteError):
        event.save()
    with pytest.raises(UnauditedWriteError):
        event.delete()
    with pytest.raises(UnauditedWriteError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(UnauditedWriteError):
        AuditEvent.objects.all().delete()


def test_given_a_profile_update_then_the_event_has_actor_before_after_and_reason(
    importer, importer_officer
):
    from ctpat.partners.services import partner_update_profile

    partner_update_profile(
        actor=importer_officer, partner=importer, city="Norfolk, VA", reason="Moved HQ"
    )
    event = AuditEvent.objects.filter(action="partner.update").latest("occurred_at")
    assert event.actor == importer_officer
    assert event.actor_organization == importer.organization
    assert event.organization == importer.organization
    assert event.object_id == importer.public_id
    assert event.before["city"] != "Norfolk, VA"
    assert event.after["city"] == "Norfolk, VA"
    assert event.reason == "Moved HQ"
    assert event.service.endswith("partner_update_profile")


def test_given_events_of_two_tenants_then_each_partner_sees_only_its_own(
    importer_officer, manufacturer_officer
):
    mine = AuditEvent.objects.restrict(importer_officer)
    assert mine.exists()
    assert all(
        importer_officer.organization_id in (e.organization_id, e.counterparty_id) for e in mine
    )
    assert not mine.filter(organization=manufacturer_officer.organization).exists()


def test_given_a_cbp_admin_then_every_event_is_visible(cbp_admin, importer, manufacturer):
    assert AuditEvent.objects.restrict(cbp_admin).count() == AuditEvent.objects.count()


def test_given_an_anonymous_viewer_then_nothing_is_visible(importer):
    from django.contrib.auth.models import AnonymousUser

    assert not AuditEvent.objects.restrict(AnonymousUser()).exists()
