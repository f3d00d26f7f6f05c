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


# --- Query parameters: filters and orderings touch only what the viewer may read ----------


@pytest.fixture
def connected_pair(pair):
    connect(pair, "accepted", "alpha_asked")
    return pair


def _partner_ids(client, query: str) -> list[str]:
    """The ids the API lists for ``query``, or the refusal (a code, the same in every world)."""
    response = client.get("/api/partners/?" + query)
    if response.status_code != 200:
        return [f"refused {response.status_code} {response.json()['error']['code']}"]
    return [p["public_id"] for p in response.json()["results"]]


def _page_names(client, query: str) -> str:
    return client.get(reverse("partners:list") + "?" + query).content.decode()


def test_q_does_not_match_a_connection_s_dba_name(login, api_client, connected_pair, make_user):
    tango = connected_pair["tango"]
    services.partner_update_profile(
        actor=connected_pair["tango_officer"], partner=tango, dba_name="Zebra Secret Trading"
    )
    api = api_client(connected_pair["alpha_officer"])
    page = login(connected_pair["alpha_officer"])
    for probe in ("Zebra", "Zebra Secret", "z"):
        ids = _partner_ids(api, f"q={probe}")
        assert tango.public_id not in ids, probe
        assert "Tango State Works" not in _page_names(page, f"q={probe}"), probe
    # Its own DBA and the connection's name still match.
    assert tango.public_id in _partner_ids(api, "q=Tango")
    # CBP matches the DBA; so does the company itself.
    assert tango.public_id in _partner_ids(api_client(connected_pair["tango_officer"]), "q=Zebra")


def test_q_matches_the_viewer_s_own_dba_name(api_client, connected_pair):
    alpha = connected_pair["alpha"]
    services.partner_update_profile(
        actor=connected_pair["alpha_officer"], partner=alpha, dba_name="Yonder Own Trading"
    )
    ids = _partner_ids(api_client(connected_pair["alpha_officer"]), "q=Yonder")
    assert ids == [alpha.public_id]


def test_cbp_q_matches_any_dba_name(api_client, scss, connected_pair):
    tango = connected_pair["tango"]
    services.partner_update_profile(
        actor=connected_pair["tango_officer"], partner=tango, dba_name="Zebra Secret Trading"
    )
    assert tango.public_id in _partner_ids(api_client(scss), "q=Zebra")


@pytest.fixture
def ranked(make_partner, make_user, connected_pair):
    """Alpha connected to members at every tier, none sharing it: ordering by status must not
    separate them (they all read "certified")."""
    alpha_officer = connected_pair["alpha_officer"]
    partners = [connected_pair["tango"]]
    for status, name in (("validated", "Mike Ranked Works"), ("certified", "Lima Ranked Works")):
        other = make_partner(
            name=name, entity_type="foreign_manufacturer", country="MX", status=status
        )
        officer = make_user("partner_officer", organization=other.organization)
        connection = services.svi_request(actor=alpha_officer, target=other)
        services.svi_accept(actor=officer, connection=connection)
        partners.append(other)
    return connected_pair, partners


@pytest.mark.parametrize("ordering", ["status", "-status"])
def test_ordering_by_status_does_not_rank_hidden_tiers(api_client, login, ranked, ordering):
    pair, others = ranked
    api = api_client(pair["alpha_officer"])
    ids = _partner_ids(api, f"ordering={ordering}")
    # Alpha (own, certified) and the three connections all read "certified": ties are broken
    # by name, never by the hidden tier.
    by_name = sorted([pair["alpha"], *others], key=lambda p: p.name)
    assert ids == [p.public_id for p in by_name]
    html = _page_names(login(pair["alpha_officer"]), f"ordering={ordering}")
    positions = [html.index(p.name) for p in by_name]
    assert positions == sorted(positions)


def test_cbp_ordering_by_status_ranks_real_statuses(api_client, scss, ranked):
    pair, others = ranked
    ids = _partner_ids(api_client(scss), "ordering=status")
    order = [p.public_id for p in sorted([pair["alpha"], *others], key=lambda p: p.status)]
    assert [i for i in ids if i in order] == order


# Every filter and ordering the partner list offers, with the values a probe would try; each
# must give an SVI connection the same answer whatever the connection's hidden fields hold.
PROBES = [
    "q=Zebra",
    "q=Tango",
    "status=certified",
    "status=tier_iii",
    "status=validated",
    "tier=1",
    "tier=3",
    "entity_type=foreign_manufacturer",
    "country=MX",
    "ordering=status",
    "ordering=-status",
    "ordering=name",
    "ordering=country",
    "ordering=certification_date",
    "ordering=-certification_date",
]


