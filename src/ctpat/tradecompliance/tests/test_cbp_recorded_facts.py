"""Eligibility facts CBP recorded (an unpaid final debt, the first import) take precedence: the
company's officer cannot overwrite them, only CBP changes or clears them, and the company may
dispute them with a note that is kept, audited and sent to CBP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ctpat.core.errors import DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.notifications.models import Notification
from ctpat.tradecompliance import selectors, services

pytestmark = pytest.mark.django_db

FIRST_IMPORT = dt.date(2019, 5, 1)  # what make_ready declares


def _facts(partner, **overrides):
    values = {
        "import_history_start": FIRST_IMPORT,
        "has_cbp_debt": False,
        "is_non_resident_canadian": False,
    }
    return {**values, **overrides}


@pytest.fixture
def debt_recorded(ready_importer, scss):
    """CBP found an unpaid final debt in its records."""
    services.tc_profile_update(
        actor=scss,
        partner=ready_importer,
        reason="Debt found in CBP's collection records.",
        **_facts(ready_importer, has_cbp_debt=True),
    )
    return ready_importer


def test_the_officer_cannot_overwrite_a_debt_cbp_recorded(debt_recorded, validated_officer):
    with pytest.raises(DomainError) as exc:
        services.tc_profile_update(
            actor=validated_officer, partner=debt_recorded, **_facts(debt_recorded)
        )
    assert exc.value.code == "cbp_recorded"
    assert "only CBP can change it" in exc.value.message
    assert "has_cbp_debt" in exc.value.fields
    profile = selectors.profile_for(debt_recorded)
    assert profile.has_cbp_debt is True
    assert not selectors.readiness_for(debt_recorded).decision.eligible


def test_the_officer_cannot_overwrite_an_import_history_cbp_recorded(
    ready_importer, nam, validated_officer
):
    services.tc_profile_update(
        actor=nam,
        partner=ready_importer,
        **_facts(ready_importer, import_history_start=dt.date(2025, 6, 1)),
    )
    with pytest.raises(DomainError) as exc:
        services.tc_profile_update(
            actor=validated_officer, partner=ready_importer, **_facts(ready_importer)
        )
    assert exc.value.code == "cbp_recorded"
    assert selectors.profile_for(ready_importer).import_history_start == dt.date(2025, 6, 1)


def test_the_officer_still_changes_the_facts_cbp_did_not_record(debt_recorded, validated_officer):
    services.tc_profile_update(
        actor=validated_officer,
        partner=debt_recorded,
        **_facts(debt_recorded, has_cbp_debt=True, import_history_start=dt.date(2018, 1, 1)),
    )
    profile = selectors.profile_for(debt_recorded)
    assert profile.import_history_start == dt.date(2018, 1, 1)
    assert profile.has_cbp_debt is True


def test_only_cbp_clears_its_record_then_the_company_may_state_it_again(
    debt_recorded, validated_officer, scss
):
    with pytest.raises(PermissionDeniedError):
        services.tc_profile_cbp_fact_clear(
            actor=validated_officer, partner=debt_recorded, fact="has_cbp_debt", reason="Paid"
        )
    services.tc_profile_cbp_fact_clear(
        actor=scss, partner=debt_recorded, fact="has_cbp_debt", reason="The debt was paid."
    )
    event = AuditEvent.objects.get(action="tradecompliance.profile_cbp_fact_clear")
    assert event.reason == "The debt was paid."
    services.tc_profile_update(
        actor=validated_officer, partner=debt_recorded, **_facts(debt_recorded)
    )
    assert selectors.profile_for(debt_recorded).has_cbp_debt is False


def test_the_company_disputes_with_a_note_that_is_kept_audited_and_sent_to_cbp(
    debt_recorded, validated_officer, nam
):
    services.tc_profile_dispute(
        actor=validated_officer,
        partner=debt_recorded,
        note="The debt was cancelled on protest; see protest 2704-25-100001.",
    )
    profile = selectors.profile_for(debt_recorded)
    assert profile.dispute_note.startswith("The debt was cancelled on protest")
    assert profile.disputed_by == validated_officer
    assert profile.has_cbp_debt is True  # a dispute does not change CBP's record
    event = AuditEvent.objects.get(action="tradecompliance.profile_dispute")
    assert event.organization == debt_recorded.organization
    note = Notification.objects.get(recipient=nam, kind="tc_profile_disputed")
    assert "cancelled on protest" in note.body


def test_a_dispute_needs_a_note_and_an_officer(
    debt_recorded, validated_officer, validated_compliance
):
    with pytest.raises(DomainError) as exc:
        services.tc_profile_dispute(actor=validated_officer, partner=debt_recorded, note="  ")
    assert exc.value.code == "note_required"
    with pytest.raises(PermissionDeniedError):
        services.tc_profile_dispute(actor=validated_compliance, partner=debt_recorded, note="Wrong")


def test_the_page_locks_cbp_s_fact_and_takes_a_dispute(login, debt_recorded, validated_officer):
    client = login(validated_officer)
    url = reverse(
        "tradecompliance:readiness_partner", kwargs={"partner_id": debt_recorded.public_id}
    )
    html = client.get(url).content.decode()
    assert "Recorded by CBP from its own records" in html
    assert "Dispute CBP&#x27;s record" in html or "Dispute CBP's record" in html

    # Posting another value for the locked fact changes nothing.
    client.post(
        reverse(
            "tradecompliance:readiness_profile", kwargs={"partner_id": debt_recorded.public_id}
        ),
        {"import_history_start": "2019-05-01", "has_cbp_debt": "no"},
    )
    assert selectors.profile_for(debt_recorded).has_cbp_debt is True

    response = client.post(
        reverse(
            "tradecompliance:readiness_profile_dispute",
            kwargs={"partner_id": debt_recorded.public_id},
        ),
        {"note": "Paid in full on 2 March."},
        follow=True,
    )
    assert response.status_code == 200
    assert "Your dispute is recorded and CBP has been told." in response.content.decode()
    assert selectors.profile_for(debt_recorded).dispute_note == "Paid in full on 2 March."


def test_cbp_sees_the_dispute_and_clears_the_fact_on_the_page(
    login, debt_recorded, validated_officer, scss
):
    services.tc_profile_dispute(actor=validated_officer, partner=debt_recorded, note="Paid.")
    client = login(scss)
    url = reverse(
        "tradecompliance:readiness_partner", kwargs={"partner_id": debt_recorded.public_id}
    )
    html = client.get(url).content.decode()
    assert "The company disputes it" in html and "Paid." in html
    refused = client.post(
        reverse(
            "tradecompliance:readiness_profile_clear_fact",
            kwargs={"partner_id": debt_recorded.public_id},
        ),
        {"fact": "has_cbp_debt", "reason": ""},
    )
    assert refused.status_code == 400
    done = client.post(
        reverse(
            "tradecompliance:readiness_profile_clear_fact",
            kwargs={"partner_id": debt_recorded.public_id},
        ),
        {"fact": "has_cbp_debt", "reason": "Confirmed paid."},
    )
    assert done.status_code == 302
    assert selectors.profile_for(debt_recorded).cbp_recorded_facts == []
