"""The list page helper (core.lists): one page of the filtered rows, or all of them as CSV."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ctpat.core.lists import CsvExport, list_page

pytestmark = pytest.mark.django_db


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_the_csv_holds_every_filtered_item_not_only_the_page_asked_for():
    # Given a list of 30 items shown 10 a page, and a request for page 2 as CSV
    request = RequestFactory().get("/things/", {"format": "csv", "page": "2"})
    # When the list page answers
    response = list_page(
        request,
        items=list(range(30)),
        page_size=10,
        template="unused.html",
        export=CsvExport("ctpat-things", ["number"], lambda items: ([n] for n in items)),
    )
    # Then the download is dated and holds the header and all 30 items
    filename = f"ctpat-things-{timezone.localdate():%Y%m%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    lines = _csv_lines(response)
    assert lines[0] == "number"
    assert lines[1:] == [str(n) for n in range(30)]


def test_the_page_links_keep_the_filter_but_not_the_page_number(login, cbp_admin, importer):
    # Given a CBP program admin on page 1 of the partner list filtered by status
    client = login(cbp_admin)
    # When the page renders
    response = client.get(reverse("partners:list"), {"status": "certified", "page": "1"})
    # Then the pagination and CSV links carry the filter, and the CSV link asks for CSV
    assert response.status_code == 200
    assert response.context["query_without_page"] == "status=certified"
    assert response.context["csv_query"] == "status=certified&format=csv"
