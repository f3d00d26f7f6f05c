"""The daily caps hold when one company's users send at the same moment.

Each cap counts what was sent in the last 24 hours and then inserts; without a lock two
requests could both count one below the cap and both insert. The services lock the sending
company's row first, so the second waits and then counts the first.

PostgreSQL only: these tests need two connections writing at once. SQLite serialises writes
(one writer per database file), so there the race cannot happen and the test would prove
nothing.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ctpat.core.errors import DomainError
from ctpat.partners import rules, services, svi_numbers
from ctpat.partners.models import CertificationRequest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="concurrent writers: SQLite serialises writes, so the race cannot occur there",
    ),
]

THREADS = 6


def _at_once(work, n: int = THREADS) -> list[str]:
    """Run ``work(i)`` in ``n`` threads released together; each outcome is 'ok' or the error
    code."""
    outcomes: list[str] = []
    start = threading.Barrier(n)

    def run(i):
        try:
            start.wait()
            work(i)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_the_invitation_cap_holds_under_concurrent_requests(importer, make_user):
    officers = [
        make_user("partner_officer", organization=importer.organization) for _ in range(THREADS)
    ]
    for i in range(rules.CERTIFICATION_REQUESTS_PER_DAY - 1):
        services.certification_request_send(
            actor=officers[0], company_name=f"Earlier {i}", email=f"earlier{i}@example.test"
        )

    outcomes = _at_once(
        lambda i: services.certification_request_send(
            actor=officers[i], company_name=f"Racer {i}", email=f"racer{i}@example.test"
        )
    )

    assert outcomes == ["ok"] + ["rate_limited"] * (THREADS - 1)
    sent = CertificationRequest.objects.filter(requester=importer).count()
    assert sent == rules.CERTIFICATION_REQUESTS_PER_DAY
    assert connection.vendor == "postgresql"


def test_the_svi_number_cap_holds_under_concurrent_requests(importer, make_user, make_partner):
    officers = [
        make_user("partner_officer", organization=importer.organization) for _ in range(THREADS)
    ]
    for _ in range(svi_numbers.SVI_NUMBER_REQUESTS_PER_DAY - 1):
        services.svi_request_by_number(actor=officers[0], number="CT-0000000000")

    outcomes = _at_once(
        lambda i: services.svi_request_by_number(actor=officers[i], number="CT-0000000000")
    )

    assert outcomes == ["ok"] + ["rate_limited"] * (THREADS - 1)
    assert services.svi_number_requests_today(importer) == svi_numbers.SVI_NUMBER_REQUESTS_PER_DAY
