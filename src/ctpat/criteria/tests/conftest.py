"""Fixtures for the criteria tests: the shipped catalog (loaded by the data migration) and a
draft made from it by a CBP program admin, through the services."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def current(db):
    from ctpat.criteria import selectors

    version = selectors.current_version()
    assert version is not None, "the data migration loads the shipped catalog"
    return version


@pytest.fixture
def draft(current, cbp_admin):
    from ctpat.criteria import services

    return services.criteria_version_create_draft(actor=cbp_admin, label="2027-01 (importer)")


@pytest.fixture
def draft_criterion(draft):
    """``draft_criterion("3.9")``: that criterion in the draft."""

    def _get(msc_id: str):
        return draft.criteria.get(msc_id=msc_id)

    return _get


@pytest.fixture
def empty_catalog(db):
    """A database where no catalog was ever loaded.

    The data migration loads one into every test database; deleting it with raw SQL (past the
    audited-write guard, test setup only) gives the state a fresh install had before it.
    """
    from ctpat.criteria.models import CriteriaVersion, Criterion, CriterionRequirement

    with connection.cursor() as cursor:
        for model in (CriterionRequirement, Criterion, CriteriaVersion):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    assert not CriteriaVersion.objects.exists()
