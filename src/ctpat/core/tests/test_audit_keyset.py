"""The audit log pages by keyset: newest, older, newer and oldest pages, no count (issue 8)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ctpat.core import views
from ctpat.core.models import AuditEvent
from ctpat.partners.services import partner_update_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_updates(importer, monkeypatch):
    """Seven partner updates, pages of three; two events share one instant (a tie)."""
    monkeypatch.setattr(views, "AUDIT_PAGE_SIZE", 3)
    for n in range(7):
        partner_update_profile(actor=None, partner=importer, city=f"City {n}")
    return AuditEvent.objects.filter(action="partner.update")


def _ids(response) -> list[str]:
    return [e.public_id for e in response.context["page_obj"]]


def _link(response, label: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<a href="([^"]+)"[^>]*>(?:\s|<[^>]+>)*{label}\b', html)
    assert match, f"no {label} link"
    return match.group(1).replace("&amp;", "&")


def test_older_newer_and_oldest_pages_walk_the_log_in_order(login, cbp_admin, seven_updates):
    tied = list(seven_updates.order_by("id").values_list("pk", flat=True)[2:5])
    with connection.cursor() as cursor:  # three events at one instant: the key breaks the tie
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET occurred_at = %s WHERE id IN (%s, %s, %s)",
            [connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(days=1))]
            + tied,
        )
    expected = list(
        seven_updates.order_by("-occurred_at", "-id").values_list("public_id", flat=True)
    )
    client = login(cbp_admin)
    url = reverse("core:audit_log")
    query = {"action": "partner.update"}

    first = client.get(url, query)
    second = client.get(url + _link(first, "Older"))
    third = client.get(url + _link(second, "Older"))
    back = client.get(url + _link(third, "Newer"))
    oldest = client.get(url + _link(first, "Oldest"))

    assert _ids(first) + _ids(second) + _ids(third) == expected
    assert _ids(back) == _ids(second)
    assert _ids(oldest) == expected[-3:]
    assert "Older" not in third.content.decode().split("Audit log pages")[-1]


def test_a_page_runs_no_count_and_no_offset(login, cbp_admin, seven_updates):
    client = login(cbp_admin)
    first = client.get(reverse("core:audit_log"), {"action": "partner.update"})

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core:audit_log") + _link(first, "Older"))

    audit_sql = [
        q["sql"].upper() for q in queries.captured_queries if "CORE_AUDITEVENT" in q["sql"].upper()
    ]
    sql = " ".join(audit_sql)
    assert "COUNT(" not in sql
    assert "OFFSET" not in sql


def test_a_malformed_cursor_shows_the_newest_page(login, cbp_admin, seven_updates):
    response = login(cbp_admin).get(reverse("core:audit_log"), {"after": "nonsense~x"})

    assert response.status_code == 200
    assert response.context["page_obj"].has_next
