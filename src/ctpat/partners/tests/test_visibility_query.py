"""The partner visibility rule is a query PostgreSQL can plan at scale (issue 8)."""

from ctpat.core.models import _joins_to_many
from ctpat.partners.models import Partner


def test_a_partner_officers_partner_list_joins_no_connection_rows_and_needs_no_distinct(
    importer_officer,
):
    partners = Partner.objects.restrict(importer_officer)

    assert not partners.query.distinct
    assert "partners_sviconnection" not in str(partners.query).split("WHERE")[0]


def test_a_rule_that_joins_a_to_many_relation_still_gets_distinct(db):
    assert _joins_to_many(Partner.objects.filter(svi_requests_sent__status="accepted"))
    assert not _joins_to_many(Partner.objects.filter(organization__name="x"))
