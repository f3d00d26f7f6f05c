"""Letters: drafting, filing, CBP review; the reminder job and the suspension path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctpat.annualnotices import conf, selectors, services
from ctpat.annualnotices.models import AnnualNotificationLetter
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.notifications.models import Notification, OutboundEmail
from ctpat.partners.rules import add_months
from ctpat.tradecompliance.services import membership_transition

from .factories import accepted_for_due_in, content, make_member

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_settings_override_the_schedule(settings):
    settings.CTPAT_ANL_FIRST_DUE_MONTHS = 12
    settings.CTPAT_ANL_INTERVAL_MONTHS = 6
    settings.CTPAT_ANL_REMINDER_DAYS = "14,3"
    settings.CTPAT_ANL_GRACE_DAYS = 5
    schedule = conf.schedule()
    assert (schedule.first_due_months, schedule.interval_months) == (12, 6)
    assert schedule.reminder_days == (14, 3)
    assert schedule.grace_days == 5


def test_an_officer_files_a_letter_on_time_with_an_audit_event():
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    letter = services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="Olive O."
    )
    assert letter.status == "filed"
    assert letter.signed_by == officer and letter.signed_at is not None
    assert letter.first_filed_on == _today()
    item = selectors.membership_schedule(membership, today=_today())
    assert item.history[0].status == "filed_on_time"
    assert item.current.period == 1  # next year's letter is now the one to act on
    event = AuditEvent.objects.get(action="anl.letter_file", object_id=letter.public_id)
    assert event.after["on_time"] is True and event.after["signed_name"] == "Olive O."


def test_filing_twice_is_a_conflict():
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    with pytest.raises(ConflictError) as exc:
        services.anl_letter_file(
            actor=officer, membership=membership, period=0, content=content(), signed_name="O."
        )
    assert exc.value.code == "already_filed"


def test_a_letter_lists_structured_changes_or_says_there_are_none():
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    with pytest.raises(DomainError) as exc:
        services.anl_letter_file(
            actor=officer,
            membership=membership,
            period=0,
            content=content(no_changes=False),
            signed_name="O.",
        )
    assert "no_changes" in exc.value.fields
    change = services.ChangeSpec("ownership", "Acquired by Parent Holdings", dt.date(2026, 1, 5))
    letter = services.anl_letter_file(
        actor=officer,
        membership=membership,
        period=0,
        content=content(no_changes=False, changes=(change,)),
        signed_name="O.",
    )
    assert [(c.change_type, c.description) for c in letter.changes.all()] == [
        ("ownership", "Acquired by Parent Holdings")
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"certifies_compliance": False}, "certifies_compliance", id="no-certify"),
        pytest.param(
            {"compliance_contact_email": "not-an-email"}, "compliance_contact_email", id="bad-email"
        ),
        pytest.param({"officer_name": ""}, "officer_name", id="no-officer"),
        pytest.param(
            {
                "no_changes": True,
                "changes": (services.ChangeSpec("name", "x", dt.date(2026, 1, 1)),),
            },
            "no_changes",
            id="changes-and-no-changes",
        ),
        pytest.param(
            {
                "no_changes": False,
                "changes": (services.ChangeSpec("bogus", "x", dt.date(2026, 1, 1)),),
            },
            "changes",
            id="unknown-change-type",
        ),
        pytest.param(
            {"compliance_contact_phone": "+1 " + "5" * 40},
            "compliance_contact_phone",
            id="phone-longer-than-its-column",
        ),
    ],
)
def test_an_incomplete_letter_is_refused_and_nothing_is_written(overrides, field):
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    with pytest.raises(DomainError) as exc:
        services.anl_letter_file(
            actor=officer,
            membership=membership,
            period=0,
            content=content(**overrides),
            signed_name="O.",
        )
    assert field in exc.value.fields
    assert not AnnualNotificationLetter.objects.filter(membership=membership).exists()


def test_a_typed_signature_is_required():
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    with pytest.raises(DomainError) as exc:
        services.anl_letter_file(
            actor=officer, membership=membership, period=0, content=content(), signed_name="  "
        )
    assert exc.value.fields["signed_name"] == [
        "Your typed full name is required to sign the letter."
    ]


def test_only_an_officer_of_the_member_files(make_user):
    membership, _officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    compliance = make_user("partner_compliance", organization=membership.partner.organization)
    other_member, other_officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    for actor in (compliance, other_officer):
        with pytest.raises(PermissionDeniedError):
            services.anl_letter_file(
                actor=actor, membership=membership, period=0, content=content(), signed_name="X"
            )
    # A compliance user may prepare the draft.
    draft = services.anl_letter_save_draft(
        actor=compliance, membership=membership, period=0, content=content(officer_name="")
    )
    assert draft.status == "draft"


def test_filing_is_refused_for_a_removed_or_withdrawn_membership():
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    membership_transition(actor=None, membership=membership, target="withdrawn", reason="Left.")
    with pytest.raises(ConflictError) as exc:
        services.anl_letter_file(
            actor=officer, membership=membership, period=0, content=content(), signed_name="O."
        )
    assert exc.value.code == "membership_ended"


def test_a_letter_cannot_be_filed_before_its_window_opens():
    membership, officer = make_member(accepted_on=accepted_for_due_in(120, _today()))
    with pytest.raises(DomainError) as exc:
        services.anl_letter_file(
            actor=officer, membership=membership, period=0, content=content(), signed_name="O."
        )
    assert exc.value.code == "period_not_open"


def test_cbp_returns_a_letter_with_reasons_and_the_partner_refiles(cbp_org, make_user):
    nam = make_user("nam", organization=cbp_org)
    scss = make_user("scss", organization=cbp_org)
    membership, officer = make_member(accepted_on=accepted_for_due_in(20, _today()))
    letter = services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    with pytest.raises(PermissionDeniedError):
        services.anl_letter_return(actor=scss, letter=letter, reasons="No.")
    with pytest.raises(DomainError):
        services.anl_letter_return(actor=nam, letter=letter, reasons=" ")
    letter = services.anl_letter_return(
        actor=nam, letter=letter, reasons="Name the new owner in the change."
    )
    assert letter.status == "returned"
    assert Notification.objects.filter(recipient=officer, kind="anl.review").exists()
    with pytest.raises(ConflictError):
        services.anl_letter_acknowledge(actor=nam, letter=letter)
    letter = services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    assert letter.status == "filed" and letter.filed_count == 2
    letter = services.anl_letter_acknowledge(actor=nam, letter=letter, note="Thank you.")
    assert letter.status == "acknowledged"
    assert selectors.membership_schedule(membership, today=_today()).history[0].status == (
        "filed_on_time"
    )


# --- The reminder job ------------------------------------------------------------------------


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind="anl.reminder")


def test_reminders_go_out_at_each_offset_once_even_when_run_twice():
    today = _today()
    membership, officer = make_member(accepted_on=accepted_for_due_in(90, today))
    due = add_months(membership.accepted_on, 13)
    assert services.anl_reminders_send(today=today).reminders == 0  # 90 days out: nothing yet
    for days_before, expected in ((60, 1), (59, 1), (30, 2), (29, 2), (7, 3), (0, 3)):
        day = due - dt.timedelta(days=days_before)
        services.anl_reminders_send(today=day)
        services.anl_reminders_send(today=day)  # twice: sends once
        assert _reminders(officer).count() == expected, days_before
    # In-app and e-mail both.
    assert OutboundEmail.objects.filter(recipient=officer, kind="anl.reminder").count() == 3
    assert "due on" in _reminders(officer).first().body


def test_no_reminder_for_a_filed_letter():
    today = _today()
    membership, officer = make_member(accepted_on=accepted_for_due_in(40, today))
    services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    due = add_months(membership.accepted_on, 13)
    services.anl_reminders_send(today=due - dt.timedelta(days=30))
    assert not _reminders(officer).exists()


def test_an_overdue_letter_is_flagged_once_and_the_partner_told():
    today = _today()
    membership, officer = make_member(accepted_on=accepted_for_due_in(-5, today))
    run = services.anl_reminders_send(today=today)
    assert (run.overdue, run.suspended) == (1, 0)
    assert services.anl_reminders_send(today=today).overdue == 0
    letter = AnnualNotificationLetter.objects.get(membership=membership, period=0)
    assert letter.overdue_flagged_on == today and letter.status == "draft"
    assert Notification.objects.filter(recipient=officer, kind="anl.overdue").count() == 1
    assert selectors.membership_schedule(membership, today=today).current.status == "overdue"


def test_after_the_grace_period_the_membership_is_suspended_with_90_days_to_respond():
    today = _today()
    # Due 40 days ago: run 15 days ago (overdue, in grace), then today (past the 30-day grace).
    membership, officer = make_member(accepted_on=accepted_for_due_in(-40, today))
    earlier = services.anl_reminders_send(today=today - dt.timedelta(days=15))
    assert (earlier.overdue, earlier.suspended) == (1, 0)
    membership.refresh_from_db()
    assert membership.status == "active"
    run = services.anl_reminders_send(today=today)
    assert run.suspended == 1
    membership.refresh_from_db()
    assert membership.status == "suspended" and membership.suspended_on == today
    event = AuditEvent.objects.get(
        action="tradecompliance.membership_transition", object_id=membership.public_id
    )
    assert "Annual Notification Letter due" in event.reason
    notice = Notification.objects.get(recipient=officer, kind="anl.suspension")
    respond_by = (today + dt.timedelta(days=90)).isoformat()
    assert "90 days" in notice.body and respond_by in notice.body
    # Idempotent: again today, nothing more.
    again = services.anl_reminders_send(today=today)
    assert (again.suspended, again.overdue, again.reminders) == (0, 0, 0)
    assert Notification.objects.filter(recipient=officer, kind="anl.suspension").count() == 1


def test_a_reinstated_member_is_not_suspended_again_for_the_same_letter():
    today = _today()
    membership, officer = make_member(accepted_on=accepted_for_due_in(-40, today))
    services.anl_reminders_send(today=today)
    membership.refresh_from_db()
    membership_transition(
        actor=None, membership=membership, target="active", reason="Responded; letter coming."
    )
    run = services.anl_reminders_send(today=today)
    assert run.suspended == 0
    membership.refresh_from_db()
    assert membership.status == "active"


def test_a_late_letter_is_filed_late_and_ends_the_overdue_state():
    today = _today()
    membership, officer = make_member(accepted_on=accepted_for_due_in(-5, today))
    services.anl_reminders_send(today=today)
    services.anl_letter_file(
        actor=officer, membership=membership, period=0, content=content(), signed_name="O."
    )
    item = selectors.membership_schedule(membership, today=today)
    assert item.history[0].status == "filed_late"
    assert item.current.period == 1 and item.current.status == "upcoming"


def test_members_without_officers_are_skipped_without_error():
    today = _today()
    membership, _ = make_member(accepted_on=accepted_for_due_in(30, today), officer=False)
    run = services.anl_reminders_send(today=today)
    assert run.reminders == 0 and not run.failed


def test_a_pilot_member_is_tracked_from_its_local_migration_day(settings):
    from ctpat.tradecompliance.models import TradeComplianceMembership

    settings.TIME_ZONE = "America/New_York"
    # Migrated on the evening of Feb 28 in New York: already Mar 1 in UTC.
    membership = TradeComplianceMembership(
        origin="pilot_migration",
        accepted_on=dt.date(2025, 1, 28),  # its first letter is due 2026-02-28
        created_at=dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC),
    )
    assert selectors.tracked_from(membership) == dt.date(2026, 2, 28)
    item = selectors.membership_schedule(membership, today=dt.date(2026, 2, 28), letters=[])
    assert (item.current.period, item.current.due_on) == (0, dt.date(2026, 2, 28))
