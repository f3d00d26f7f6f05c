"""Criteria pages: the catalog with its filters and as-of date, versions and their changes, and
the CBP admin's draft → edit → publish flow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ctpat.core.models import AuditEvent
from ctpat.criteria import selectors, services
from ctpat.criteria.models import CriteriaVersion

pytestmark = pytest.mark.django_db

CATALOG = reverse("criteria:catalog")


def ids_in(response) -> list[str]:
    return [
        e.criterion.msc_id
        for g in response.context["groups"]
        for c in g.categories
        for e in c.entries
    ]


# --- Catalog -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, current):
    response = client.get(CATALOG)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_given_an_importer_user_then_the_catalog_shows_the_importer_criteria_by_focus_area(
    login, importer_officer, current
):
    response = login(importer_officer).get(CATALOG)

    assert response.status_code == 200
    assert response.context["form"]["entity_type"].value() == "importer"
    assert len(ids_in(response)) == 97
    assert [g.label for g in response.context["groups"]] == [
        "Corporate Security",
        "Transportation Security",
        "People & Physical Security",
    ]
    html = response.content.decode()
    assert "Our summary, not CBP's wording" in html
    assert html.count("<h1") == 1


def test_given_a_manufacturer_user_then_the_partial_table_is_shown_as_partial(
    login, manufacturer_officer, current
):
    response = login(manufacturer_officer).get(CATALOG)

    assert ids_in(response) == ["1.1", "1.2", "7.37", "11.5"]
    html = response.content.decode()
    assert "Partial table for Foreign manufacturer" in html
    assert "CBP publishes the full table in the CTPAT Public Library" in html


def test_the_catalog_orders_3_10_after_3_9(login, cbp_admin, draft):
    services.criterion_add(
        actor=cbp_admin,
        draft=draft,
        msc_id="3.10",
        text="Beyond tier 1.",
        level="should",
        effective_from=dt.date(2027, 1, 1),
    )

    response = login(cbp_admin).get(CATALOG, {"version": draft.public_id, "category": 3})

    assert ids_in(response)[-2:] == ["3.9", "3.10"]


@pytest.mark.parametrize(
    ("on", "level", "has_3_9"),
    [
        pytest.param("2022-12-31", "should", True, id="should-on-2022-12-31"),
        pytest.param("2022-12-31", "must", False, id="not-must-on-2022-12-31"),
        pytest.param("2023-01-01", "must", True, id="must-on-2023-01-01"),
        pytest.param("2023-01-01", "should", False, id="not-should-on-2023-01-01"),
    ],
)
def test_must_or_should_filter_is_as_of_the_chosen_date(
    login, importer_officer, current, on, level, has_3_9
):
    response = login(importer_officer).get(CATALOG, {"on": on, "level": level, "category": 3})

    assert ("3.9" in ids_in(response)) is has_3_9


def test_before_2023_the_catalog_says_3_9_becomes_must_on_2023_01_01(
    login, importer_officer, current
):
    response = login(importer_officer).get(CATALOG, {"on": "2022-06-01", "q": "3.9"})

    assert ids_in(response) == ["3.9"]
    assert "3.9 becomes Must on 2023-01-01" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"tag": "cybersecurity", "category": 4}, 13, id="tag-and-category"),
        pytest.param({"tag": "cybersecurity"}, 14, id="tag-includes-12.8"),
        pytest.param({"tag": "forced_labor"}, 2, id="forced-labor"),
        pytest.param({"category": 8}, 1, id="agriculture-category"),
        pytest.param({"q": "ISO 17712"}, 2, id="search-text"),
        pytest.param({"entity_type": "sea_carrier"}, 2, id="other-type-partial-table"),
        pytest.param({"program": "trade_compliance"}, 0, id="program"),
    ],
)
def test_catalog_filters(login, importer_officer, current, params, expected):
    response = login(importer_officer).get(CATALOG, params)

    assert response.status_code == 200
    assert response.context["count"] == expected


def test_an_htmx_filter_request_gets_only_the_results(login, importer_officer, current):
    response = login(importer_officer).get(CATALOG, {"tag": "seals"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="criteria-results"' in html


def test_an_invalid_date_is_shown_as_a_form_error(login, importer_officer, current):
    response = login(importer_officer).get(CATALOG, {"on": "2023-02-30"})

    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert "Check the filters" in response.content.decode()


def test_a_partner_cannot_read_a_draft_through_the_catalog(login, importer_officer, draft):
    response = login(importer_officer).get(CATALOG, {"version": draft.public_id})

    assert response.status_code == 404


# --- Versions ------------------------------------------------------------------------------


def test_every_signed_in_user_reads_published_versions_but_not_drafts(
    login, importer_officer, current, draft
):
    client = login(importer_officer)

    listing = client.get(reverse("criteria:versions"))
    assert [v.pk for v in listing.context["versions"]] == [current.pk]
    assert (
        client.get(reverse("criteria:version_detail", args=[current.public_id])).status_code == 200
    )
    assert client.get(reverse("criteria:version_detail", args=[draft.public_id])).status_code == 404


def test_first_version_page_says_there_is_nothing_to_compare(login, importer_officer, current):
    response = login(importer_officer).get(
        reverse("criteria:version_detail", args=[current.public_id])
    )

    assert "first version of the catalog" in response.content.decode()
    assert response.context["criteria_count"] == 97


def test_cbp_staff_read_a_draft_but_only_the_program_admin_edits_it(
    login, scss, draft, draft_criterion
):
    client = login(scss)
    url = reverse("criteria:version_detail", args=[draft.public_id])

    response = client.get(url)
    assert response.status_code == 200 and not response.context["editable"]
    edit = reverse(
        "criteria:criterion_edit", args=[draft.public_id, draft_criterion("1.1").public_id]
    )
    assert client.get(edit).status_code == 403
    assert (
        client.post(reverse("criteria:version_publish", args=[draft.public_id]), {}).status_code
        == 403
    )


def test_given_a_cbp_admin_when_creating_a_draft_then_redirected_to_it(login, cbp_admin, current):
    response = login(cbp_admin).post(reverse("criteria:version_create"), {"label": "2027-01"})

    draft = CriteriaVersion.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == reverse("criteria:version_detail", args=[draft.public_id])


def test_given_a_draft_exists_when_creating_another_then_the_refusal_is_shown(
    login, cbp_admin, draft
):
    response = login(cbp_admin).post(reverse("criteria:version_create"), {"label": "Another"})

    assert response.status_code == 400
    assert "already being prepared" in response.content.decode()


def test_cbp_admin_upgrades_a_criterion_and_publishes_and_members_see_the_change(
    login, cbp_admin, importer_officer, draft, draft_criterion, current
):
    admin = login(cbp_admin)
    criterion = draft_criterion("2.2")
    edit_url = reverse("criteria:criterion_edit", args=[draft.public_id, criterion.public_id])
    assert admin.get(edit_url).status_code == 200

    response = admin.post(
        reverse("criteria:criterion_requirement", args=[draft.public_id, criterion.public_id]),
        {"level": "must", "effective_from": "2027-07-01", "reason": "CBP notice"},
    )
    assert response.status_code == 302
    response = admin.post(
        edit_url,
        {
            "text": "Map cargo movement from origin to the distribution centre.",
            "text_is_summary": "on",
            "entity_types": ["importer"],
            "program": "security",
            "tags": ["risk_assessment", "cargo_mapping"],
            "source": criterion.source,
            "notes": criterion.notes,
        },
    )
    assert response.status_code == 302
    response = admin.post(
        reverse("criteria:version_publish", args=[draft.public_id]),
        {"label": draft.label, "notes": "2.2 becomes a must from July 2027."},
    )
    assert response.status_code == 302

    assert selectors.current_version().pk == draft.pk
    page = login(importer_officer).get(reverse("criteria:version_detail", args=[draft.public_id]))
    html = page.content.decode()
    assert f"Changes since {current.label}" in html
    assert [(c.kind, c.msc_id) for c in page.context["changes"]] == [
        ("reworded", "2.2"),
        ("upgraded", "2.2"),
    ]
    assert "2027-07-01" in html
    catalog = login(importer_officer).get(CATALOG, {"q": "2.2", "on": "2027-01-01"})
    assert "2.2 becomes Must on 2027-07-01" in catalog.content.decode()


def test_publishing_an_unchanged_draft_shows_the_refusal(login, cbp_admin, draft):
    response = login(cbp_admin).post(
        reverse("criteria:version_publish", args=[draft.public_id]),
        {"label": draft.label, "notes": "No changes"},
    )

    assert response.status_code == 400
    assert "changes nothing" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_adding_a_criterion_through_the_form(login, cbp_admin, draft):
    response = login(cbp_admin).post(
        reverse("criteria:criterion_add", args=[draft.public_id]),
        {
            "msc_id": "3.10",
            "text": "Trace goods beyond tier 1.",
            "level": "should",
            "effective_from": "2027-01-01",
            "entity_types": ["importer"],
            "program": "security",
            "tags": ["forced_labor"],
        },
    )

    assert response.status_code == 302
    assert draft.criteria.filter(msc_id="3.10").exists()


def test_adding_a_duplicate_id_shows_the_field_error(login, cbp_admin, draft):
    response = login(cbp_admin).post(
        reverse("criteria:criterion_add", args=[draft.public_id]),
        {
            "msc_id": "3.9",
            "text": "Again.",
            "level": "must",
            "effective_from": "2027-01-01",
            "entity_types": ["importer"],
            "program": "security",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["msc_id"]


def test_removing_and_discarding_through_the_pages(login, cbp_admin, draft, draft_criterion):
    admin = login(cbp_admin)
    criterion = draft_criterion("3.8")

    response = admin.post(
        reverse("criteria:criterion_remove", args=[draft.public_id, criterion.public_id]),
        {"reason": "Carrier-only"},
    )
    assert response.status_code == 302 and not draft.criteria.filter(msc_id="3.8").exists()

    response = admin.post(
        reverse("criteria:version_discard", args=[draft.public_id]), {"reason": ""}
    )
    assert response.status_code == 302 and not CriteriaVersion.objects.filter(pk=draft.pk).exists()


def test_a_published_version_cannot_be_edited_through_the_pages(login, cbp_admin, current):
    criterion = current.criteria.get(msc_id="1.1")
    admin = login(cbp_admin)
    before = AuditEvent.objects.count()

    response = admin.post(
        reverse("criteria:criterion_requirement", args=[current.public_id, criterion.public_id]),
        {"level": "must", "effective_from": "2030-01-01"},
    )

    assert response.status_code == 302
    assert AuditEvent.objects.count() == before
    criterion.refresh_from_db()
    assert [p.level for p in criterion.periods()] == ["should"]


def test_the_navigation_offers_the_criteria_to_everyone_signed_in(login, importer_officer, current):
    nav = login(importer_officer).get(CATALOG).context["nav_items"]

    assert {"label": "Criteria", "url": CATALOG, "active": True} in nav


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31"])
def test_the_catalog_answers_for_extreme_dates(login, importer_officer, current, on):
    response = login(importer_officer).get(CATALOG, {"on": on})

    assert response.status_code == 200
