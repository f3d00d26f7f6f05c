"""Trade Compliance membership: granting an account number, and the membership's own states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent
from ctpat.tradecompliance import rules, services
from ctpat.tradecompliance.models import TradeComplianceMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def nam(cbp_org, make_user):
    return make_user("nam", organization=cbp_org)


def _ior(partner) -> str:
    return partner.identifiers.get(kind="ior").value


def _grant(actor, partner, **kw):
    kw.setdefault("accepted_on", timezone.localdate() - dt.timedelta(days=10))
    kw.setdefault("origin", "application")
    kw.setdefault("ior_numbers", [_ior(partner)])
    return services.membership_grant(actor=actor, partner=partner, **kw)


def test_account_numbers_are_given_in_order_of_acceptance(validated_importer, nam, make_partner):
    other = make_partner(entity_type="importer", country="US", status="validated")

    first = _grant(nam, validated_importer)
    second = _grant(nam, other)

    assert (first.account_number, second.account_number) == ("TC000001", "TC000002")
    assert list(first.ior_numbers.values_list("value", flat=True)) == [_ior(validated_importer)]
    event = AuditEvent.objects.get(
        action="tradecompliance.membership_grant", object_id=first.public_id
    )
    assert event.after["account_number"] == "TC000001"
    assert event.organization == validated_importer.organization


def test_account_number_format_rule():
    assert rules.account_number(1) == "TC000001"
    assert rules.account_number(999_999) == "TC999999"
    with pytest.raises(ValueError):
        rules.account_number(0)
    with pytest.raises(ValueError):
        rules.account_number(1_000_000)


def test_a_company_is_granted_membership_once(validated_importer, nam):
    _grant(nam, validated_importer)
    with pytest.raises(ConflictError) as error:
        _grant(nam, validated_importer)
    assert error.value.code == "already_member"
    assert TradeComplianceMembership.objects.count() == 1


def test_ior_numbers_must_be_the_companys_own(validated_importer, nam, make_partner):
    other = make_partner(entity_type="importer", country="US", status="validated")
    with pytest.raises(DomainError) as error:
        _grant(nam, validated_importer, ior_numbers=[_ior(other)])
    assert error.value.code == "unknown_ior"
    with pytest.raises(DomainError) as error:
        _grant(nam, validated_importer, ior_numbers=[" "])
    assert error.value.code == "ior_required"
    assert not TradeComplianceMembership.objects.exists()
    assert not AuditEvent.objects.filter(action="tradecompliance.membership_grant").exists()


def test_only_cbp_program_staff_grant_memberships(validated_importer, validated_officer):
    with pytest.raises(PermissionDeniedError):
        _grant(validated_officer, validated_importer)
    assert not TradeComplianceMembership.objects.exists()


def test_acceptance_cannot_be_in_the_future(validated_importer, nam):
    with pytest.raises(DomainError) as error:
        _grant(nam, validated_importer, accepted_on=timezone.localdate() + dt.timedelta(days=1))
    assert error.value.code == "future_date"


def test_suspension_then_removal_waits_for_the_response_window(validated_importer, nam):
    membership = _grant(
        nam, validated_importer, accepted_on=timezone.localdate() - dt.timedelta(days=400)
    )
    suspended_on = timezone.localdate() - dt.timedelta(days=30)
    membership = services.membership_transition(
        actor=nam,
        membership=membership,
        target="suspended",
        reason="ANL missed.",
        effective_date=suspended_on,
    )
    assert membership.suspended_on == suspended_on

    with pytest.raises(DomainError) as error:
        services.membership_transition(
            actor=nam, membership=membership, target="removed", reason="No response."
        )
    assert error.value.code == "response_window_open"

    membership = services.membership_transition(
        actor=nam, membership=membership, target="active", reason="Letter filed."
    )
    assert membership.status == "active" and membership.suspended_on is None


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("active", "suspended", True),
        ("active", "withdrawn", True),
        ("active", "removed", False),
        ("suspended", "active", True),
        ("suspended", "removed", True),
        ("removed", "active", False),
        ("withdrawn", "active", False),
        ("active", "active", False),
    ],
)
def test_membership_transition_rule(current, target, allowed):
    decision = rules.tc_transition_decision(
        current,
        target,
        reason="because",
        today=dt.date(2026, 6, 1),
        suspended_on=dt.date(2026, 1, 1) if current == "suspended" else None,
    )
    assert decision.allowed is allowed


def test_a_reason_is_required():
    decision = rules.tc_transition_decision(
        "active", "suspended", reason=" ", today=dt.date(2026, 1, 1)
    )
    assert (decision.allowed, decision.code) == (False, "reason_required")


def test_removal_window_boundary():
    suspended = dt.date(2026, 1, 1)
    deadline = rules.tc_suspension_response_deadline(suspended)
    assert deadline == dt.date(2026, 4, 1)
    day_before = rules.tc_transition_decision(
        "suspended",
        "removed",
        reason="x",
        today=deadline - dt.timedelta(days=1),
        suspended_on=suspended,
    )
    on_day = rules.tc_transition_decision(
        "suspended", "removed", reason="x", today=deadline, suspended_on=suspended
    )
    assert (day_before.allowed, on_day.allowed) == (False, True)


def test_a_member_sees_its_own_membership_and_other_tenants_do_not(
    validated_importer, validated_officer, nam, make_partner, make_user
):
    membership = _grant(nam, validated_importer)
    stranger = make_user(
        "partner_officer",
        organization=make_partner(entity_type="importer", country="US").organization,
    )
    assert list(TradeComplianceMembership.objects.restrict(validated_officer)) == [membership]
    assert not TradeComplianceMembership.objects.restrict(stranger).exists()
    assert TradeComplianceMembership.objects.restrict(nam).count() == 1
    assert not TradeComplianceMembership.objects.restrict(validated_officer, "change").exists()


def test_a_grant_locks_one_counter_row_not_every_membership(validated_importer, nam, make_partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        _grant(nam, make_partner(entity_type="importer", country="US", status="validated"))
    with CaptureQueriesContext(connection) as queries:
        membership = _grant(nam, validated_importer)
    assert membership.account_number == "TC000006"
    reads_of_all = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and "tradecompliancemembership" in q["sql"].lower()
        and "account_number" in q["sql"].lower()
        and "where" not in q["sql"].lower()
    ]
    assert reads_of_all == []


def _grant_spec(partner, **kw):
    return services.Grant(
        partner=partner,
        accepted_on=kw.get("accepted_on", timezone.localdate() - dt.timedelta(days=30)),
        ior_numbers=kw.get("ior_numbers", (_ior(partner),)),
    )


def test_many_grants_are_numbered_in_order_and_each_is_audited(nam, make_partner):
    partners = [make_partner(entity_type="importer", country="US") for _ in range(4)]
    made = services.membership_grant_many(
        actor=nam, grants=[_grant_spec(p) for p in partners], origin="pilot_migration"
    )
    assert [m.account_number for m in made] == ["TC000001", "TC000002", "TC000003", "TC000004"]
    assert [m.partner for m in made] == partners
    assert all(m.ior_numbers.count() == 1 for m in made)
    events = AuditEvent.objects.filter(action="tradecompliance.membership_grant")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(m.public_id for m in made)


def test_one_bad_grant_refuses_them_all(nam, make_partner, validated_importer):
    _grant(nam, validated_importer)
    fresh = make_partner(entity_type="importer", country="US")
    with pytest.raises(ConflictError) as error:
        services.membership_grant_many(
            actor=nam,
            grants=[_grant_spec(fresh), _grant_spec(validated_importer)],
            origin="pilot_migration",
        )
    assert error.value.code == "already_member"
    other = make_partner(entity_type="importer", country="US")
    with pytest.raises(DomainError) as error:
        services.membership_grant_many(
            actor=nam,
            grants=[_grant_spec(fresh), _grant_spec(other, ior_numbers=(_ior(fresh),))],
            origin="pilot_migration",
        )
    assert error.value.code == "unknown_ior"
    with pytest.raises(DomainError) as error:
        services.membership_grant_many(
            actor=nam, grants=[_grant_spec(fresh), _grant_spec(fresh)], origin="pilot_migration"
        )
    assert error.value.code == "duplicate_partner"
    assert TradeComplianceMembership.objects.count() == 1
    # The refused batches took no numbers: the next grant is TC000002.
    assert _grant(nam, fresh).account_number == "TC000002"


def test_many_grants_cost_the_same_queries_for_2_or_20(nam, make_partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 20):
        specs = [
            _grant_spec(make_partner(entity_type="importer", country="US")) for _ in range(size)
        ]
        with CaptureQueriesContext(connection) as queries:
            services.membership_grant_many(actor=nam, grants=specs, origin="pilot_migration")
        # One audit event insert per membership; everything else is per batch.
        counts.append(len(queries.captured_queries) - size)
    assert counts[0] == counts[1]