@pytest.mark.parametrize("probe", PROBES)
def test_no_filter_or_ordering_reads_a_hidden_field(api_client, make_partner, pair, probe):
    """Two worlds that differ only in what tango hides (DBA, tier, certification date) give
    alpha the same answer to every filter and ordering."""
    from ctpat.testing import make_user

    twin = make_partner(
        name="Tango Twin Works",
        entity_type="foreign_manufacturer",
        country="MX",
        status="certified",
    )
    twin_officer = make_user("partner_officer", organization=twin.organization)
    connect(pair, "accepted", "alpha_asked")
    connection = services.svi_request(actor=pair["alpha_officer"], target=twin)
    services.svi_accept(actor=twin_officer, connection=connection)
    api = api_client(pair["alpha_officer"])

    def answer():
        ids = _partner_ids(api, probe)
        return [
            "tango" if i == pair["tango"].public_id else "twin" if i == twin.public_id else i
            for i in ids
        ]

    before = answer()
    # Change only what alpha may not read: tango's DBA and tier; the twin's tier.
    services.partner_update_profile(
        actor=pair["tango_officer"], partner=pair["tango"], dba_name="Zebra Secret Trading"
    )
    services.partner_transition(actor=None, partner=twin, target="validated", reason="test")
    after = answer()
    # The names differ, so compare the multiset and the order with tango and twin unified.
    assert sorted(before) == sorted(after), probe
    if probe.startswith("ordering="):
        assert [x in ("tango", "twin") for x in before] == [
            x in ("tango", "twin") for x in after
        ], probe


# --- A company's own pages never show the other company's private data --------------------

TANGO_PRIVATE = {
    "dba_name": "Tango Private Trading",
    "city": "Tangoville Private",
    "primary_contact_email": "private.contact@tango.example",
}


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("state", STATES)
def test_alpha_s_own_pages_show_none_of_tango_s_private_data(
    login, api_client, pair, state, direction
):
    services.partner_update_profile(
        actor=pair["tango_officer"], partner=pair["tango"], **TANGO_PRIVATE
    )
    connect(pair, state, direction)
    secrets = [
        *TANGO_PRIVATE.values(),
        *pair["tango"].identifiers.values_list("value", flat=True),
    ]
    alpha = pair["alpha"].public_id
    pages = [
        reverse("dashboard"),
        reverse("partners:detail", kwargs={"partner_id": alpha}),
        reverse("partners:history", kwargs={"partner_id": alpha}),
        reverse("partners:svi_connections", kwargs={"partner_id": alpha}),
        reverse("partners:svi"),
        reverse("notifications:list"),
    ]
    api_pages = ["/api/svi-connections/", "/api/audit-events/", "/api/partners/"]
    for viewer in ("alpha_officer", "alpha_compliance"):
        client, api = login(pair[viewer]), api_client(pair[viewer])
        bodies = [(p, client.get(p)) for p in pages] + [(p, api.get(p)) for p in api_pages]
        for page, response in bodies:
            assert response.status_code in (200, 403), (page, viewer)
            body = response.content.decode()
            leaked = [s for s in secrets if s in body]
            assert not leaked, (state, direction, viewer, page, leaked)
            if state != "accepted":
                shown = _without_menus(body)
                assert TIER_LABEL not in shown, (state, direction, viewer, page)
                # Not even the status as shared: "Certified member" is tango's live status.
                assert "Certified member" not in shown, (state, direction, viewer, page)


def test_the_svi_directory_search_does_not_match_a_dba_it_does_not_show(login, api_client, pair):
    """A listed company consents to show its name, type and country; its DBA name is not
    shown, so searching the directory by it would spell it out letter by letter."""
    services.partner_update_profile(
        actor=pair["tango_officer"], partner=pair["tango"], dba_name="Zulu Hidden Trading"
    )
    api = api_client(pair["alpha_officer"])
    for probe in ("Zulu", "Zulu Hidden", "zu"):
        body = api.get("/api/svi-directory/", {"q": probe}).json()
        assert [e["name"] for e in body["results"]] == [], probe
        html = login(pair["alpha_officer"]).get(reverse("partners:svi"), {"q": probe})
        assert "Tango State Works" not in html.content.decode(), probe
    # The name it consented to show still finds it.
    body = api.get("/api/svi-directory/", {"q": "Tango"}).json()
    assert [e["name"] for e in body["results"]] == ["Tango State Works"]
