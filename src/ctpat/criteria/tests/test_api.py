"""Criteria API: the catalog with its level on a date, versions and their changes."""

from __future__ import annotations

import datetime as dt

import pytest

from ctpat.criteria import catalog, services

pytestmark = pytest.mark.django_db

CRITERIA = "/api/criteria/"
VERSIONS = "/api/criteria-versions/"


def by_id(response) -> dict:
    return {item["msc_id"]: item for item in response.json()["results"]}


@pytest.mark.parametrize(
    ("on", "level", "upcoming"),
    [
        pytest.param("2022-12-31", "should", [{"date": "2023-01-01", "level": "must"}], id="2022"),
        pytest.param("2023-01-01", "must", [], id="2023"),
        pytest.param(
            "2019-06-01",
            None,
            [{"date": "2020-01-01", "level": "should"}, {"date": "2023-01-01", "level": "must"}],
            id="before",
        ),
    ],
)
def test_criteria_give_3_9_level_on_the_requested_date(
    api_client, importer_officer, current, on, level, upcoming
):
    response = api_client(importer_officer).get(
        CRITERIA, {"entity_type": "importer", "on": on, "tag": "forced_labor"}
    )

    assert response.status_code == 200
    nine = by_id(response)["3.9"]
    assert (nine["level"], nine["on"], nine["upcoming_changes"]) == (level, on, upcoming)
    assert nine["requirements"] == [
        {"level": "should", "effective_from": "2020-01-01", "effective_to": "2022-12-31"},
        {"level": "must", "effective_from": "2023-01-01", "effective_to": None},
    ]
    assert nine["text_is_summary"] is False and nine["version"] == current.public_id
    assert nine["focus_area"] == "corporate_security"


def test_criteria_list_is_in_id_order_and_paginated(api_client, importer_officer, current):
    response = api_client(importer_officer).get(CRITERIA, {"page_size": 100})

    body = response.json()
    ids = [item["msc_id"] for item in body["results"]]
    assert body["count"] == 97 and len(ids) == 97
    assert ids.index("12.9") < ids.index("12.10")


@pytest.mark.parametrize(
    ("params", "count"),
    [
        pytest.param({"category": "4"}, 13, id="category"),
        pytest.param({"tag": "agriculture", "category": "8"}, 1, id="tag-category"),
        pytest.param({"level": "should", "on": "2022-12-31", "category": "3"}, 2, id="level"),
        pytest.param({"entity_type": "air_carrier"}, 2, id="other-type-partial-table"),
        pytest.param({"q": "3.9"}, 1, id="by-id"),
    ],
)
def test_criteria_filters(api_client, importer_officer, current, params, count):
    response = api_client(importer_officer).get(CRITERIA, params)

    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"tag": ""}, id="empty-tag"),
        pytest.param({"on": ""}, id="empty-date"),
        pytest.param({"on": "2023-02-30"}, id="bad-date"),
        pytest.param({"category": "13"}, id="bad-category"),
        pytest.param({"entity_type": "pirate"}, id="bad-type"),
        pytest.param({"version": "MSCV-NOPE"}, id="unknown-version"),
    ],
)
def test_bad_filters_are_refused(api_client, importer_officer, current, params):
    response = api_client(importer_officer).get(CRITERIA, params)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_a_criterion_is_read_by_its_public_id(api_client, importer_officer, current):
    criterion = current.criteria.get(msc_id="11.5")

    response = api_client(importer_officer).get(
        f"{CRITERIA}{criterion.public_id}/", {"on": "2024-01-01"}
    )

    assert response.status_code == 200
    assert (response.json()["msc_id"], response.json()["level"]) == ("11.5", "must")


def test_versions_list_the_published_ones_for_members_and_the_draft_for_cbp(
    api_client, importer_officer, cbp_admin, current, draft
):
    member = api_client(importer_officer).get(VERSIONS).json()
    cbp = api_client(cbp_admin).get(VERSIONS).json()

    assert [v["public_id"] for v in member["results"]] == [current.public_id]
    assert member["results"][0] | {"published_at": None} == {
        "public_id": current.public_id,
        "number": 1,
        "label": "2019-11 (importer)",
        "status": "published",
        "is_current": True,
        "published_at": None,
        "based_on": None,
        "notes": current.notes,
        "criteria_count": 97,
        "partial_entity_types": list(catalog.SHIPPED_PARTIAL_ENTITY_TYPES),
    }
    assert [v["public_id"] for v in cbp["results"]] == [draft.public_id, current.public_id]
    assert api_client(importer_officer).get(f"{VERSIONS}{draft.public_id}/").status_code == 404


def test_a_published_version_lists_its_changes_against_the_previous(
    api_client, importer_officer, cbp_admin, current, draft, draft_criterion
):
    services.criterion_set_requirement(
        actor=cbp_admin,
        draft=draft,
        criterion=draft_criterion("4.4"),
        level="must",
        effective_from=dt.date(2027, 1, 1),
    )
    services.criteria_version_publish(actor=cbp_admin, draft=draft, notes="4.4 becomes a must.")

    body = api_client(importer_officer).get(f"{VERSIONS}{draft.public_id}/").json()

    assert (body["number"], body["previous"], body["is_current"]) == (2, current.public_id, True)
    assert body["changes"] == [
        {
            "kind": "upgraded",
            "msc_id": "4.4",
            "summary": "4.4 is Must from 2027-01-01 (was Should).",
            "entity_types": ["importer"],
            "effective_from": "2027-01-01",
            "member_facing": True,
            "before": {"level": "should"},
            "after": {"level": "must"},
        }
    ]
    old = api_client(importer_officer).get(f"{VERSIONS}{current.public_id}/").json()
    assert (old["is_current"], old["previous"], old["changes"]) == (False, None, [])
    old_4_4 = by_id(
        api_client(importer_officer).get(
            CRITERIA, {"version": current.public_id, "q": "4.4", "on": "2028-01-01"}
        )
    )["4.4"]
    assert old_4_4["level"] == "should"


def test_the_api_is_read_only(api_client, cbp_admin, current):
    client = api_client(cbp_admin)

    assert client.post(CRITERIA, {}, format="json").status_code == 405
    assert client.post(VERSIONS, {}, format="json").status_code == 405


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31"])
def test_extreme_dates_are_answered(api_client, importer_officer, current, on):
    client = api_client(importer_officer)
    criterion = current.criteria.get(msc_id="3.9")

    listing = client.get(CRITERIA, {"on": on, "q": "3.9"})
    detail = client.get(f"{CRITERIA}{criterion.public_id}/", {"on": on})

    assert listing.status_code == 200 and detail.status_code == 200
    assert detail.json()["level"] == (None if on.startswith("0001") else "must")
