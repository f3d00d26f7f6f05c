"""Trade Compliance decisions to appeal, made through the services: a denied application, and
a suspended or removed membership."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ctpat.testing import make_partner, make_user


def tc_importer(*, name=None):
    """A validated U.S. importer ready to apply (facts declared, every eligibility answer Yes),
    with its officer. Returns (partner, officer)."""
    from ctpat.tradecompliance import selectors, services

    partner = make_partner(name=name, entity_type="importer", country="US", status="validated")
    officer = make_user("partner_officer", organization=partner.organization)
    services.tc_profile_update(
        actor=officer,
        partner=partner,
        import_history_start=dt.date(2019, 5, 1),
        has_cbp_debt=False,
        is_non_resident_canadian=False,
    )
    version = selectors.questionnaire_current()
    codes = [q.code for q in selectors.eligibility_questions(version)]
    services.readiness_answers_save(
        actor=officer, partner=partner, version=version, answers=dict.fromkeys(codes, True)
    )
    return partner, officer


def tc_denied_application(*, name=None, reason="No evidence of self-testing."):
    """A Trade Compliance application submitted, reviewed by a NAM and denied.

    Returns (partner, officer, nam, application)."""
    from ctpat.tradecompliance import services
    from ctpat.tradecompliance.tests.factories import fill_application

    partner, officer = tc_importer(name=name)
    nam = make_user("nam")
    application = services.application_start(actor=officer, partner=partner)
    fill_application(application, officer)
    services.application_submit(actor=officer, application=application)
    services.application_assign(actor=nam, application=application, nam=nam)
    application = services.application_deny(actor=nam, application=application, reason=reason)
    return partner, officer, nam, application


def tc_member(*, name=None, accepted_days_ago=400):
    """A Trade Compliance member (recorded by CBP). Returns (partner, officer, membership)."""
    from ctpat.tradecompliance import services
    from ctpat.tradecompliance.tests.factories import ior_values

    partner = make_partner(name=name, entity_type="importer", country="US", status="validated")
    officer = make_user("partner_officer", organization=partner.organization)
    membership = services.membership_grant(
        actor=None,
        partner=partner,
        accepted_on=timezone.localdate() - dt.timedelta(days=accepted_days_ago),
        origin="recorded",
        ior_numbers=ior_values(partner),
    )
    return partner, officer, membership


def tc_suspended_member(*, name=None, days_ago=0, removed_days_ago=None):
    """A Trade Compliance member suspended ``days_ago`` days ago, and removed
    ``removed_days_ago`` days ago if given (after the 90-day answer window).

    Returns (partner, officer, membership)."""
    from ctpat.tradecompliance import services

    partner, officer, membership = tc_member(name=name, accepted_days_ago=days_ago + 400)
    today = timezone.localdate()
    membership = services.membership_transition(
        actor=None,
        membership=membership,
        target="suspended",
        reason="The Annual Notification Letter was not filed.",
        effective_date=today - dt.timedelta(days=days_ago),
    )
    if removed_days_ago is not None:
        membership = services.membership_transition(
            actor=None,
            membership=membership,
            target="removed",
            reason="No answer within 90 days.",
            effective_date=today - dt.timedelta(days=removed_days_ago),
        )
    return partner, officer, membership
