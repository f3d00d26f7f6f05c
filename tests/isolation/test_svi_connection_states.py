"""What SVI-linked companies see of each other at every connection state, in both directions.

Only an accepted connection shows the other company's status, and only what it shares
(`Partner.shared_status`: a tier only with "share more"). Pending, rejected, cancelled and
disconnected requests show no live status or tier — in the connections tab, the partner list
(page, CSV, API), the partner's own page and the API — so a company that was refused, or
that withdrew, cannot keep watching the other one.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ctpat.partners import services

STATES = ["pending", "rejected", "cancelled", "accepted", "disconnected"]
DIRECTIONS = ["alpha_asked", "tango_asked"]
# Tango is a Tier III member that does not share its tier: an accepted connection reads it as
# "Certified member"; every other state reads nothing at all.
TIER_LABEL = "Tier III"


def _without_menus(html: str) -> str:
    """The page without its filter menus (which list every status as a choice)."""
    return re.sub(r"<select.*?</select>", "", html, flags=re.S)


@pytest.fixture
def pair(db, make_partner, make_user):
    alpha = make_partner(
        name="Alpha State Imports", entity_type="importer", country="US", status="certified"
    )
    tango = make_partner(
        name="Tango State Works",
        entity_type="foreign_manufacturer",
        country="MX",
        status="tier_iii",
    )
    return {
        "alpha": alpha,
        "tango": tango,
        "alpha_officer": make_user("partner_officer", organization=alpha.organization),
        "alpha_compliance": make_user("partner_compliance", organization=alpha.organization),
        "tango_officer": make_user("partner_officer", organization=tango.organization),
    }


def connect(pair, state: str, direction: str):
    """Bring a connection between alpha and tango to ``state``, asked by either side."""
    if direction == "alpha_asked":
        asker, answerer, target = pair["alpha_officer"], pair["tango_officer"], pair["tango"]
    else:
        asker, answerer, target = pair["tango_officer"], pair["alpha_officer"], pair["alpha"]
    connection = services.svi_request(actor=asker, target=target)
    if state == "rejected":
        services.svi_reject(actor=answerer, connection=connection, reason="No thanks")
    elif state == "cancelled":
        services.svi_cancel(actor=asker, connection=connection)
    elif state in ("accepted", "disconnected"):
        services.svi_accept(actor=answerer, connection=connection)
        if state == "disconnected":
            services.svi_disconnect(actor=answerer, connection=connection, reason="Ended")
    return connection


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("state", STATES)
def test_the_connections_tab_shows_the_other_status_only_while_accepted(
    login, pair, state, direction
):
    connect(pair, state, direction)
    for viewer in ("alpha_officer", "alpha_compliance"):
        client = login(pair[viewer])
        response = client.get(
            reverse("partners:svi_connections", kwargs={"partner_id": pair["alpha"].public_id})
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Tango State Works" in html  # the other side is named (asked by name)
        assert TIER_LABEL not in html, (state, direction, viewer)
        assert "Tier III" not in html
        if state == "accepted":
            assert "Certified member" in html
        else:
            assert "Certified member" not in html, (state, direction, viewer)
            assert "Shown while connected" in html


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("state", STATES)
def test_the_other_company_is_readable_only_while_accepted(
    login, api_client, pair, state, direction
):
    connect(pair, state, direction)
    tango = pair["tango"]
    client = login(pair["alpha_officer"])
    detail = client.get(reverse("partners:detail", kwargs={"partner_id": tango.public_id}))
    listing = client.get(reverse("partners:list")).content.decode()
    csv = b"".join(client.get(reverse("partners:list") + "?format=csv").streaming_content).decode()
    api = api_client(pair["alpha_officer"])
    api_list = api.get("/api/partners/").json()
    api_detail = api.get(f"/api/partners/{tango.public_id}/")
    names = [p["name"] for p in api_list["results"]]
    if state == "accepted":
        assert detail.status_code == 200
        assert "Tango State Works" in listing and "Tango State Works" in csv
        assert "Tango State Works" in names
        assert api_detail.json()["status"] == "certified"  # no tier: not shared
        assert "tier" not in api_detail.json()
        for body in (detail.content.decode(), listing, csv):
            assert TIER_LABEL not in _without_menus(body)
    else:
        assert detail.status_code == 404
        assert api_detail.status_code == 404
        assert "Tango State Works" not in listing and "Tango State Works" not in csv
        assert "Tango State Works" not in names


@pytest.mark.parametrize("state", STATES)
def test_cbp_sees_both_companies_in_full_on_the_connections_tab(login, scss, pair, state):
    connect(pair, state, "alpha_asked")
    html = (
        login(scss)
        .get(reverse("partners:svi_connections", kwargs={"partner_id": pair["alpha"].public_id}))
        .content.decode()
    )
    assert "Tier III" in html


def test_a_shared_tier_shows_only_while_accepted(login, pair):
    services.partner_update_svi_settings(
        actor=pair["tango_officer"],
        partner=pair["tango"],
        auto_accept=False,
        share_more=True,
        directory_listed=True,
    )
    connection = connect(pair, "accepted", "alpha_asked")
    url = reverse("partners:svi_connections", kwargs={"partner_id": pair["alpha"].public_id})
    client = login(pair["alpha_officer"])
    assert "Tier III" in client.get(url).content.decode()
    services.svi_disconnect(actor=pair["tango_officer"], connection=connection, reason="Ended")
    assert "Tier III" not in client.get(url).content.decode()
