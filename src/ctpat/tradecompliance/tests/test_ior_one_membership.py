"""One Importer of Record number is covered by one Trade Compliance membership at a time:
refused when a company selects it and when CBP approves, and shown to CBP on the review page
(never to the other company)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ctpat.core.errors import ConflictError
from ctpat.core.models import AuditEvent
from ctpat.partners.services import identifier_add
from ctpat.tradecompliance import services
from ctpat.tradecompliance.models import Application, TradeComplianceMembership

from .factories import ior_values

pytestmark = pytest.mark.django_db

HOLDER = "Holder Imports Corp."


@pytest.fixture
def holder(make_partner):
    return make_partner(name=HOLDER, entity_type="importer", country="US", status="validated")


def _grant(partner, value) -> TradeComplianceMembership:
    """``partner`` claims IOR ``value`` too and becomes a member covering it."""
    identifier_add(actor=None, partner=partner, kind="ior", value=value)
    return services.membership_grant(
        actor=None,
        partner=partner,
        accepted_on=dt.date(2024, 1, 15),
        origin="application",
        ior_numbers=[value],
    )


def test_selecting_an_ior_another_member_holds_is_refused_without_naming_it(
    draft, validated_officer, holder
):
    (value,) = ior_values(draft.partner)
    _grant(holder, value)

    with pytest.raises(ConflictError) as exc:
        services.application_iors_select(
            actor=validated_officer, application=draft, ior_numbers=[value]
        )

    assert exc.value.code == "ior_held"
    assert "already covered by another company's Trade Compliance membership" in exc.value.message
    assert HOLDER not in exc.value.message
    assert not Application.objects.get(pk=draft.pk).ior_numbers.exists()


def test_approval_is_refused_while_another_membership_holds_the_ior(
    under_review, nam, holder, validated_importer
):
    (value,) = ior_values(under_review.partner)
    membership = _grant(holder, value)  # after the company selected it
    before = AuditEvent.objects.count()

    with pytest.raises(ConflictError) as exc:
        services.application_approve(actor=nam, application=under_review)

    assert exc.value.code == "ior_held"
    assert membership.account_number in exc.value.message and HOLDER in exc.value.message
    assert not TradeComplianceMembership.objects.filter(partner=validated_importer).exists()
    assert Application.objects.get(pk=under_review.pk).status == "under_review"
    assert AuditEvent.objects.count() == before


def test_a_membership_that_ended_releases_its_ior(under_review, nam, holder, cbp_admin):
    (value,) = ior_values(under_review.partner)
    membership = _grant(holder, value)
    services.membership_transition(
        actor=cbp_admin, membership=membership, target="withdrawn", reason="Left the program."
    )

    application = services.application_approve(actor=nam, application=under_review)

    assert application.status == "approved"


def test_a_suspended_membership_still_holds_its_ior(under_review, nam, holder, cbp_admin):
    (value,) = ior_values(under_review.partner)
    membership = _grant(holder, value)
    services.membership_transition(
        actor=cbp_admin, membership=membership, target="suspended", reason="Missed the letter."
    )
    with pytest.raises(ConflictError):
        services.application_approve(actor=nam, application=under_review)


def test_two_grants_of_one_batch_cannot_share_an_ior(make_partner):
    first = make_partner(entity_type="importer", country="US", status="validated")
    second = make_partner(entity_type="importer", country="US", status="validated")
    value = "98-765432100"
    for partner in (first, second):
        identifier_add(actor=None, partner=partner, kind="ior", value=value)
    grants = [
        services.Grant(partner, dt.date(2024, 1, 15), (value,), "") for partner in (first, second)
    ]
    with pytest.raises(ConflictError) as exc:
        services.membership_grant_many(actor=None, grants=grants, origin="pilot_migration")
    assert exc.value.code == "ior_held"
    assert not TradeComplianceMembership.objects.filter(partner__in=[first, second]).exists()


def test_cbp_sees_the_conflict_on_the_review_page_and_the_company_does_not(
    login, under_review, nam, holder, validated_officer
):
    (value,) = ior_values(under_review.partner)
    membership = _grant(holder, value)
    url = reverse(
        "tradecompliance:application_detail", kwargs={"application_id": under_review.public_id}
    )

    cbp_page = login(nam).get(url).content.decode()
    own_page = login(validated_officer).get(url).content.decode()

    assert "claimed by another company" in cbp_page
    assert membership.account_number in cbp_page and HOLDER in cbp_page
    assert "claimed by another company" not in own_page and HOLDER not in own_page


def test_cbp_sees_another_open_application_claiming_the_same_ior(
    login, under_review, nam, holder, make_user, make_ready
):
    (value,) = ior_values(under_review.partner)
    identifier_add(actor=None, partner=holder, kind="ior", value=value)
    officer = make_user("partner_officer", organization=holder.organization)
    make_ready(holder, officer)
    other = services.application_start(actor=officer, partner=holder)
    services.application_iors_select(actor=officer, application=other, ior_numbers=[value])
    url = reverse(
        "tradecompliance:application_detail", kwargs={"application_id": under_review.public_id}
    )
    page = login(nam).get(url).content.decode()
    assert other.public_id in page and "also selected by application" in page


def test_an_appeal_cannot_restore_a_membership_whose_ior_another_now_holds(
    holder, make_partner, cbp_admin
):
    from ctpat.tradecompliance.appeal_outcomes import membership_appeal_restore

    value = "55-123456700"
    removed = _grant(holder, value)
    services.membership_transition(
        actor=cbp_admin,
        membership=removed,
        target="suspended",
        reason="Missed the letter.",
        effective_date=dt.date.today() - dt.timedelta(days=120),
    )
    services.membership_transition(
        actor=cbp_admin, membership=removed, target="removed", reason="No answer."
    )
    newcomer = make_partner(entity_type="importer", country="US", status="validated")
    _grant(newcomer, value)

    with pytest.raises(ConflictError) as exc:
        membership_appeal_restore(
            actor=cbp_admin,
            membership=removed,
            target="active",
            appeal_id="APL-TEST",
            reason="Reversed.",
        )
    assert exc.value.code == "ior_held"
    removed.refresh_from_db()
    assert removed.status == "removed"


def test_the_queue_marks_an_application_whose_ior_another_membership_covers(
    login, under_review, nam, holder
):
    (value,) = ior_values(under_review.partner)
    _grant(holder, value)
    html = login(nam).get(reverse("tradecompliance:applications")).content.decode()
    assert "IOR number covered by another membership" in html
