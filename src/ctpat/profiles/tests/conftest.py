"""Fixtures for the security-profile tests: files go to a temporary MEDIA_ROOT; profiles and
answers are made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def shipped_catalog(db):
    """The shipped criteria catalog. The data migration loads it, but a transactional test that
    ran before may have emptied the tables; then it is loaded again through the service."""
    from ctpat.criteria import catalog, selectors, services

    if selectors.current_version() is None:
        services.criteria_catalog_load(
            actor=None, snapshots=catalog.read_catalog(catalog.SHIPPED_CATALOG)
        )
    return selectors.current_version()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def compliance_user(importer, make_user):
    return make_user("partner_compliance", organization=importer.organization)


@pytest.fixture
def profile(importer, importer_officer):
    from ctpat.profiles import services

    return services.profile_start(actor=importer_officer, partner=importer)


@pytest.fixture
def answer_all():
    """``answer_all(profile, user, **{"3.9": "no"})``: answer every applicable criterion Yes,
    except those given (criterion ID -> answer, or None to leave it unanswered)."""
    from ctpat.criteria import selectors as criteria_selectors
    from ctpat.profiles import selectors, services

    def _answer(profile, user, overrides=None):
        overrides = overrides or {}
        version = criteria_selectors.current_version()
        for criterion in selectors.applicable_criteria(version, profile.partner.entity_type):
            answer = overrides.get(criterion.msc_id, "yes")
            if answer is None:
                continue
            services.answer_save(
                actor=user,
                profile=profile,
                msc_id=criterion.msc_id,
                answer=answer,
                narrative="Because." if answer == "not_applicable" else "",
            )
        profile.refresh_from_db()
        return profile

    return _answer


@pytest.fixture
def certified_days_ago(make_partner):
    """``certified_days_ago(n)``: an importer certified n days ago (CBP back-dates the record)."""
    from ctpat.testing import move_partner_to

    def _make(days: int, **kw):
        partner = make_partner(entity_type="importer", country="US", **kw)
        when = timezone.localdate() - dt.timedelta(days=days)
        move_partner_to(partner, "certified", effective_date=when)
        partner.refresh_from_db()
        return partner

    return _make
