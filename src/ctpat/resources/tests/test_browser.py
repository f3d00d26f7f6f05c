"""What people do with the resources library, in a real browser (Playwright + Debian's Chromium,
axe-core on every page): a broker shares a resource with a client; the client finds it on the
dashboard, searches the library (HTMX) and opens it."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from ctpat.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("CTPAT_SCREENSHOTS", "")


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_a_broker_shares_a_resource_and_the_client_finds_it(
    live_server, new_page, axe_check, make_partner, make_user, cbp_admin
):
    from ctpat.partners import services as partner_services
    from ctpat.resources import services

    broker = make_partner(
        name="Gulf Browser Brokerage",
        entity_type="customs_broker",
        country="US",
        status="certified",
    )
    client = make_partner(
        name="Harbor Browser Imports", entity_type="importer", country="US", status="certified"
    )
    broker_user = make_user("partner_officer", organization=broker.organization, username="b.br")
    client_user = make_user("partner_officer", organization=client.organization, username="c.br")
    link = partner_services.svi_request(actor=broker_user, target=client)
    partner_services.svi_accept(actor=client_user, connection=link)
    services.resource_create(
        actor=cbp_admin,
        title="Forced labor (CBP)",
        kind="link",
        external_url="https://www.cbp.gov/trade/programs-administration/forced-labor",
        audiences=["all_members"],
        topics=["forced_labor"],
        summary="CBP's forced labor page.",
        publish=True,
    )
    services.resource_create(
        actor=cbp_admin,
        title="Carrier seals",
        kind="guidance",
        audiences=["sea_carrier"],
        publish=True,
    )
    base = live_server.url

    # Given the broker's officer opens the library and a resource
    page = new_page()
    _log_in(page, base, "b.br")
    page.get_by_role("link", name="Resources").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resources")
    axe_check(page)
    page.get_by_role("link", name="Forced labor (CBP)").click()
    expect(page.get_by_role("link", name="Share with clients")).to_be_visible()
    axe_check(page)
    # When the officer shares it with the client, with a note
    page.get_by_role("link", name="Share with clients").click()
    page.locator("label", has_text="Harbor Browser Imports").click()  # USWDS styles the box
    page.get_by_label("Note to your clients").fill("Please read before the audit.")
    axe_check(page)
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text(re.compile("Shared with Harbor Browser Imports"))).to_be_visible()
    axe_check(page)

    # Then the client's officer sees it on the dashboard and on the resource page
    page = new_page()
    _log_in(page, base, "c.br")
    expect(page.get_by_role("heading", name="Resources shared with you")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="All resources shared with you").click()
    results = page.locator("#resource-results")
    expect(results).to_contain_text("Forced labor (CBP)")
    expect(results).to_contain_text("Gulf Browser Brokerage")
    # and searching updates the results in place
    page.get_by_role("link", name="Show all resources").click()
    expect(results).to_contain_text("Carrier seals")
    page.get_by_label("Search", exact=True).fill("seals")
    expect(results).not_to_contain_text("Forced labor (CBP)")
    expect(results).to_contain_text("Carrier seals")
    axe_check(page)
    _shot(page, "resources-list")
    page.get_by_label("Search", exact=True).fill("forced")
    results.get_by_role("link", name="Forced labor (CBP)").click()
    expect(page.get_by_text("Shared with you by Gulf Browser Brokerage")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Open the page"))).to_have_attribute(
        "href", "https://www.cbp.gov/trade/programs-administration/forced-labor"
    )
    axe_check(page)
    _shot(page, "resources-detail")
    assert SCREENSHOTS or page.console_errors == []
