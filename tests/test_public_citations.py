"""Users see only public sources (issue 7): walk every rendered criteria and resources page, and
the shipped data files, and fail on any name of our development material (the domain brief, the
seed folder, the brief's short names) or a consultant's web site."""

from __future__ import annotations

import csv
import re

import pytest
from django.core.management import call_command

from ctpat.core import citations
from ctpat.criteria import catalog
from ctpat.partners.choices import EntityType
from ctpat.resources import seed

FORBIDDEN = (
    "DOMAIN",
    "shared/",
    "seed/",
    *citations.NON_PUBLIC_SOURCE_DOMAINS,
    *citations.INTERNAL_SHORT_NAMES,
)


def _leaks(text: str) -> list[str]:
    return [marker for marker in FORBIDDEN if marker in text]


def _visible_text(html: str) -> str:
    """The page without its <script>/<style> blocks (vendor code is not shown to users)."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)


@pytest.mark.parametrize(
    "path", [catalog.SHIPPED_CATALOG, seed.SEED_FILE], ids=["criteria", "resources"]
)
def test_the_shipped_data_files_name_no_internal_material(path):
    with open(path, newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            for column, value in row.items():
                assert not _leaks(value), (path.name, number, column, value)
                assert citations.internal_reference_problem(value) is None, (number, column)


def test_every_source_key_in_the_data_files_is_a_known_citation():
    keys = set()
    for snapshot in catalog.read_catalog(catalog.SHIPPED_CATALOG):
        keys |= set(citations.split_sources(snapshot.source))
    for row in seed.read_seed():
        keys |= set(citations.split_sources(row["source"]))
    assert keys <= set(citations.CITATIONS), keys - set(citations.CITATIONS)
    for key in keys:
        c = citations.CITATIONS[key]
        assert c.title and c.publisher and c.date, key
        assert not c.url or c.url.startswith("https://"), key


def test_internal_references_are_recognised():
    for text in (
        "DOMAIN.md §7.6",
        "shared/seed/000.txt",
        "normanjaspanassociates.com",
        "PV-MODAL; SEEDER",
    ):
        assert citations.internal_reference_problem(text), text
    for text in ("cbp-msc-importers-2019", "CBP, CSMS #41052241", "6 U.S.C. § 967"):
        assert citations.internal_reference_problem(text) is None, text


@pytest.fixture
def pages(db, login, importer_officer, cbp_admin):
    from ctpat.criteria import selectors as criteria_selectors
    from ctpat.resources.models import Resource

    call_command("load_resources", verbosity=0)
    paths = ["/criteria/", "/criteria/versions/", "/resources/"]
    paths += [f"/criteria/?entity_type={t}" for t in EntityType.values]
    paths += [
        f"/criteria/versions/{v.public_id}/"
        for v in criteria_selectors.version_list(viewer=cbp_admin)
    ]
    paths += [f"/resources/{r.public_id}/" for r in Resource.objects.all()]
    return [(login(user), paths) for user in (importer_officer, cbp_admin)]


def test_criteria_and_resources_pages_show_only_public_citations(pages):
    checked = 0
    for client, paths in pages:
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            html = _visible_text(response.content.decode())
            assert not _leaks(html), (path, _leaks(html))
            checked += 1
    assert checked > 20


def test_pages_show_citations_with_their_links(login, importer_officer, db):
    from ctpat.resources.models import Resource

    call_command("load_resources", verbosity=0)
    criteria = login(importer_officer).get("/criteria/", {"q": "11.5"}).content.decode()
    resource = Resource.objects.get(seed_key="wro-findings")
    page = login(importer_officer).get(f"/resources/{resource.public_id}/").content.decode()

    assert "CSMS #41052241" in criteria
    assert "https://content.govdelivery.com/bulletins/gd/USDHSCBP-2726851" in criteria
    assert "Withhold Release Orders and Findings List. U.S. Customs and Border Protection" in page
    assert "https://www.law.cornell.edu/uscode/text/19/1307" in page
