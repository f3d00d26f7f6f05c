"""Resources pages: the list (search, HTMX, CSV), a resource and its history, curation forms
for CBP program admins, and the share form for customs brokers."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ctpat.core.models import AuditEvent
from ctpat.resources import services
from ctpat.resources.models import Resource, ResourceShare

pytestmark = pytest.mark.django_db


def _detail_url(resource) -> str:
    return reverse("resources:detail", kwargs={"resource_id": resource.public_id})


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --- List ------------------------------------------------------------------------------------


def test_every_signed_in_user_has_resources_in_the_navigation(login, make_user):
    response = login(make_user("auditor")).get(reverse("dashboard"))
    assert {"label": "Resources", "url": "/resources/", "active": False} in (
        response.context["nav_items"]
    )


def test_the_list_needs_a_sign_in(client):
    response = client.get(reverse("resources:list"))
    assert response.status_code == 302


def test_a_member_first_sees_resources_for_its_company_type(login, importer_officer, make_resource):
    make_resource("For importers", audiences=["importer"])
    make_resource("For carriers", audiences=["sea_carrier"])
    make_resource("For everyone", audiences=["all_members"])
    response = login(importer_officer).get(reverse("resources:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "For importers" in body and "For everyone" in body
    assert "For carriers" not in body
    assert "for your company type" in body
    assert "[invalid name]" not in body  # every filter has its label
    # "Show all" clears the default audience.
    body = login(importer_officer).get(reverse("resources:list") + "?audience=").content.decode()
    assert "For carriers" in body


def test_an_htmx_search_returns_only_the_results_partial(login, importer_officer, make_resource):
    make_resource("UFLPA entity list")
    make_resource("Reasonable care")
    response = login(importer_officer).get(
        reverse("resources:list") + "?q=uflpa&audience=", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="resource-results"')
    assert "UFLPA entity list" in body and "Reasonable care" not in body
    assert "<html" not in body


def test_drafts_appear_only_for_cbp_staff(login, importer_officer, cbp_admin, make_resource):
    make_resource("Draft only", publish=False)
    assert "Draft only" not in login(importer_officer).get("/resources/?audience=").content.decode()
    body = login(cbp_admin).get("/resources/").content.decode()
    assert "Draft only" in body and "Draft (never published)" in body


def test_the_list_is_paginated(login, importer_officer, make_resource):
    for n in range(22):
        make_resource(f"Resource {n:02d}")
    first = login(importer_officer).get("/resources/?audience=&ordering=title")
    assert first.context["page_obj"].paginator.num_pages == 2
    second = login(importer_officer).get("/resources/?audience=&ordering=title&page=2")
    titles = [row["revision"].title for row in second.context["rows"]]
    assert titles == ["Resource 20", "Resource 21"]


def test_csv_export_follows_the_filters(login, importer_officer, make_resource, shared):
    make_resource("=HYPERLINK(1)", kind="link", topics=["security"])
    response = login(importer_officer).get("/resources/?audience=&topic=forced_labor&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert [r["title"] for r in rows] == ["Forced labor fact sheet"]
    assert rows[0]["shared_with_you_by"] == "Gulf Test Brokerage"
    assert rows[0]["external_url"].startswith("https://www.cbp.gov/")
    everything = _csv_rows(login(importer_officer).get("/resources/?audience=&format=csv"))
    assert "'=HYPERLINK(1)" in [r["title"] for r in everything]  # no spreadsheet formulas


def test_an_unknown_filter_value_shows_an_error_not_everything(login, importer_officer, published):
    response = login(importer_officer).get("/resources/?kind=poster")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert response.context["filter_form"].errors["kind"]


def test_shared_resources_say_who_shared_them(login, importer_officer, shared):
    body = login(importer_officer).get("/resources/?audience=").content.decode()
    assert "Shared with you" in body and "Gulf Test Brokerage" in body


# --- A resource ------------------------------------------------------------------------------


def test_the_resource_page_shows_text_safely_and_links_out(login, importer_officer, make_resource):
    resource = make_resource(body="<script>alert(1)</script>\n\nSecond paragraph.")
    body = login(importer_officer).get(_detail_url(resource)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<p>Second paragraph.</p>" in body
    assert 'href="https://www.cbp.gov/trade/programs-administration/forced-labor"' in body
    assert 'rel="noopener noreferrer external"' in body


def test_the_resource_page_shows_the_revision_history_with_a_diff(
    login, importer_officer, published, cbp_admin
):
    services.resource_revise(
        actor=cbp_admin,
        resource=published,
        title="Forced labor: what to know",
        publish=True,
        change_note="Clearer title",
    )
    body = login(importer_officer).get(_detail_url(published)).content.decode()
    assert "Revision history" in body
    assert "Clearer title" in body
    assert "<strong>title</strong>: changed" in body
    revision_url = reverse(
        "resources:revision", kwargs={"resource_id": published.public_id, "revision_number": 1}
    )
    old = login(importer_officer).get(revision_url)
    assert old.status_code == 200 and "Forced labor fact sheet" in old.content.decode()
    history = login(importer_officer).get(
        reverse("resources:revisions", kwargs={"resource_id": published.public_id})
    )
    assert history.status_code == 200


def test_members_cannot_open_drafts_or_draft_revisions(
    login, importer_officer, make_resource, cbp_admin
):
    draft = make_resource(publish=False)
    assert login(importer_officer).get(_detail_url(draft)).status_code == 404
    published = make_resource("Published")
    services.resource_revise(actor=cbp_admin, resource=published, title="Draft edit")
    url = reverse(
        "resources:revision", kwargs={"resource_id": published.public_id, "revision_number": 2}
    )
    assert login(importer_officer).get(url).status_code == 404
    assert login(cbp_admin).get(url).status_code == 200


def test_the_client_sees_shared_with_you_by_the_broker(login, importer_officer, shared, published):
    body = login(importer_officer).get(_detail_url(published)).content.decode()
    assert "Shared with you by Gulf Test Brokerage" in body
    assert "Please read before the audit." in body


def test_another_company_does_not_see_the_share(login, manufacturer_officer, shared, published):
    body = login(manufacturer_officer).get(_detail_url(published)).content.decode()
    assert "Gulf Test Brokerage" not in body and "Please read" not in body


# --- Curation --------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    return {
        "title": "New guidance",
        "kind": "guidance",
        "summary": "Short.",
        "body": "Text.",
        "external_url": "https://www.cbp.gov/document/publications/reasonable-care",
        "audiences": ["importer"],
        "topics": ["reasonable_care"],
        "source": "Seed FAQ",
        "change_note": "",
        **overrides,
    }


def test_a_cbp_admin_adds_and_publishes_a_resource(login, cbp_admin):
    response = login(cbp_admin).post(reverse("resources:create"), _form(publish="on"))
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail_url(resource)
    assert resource.state == "published"


def test_the_add_form_shows_clear_errors_and_writes_nothing(login, cbp_admin):
    response = login(cbp_admin).post(
        reverse("resources:create"), _form(title="", external_url="javascript:alert(1)")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors
    assert "https://" in errors["external_url"][0]
    assert not Resource.objects.exists()


def test_editing_makes_a_draft_revision(login, cbp_admin, published):
    url = reverse("resources:edit", kwargs={"resource_id": published.public_id})
    page = login(cbp_admin).get(url)
    assert page.status_code == 200 and "Forced labor fact sheet" in page.content.decode()
    response = login(cbp_admin).post(
        url, _form(title="Edited", audiences=["all_members"], change_note="Edit")
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.latest_revision.title == "Edited" and published.state == "unpublished_changes"


def test_publish_and_retire_buttons(login, cbp_admin, published):
    services.resource_revise(actor=cbp_admin, resource=published, title="Edited")
    c = login(cbp_admin)
    detail = c.get(_detail_url(published)).content.decode()
    assert "Publish revision 2" in detail and "Members see revision 1" in detail
    c.post(reverse("resources:publish", kwargs={"resource_id": published.public_id}), {})
    published.refresh_from_db()
    assert published.state == "published"
    c.post(reverse("resources:retire", kwargs={"resource_id": published.public_id}), {"reason": ""})
    published.refresh_from_db()
    assert published.state == "published"  # a reason is required
    c.post(
        reverse("resources:retire", kwargs={"resource_id": published.public_id}),
        {"reason": "Out of date"},
    )
    published.refresh_from_db()
    assert published.state == "retired"


@pytest.mark.parametrize("role", ["scss", "nam"])
def test_other_cbp_roles_cannot_curate(login, make_user, cbp_org, role, published):
    c = login(make_user(role, organization=cbp_org))
    assert c.get(reverse("resources:create")).status_code == 403
    edit = reverse("resources:edit", kwargs={"resource_id": published.public_id})
    assert c.post(edit, _form()).status_code == 403
    retire = reverse("resources:retire", kwargs={"resource_id": published.public_id})
    assert c.post(retire, {"reason": "x"}).status_code == 403
    assert published.revisions.count() == 1


def test_members_cannot_reach_the_curation_forms(login, importer_officer, published):
    c = login(importer_officer)
    assert c.get(reverse("resources:create")).status_code == 403
    assert (
        c.post(
            reverse("resources:publish", kwargs={"resource_id": published.public_id})
        ).status_code
        == 403
    )


# --- Sharing ---------------------------------------------------------------------------------


def test_a_broker_shares_from_the_share_form(
    login, broker_officer, client_partner, published, importer_officer
):
    c = login(broker_officer)
    detail = c.get(_detail_url(published)).content.decode()
    assert "Share with clients" in detail
    url = reverse("resources:share", kwargs={"resource_id": published.public_id})
    page = c.get(url)
    assert page.status_code == 200 and "Acme Imports Inc." in page.content.decode()
    response = c.post(url, {"clients": [client_partner.public_id], "note": "FYI"})
    assert response.status_code == 302
    share = ResourceShare.objects.get()
    assert share.client == client_partner and share.note == "FYI"
    assert "You shared this with" in c.get(_detail_url(published)).content.decode()


def test_the_share_form_refuses_a_company_that_is_not_a_client(
    login, broker_officer, client_partner, published, manufacturer
):
    url = reverse("resources:share", kwargs={"resource_id": published.public_id})
    response = login(broker_officer).post(url, {"clients": [manufacturer.public_id]})
    assert response.status_code == 400
    assert not ResourceShare.objects.exists()


def test_non_brokers_get_403_on_the_share_form(login, importer_officer, published):
    before = AuditEvent.objects.count()
    url = reverse("resources:share", kwargs={"resource_id": published.public_id})
    c = login(importer_officer)
    assert c.get(url).status_code == 403
    assert c.post(url, {"clients": ["CT-X"]}).status_code == 403
    assert "Share with clients" not in c.get(_detail_url(published)).content.decode()
    assert AuditEvent.objects.count() == before


def test_the_dashboard_shows_resources_newly_shared_with_the_partner(
    login, importer_officer, shared
):
    body = login(importer_officer).get(reverse("dashboard")).content.decode()
    assert "Resources shared with you" in body
    assert "Forced labor fact sheet" in body and "Gulf Test Brokerage" in body


def test_the_dashboard_panel_is_absent_without_shares(login, manufacturer_officer, shared):
    body = login(manufacturer_officer).get(reverse("dashboard")).content.decode()
    assert "Resources shared with you" not in body


def test_a_member_cannot_open_an_earlier_revision_written_only_for_cbp_staff(
    login, importer_officer, cbp_admin, make_resource
):
    resource = make_resource("Internal note", audiences=["cbp_staff"], body="Staff-only text.")
    services.resource_revise(
        actor=cbp_admin, resource=resource, audiences=["all_members"], body="Public.", publish=True
    )
    web = login(importer_officer)
    url = reverse(
        "resources:revision", kwargs={"resource_id": resource.public_id, "revision_number": 1}
    )
    assert web.get(url).status_code == 404
    body = web.get(reverse("resources:revisions", kwargs={"resource_id": resource.public_id}))
    assert "Staff-only text" not in body.content.decode()
    assert "Revision 1" not in body.content.decode()
