"""Search and filters of the resources list: one FilterSet for the page and the API."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from ctpat.resources import selectors, services
from ctpat.resources.filtersets import ResourceFilterSet

pytestmark = pytest.mark.django_db


def _titles(viewer, query: str) -> list[str]:
    request = RequestFactory().get("/resources/")
    request.user = viewer
    filterset = ResourceFilterSet(
        QueryDict(query),
        queryset=selectors.resource_list_for_viewer(viewer=viewer),
        request=request,
    )
    assert filterset.is_valid(), filterset.errors
    return [selectors.display_revision(viewer=viewer, resource=r).title for r in filterset.qs]


@pytest.fixture
def library(make_resource):
    make_resource("UFLPA entity list", kind="link", body="Xinjiang presumption.")
    make_resource(
        "Broker guidance",
        kind="guidance",
        audiences=["customs_broker"],
        topics=["business_partners"],
    )
    make_resource("Importer reasonable care", audiences=["importer"], topics=["reasonable_care"])
    make_resource("Carrier seals", audiences=["sea_carrier"], topics=["security"])
    make_resource("Unpublished idea", publish=False)


def test_text_search_covers_title_summary_and_body(library, importer_officer):
    assert _titles(importer_officer, "q=uflpa") == ["UFLPA entity list"]
    assert _titles(importer_officer, "q=xinjiang") == ["UFLPA entity list"]
    assert _titles(importer_officer, "q=unpublished") == []  # drafts stay CBP's


def test_every_word_must_match(library, importer_officer):
    assert _titles(importer_officer, "q=importer care") == ["Importer reasonable care"]
    assert _titles(importer_officer, "q=reasonable seals") == []


def test_filter_by_kind_and_topic(library, importer_officer):
    assert _titles(importer_officer, "kind=link") == ["UFLPA entity list"]
    assert _titles(importer_officer, "topic=security") == ["Carrier seals"]


def test_an_audience_filter_includes_resources_for_all_members(library, importer_officer):
    titles = _titles(importer_officer, "audience=importer")
    assert sorted(titles) == ["Importer reasonable care", "UFLPA entity list"]
    assert _titles(importer_officer, "audience=all_members") == ["UFLPA entity list"]


def test_the_members_own_audience_comes_first(library, importer_officer, broker_officer):
    assert _titles(importer_officer, "")[:2] == ["Importer reasonable care", "UFLPA entity list"]
    assert _titles(broker_officer, "")[:2] == ["Broker guidance", "UFLPA entity list"]


def test_members_search_the_live_revision_not_a_newer_draft(published, cbp_admin, importer_officer):
    services.resource_revise(actor=cbp_admin, resource=published, title="Secret new wording")
    assert _titles(importer_officer, "q=secret") == []
    assert _titles(cbp_admin, "q=secret") == ["Secret new wording"]


def test_cbp_staff_filter_by_publication_state(library, published, cbp_admin):
    services.resource_revise(actor=cbp_admin, resource=published, title="Pending edit")
    assert _titles(cbp_admin, "state=draft") == ["Unpublished idea"]
    assert _titles(cbp_admin, "state=unpublished_changes") == ["Pending edit"]
    services.resource_retire(actor=cbp_admin, resource=published, reason="Old")
    assert _titles(cbp_admin, "state=retired") == ["Pending edit"]


def test_the_state_filter_finds_only_published_resources_for_members(library, importer_officer):
    assert _titles(importer_officer, "state=draft") == []
    assert len(_titles(importer_officer, "state=published")) == 4


def test_shared_with_my_company(shared, make_resource, importer_officer):
    make_resource("Not shared")
    assert _titles(importer_officer, "shared=true") == ["Forced labor fact sheet"]
    assert _titles(importer_officer, "shared=false") == ["Not shared"]


def test_ordering_by_title(library, importer_officer):
    titles = _titles(importer_officer, "ordering=-title")
    assert titles == sorted(titles, reverse=True)


def test_the_state_filter_does_not_tell_members_which_resources_have_drafts(
    library, published, cbp_admin, importer_officer
):
    services.resource_revise(actor=cbp_admin, resource=published, title="Pending edit")
    assert _titles(importer_officer, "state=unpublished_changes") == []
    assert _titles(importer_officer, "state=retired") == []
    # Every resource a member reads is published, including one with a newer draft.
    assert "Forced labor fact sheet" in _titles(importer_officer, "state=published")
    assert len(_titles(importer_officer, "state=published")) == 5
