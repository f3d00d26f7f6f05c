"""What people do, in a real browser: Playwright drives Debian's Chromium against a live
server on 127.0.0.1, and axe-core checks every page visited for serious or critical
accessibility violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ctpat.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username, axe_check, password=TEST_PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log in")
    axe_check(page)
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def two_partners(make_partner, make_user):
    acme = make_partner(
        name="Acme Imports Inc.", entity_type="importer", country="US", status="certified"
    )
    widget = make_partner(
        name="Shanghai Widget Factory",
        entity_type="foreign_manufacturer",
        country="CN",
        invited=True,  # outside Mexico and Canada a foreign manufacturer joins by invitation
        status="validated",
    )
    acme_officer = make_user(
        "partner_officer", organization=acme.organization, username="acme.officer"
    )
    widget_officer = make_user(
        "partner_officer", organization=widget.organization, username="widget.officer"
    )
    from ctpat.partners.services import partner_update_svi_settings

    # Acme shares its tier and contact with connections; the factory shares its status only.
    partner_update_svi_settings(
        actor=acme_officer, partner=acme, auto_accept=False, share_more=True
    )
    # The factory consents to be listed in the SVI directory so Acme can find it.
    partner_update_svi_settings(
        actor=widget_officer,
        partner=widget,
        auto_accept=False,
        share_more=False,
        directory_listed=True,
    )
    return acme, widget, acme_officer, widget_officer


def test_partner_officers_connect_by_svi_and_each_sees_the_others_status(
    live_server, new_page, axe_check, two_partners
):
    from ctpat.partners.models import SVIConnection

    acme, widget, _, _ = two_partners
    base = live_server.url

    # Given Acme's officer logs in and opens the dashboard
    acme_page = new_page()
    log_in(acme_page, base, "acme.officer", axe_check)
    expect(acme_page.get_by_role("heading", level=1)).to_have_text("Acme Imports Inc.")
    expect(acme_page.get_by_text("Certified (Tier I)").first).to_be_visible()
    axe_check(acme_page)

    # When the officer asks Shanghai Widget Factory to connect
    acme_page.get_by_role("link", name="Status verification").first.click()
    expect(acme_page.get_by_role("heading", level=1)).to_have_text("Status verification")
    axe_check(acme_page)
    acme_page.get_by_label("Company name or account number").fill("Shanghai")
    acme_page.get_by_role("button", name="Search").click()
    ask = acme_page.get_by_role("button", name=re.compile("Ask to connect"))
    expect(ask).to_be_visible()
    axe_check(acme_page)
    ask.click()
    expect(
        acme_page.get_by_role("heading", name=re.compile("Your requests waiting"))
    ).to_contain_text("(1)")
    axe_check(acme_page)
    assert SVIConnection.objects.get(requester=acme, target=widget).status == "pending"

    # Then the factory's officer sees the request on the dashboard and accepts it
    widget_page = new_page()
    log_in(widget_page, base, "widget.officer", axe_check)
    incoming = widget_page.locator("#svi-incoming")
    expect(incoming).to_contain_text("Acme Imports Inc.")
    axe_check(widget_page)
    incoming.get_by_role("button", name=re.compile("^Accept")).click()
    expect(widget_page.locator("#svi-incoming")).to_contain_text("No requests are waiting")
    axe_check(widget_page)
    assert SVIConnection.objects.get(requester=acme, target=widget).status == "accepted"

    # And each now sees the other's current status
    widget_page.get_by_role("link", name="Status verification").first.click()
    connected = widget_page.get_by_role("table", name=re.compile("verify"))
    expect(connected).to_contain_text("Acme Imports Inc.")
    expect(connected).to_contain_text("Certified (Tier I)")
    expect(connected).to_contain_text("Tier 1")
    axe_check(widget_page)

    acme_page.reload()
    connected = acme_page.get_by_role("table", name=re.compile("verify"))
    expect(connected).to_contain_text("Shanghai Widget Factory")
    # The factory shares its status but not its tier ("share more" is off).
    expect(connected).to_contain_text("Certified member")
    expect(connected).not_to_contain_text("Tier II")
    axe_check(acme_page)

    # The connected partner's page shows the status view only, not its private tabs
    connected.get_by_role("link", name="Shanghai Widget Factory").click()
    expect(acme_page.get_by_role("heading", level=1)).to_contain_text("Shanghai Widget Factory")
    expect(acme_page.get_by_text("Certified member").first).to_be_visible()
    expect(acme_page.locator("main")).not_to_contain_text("Tier II")
    expect(acme_page.get_by_role("link", name="Identifiers")).to_have_count(0)
    axe_check(acme_page)

    for page in (acme_page, widget_page):
        assert not page.console_errors, page.console_errors
    assert len(axe_check.visited) >= 10


def test_cbp_admin_passes_two_factor_and_reads_the_audit_log(
    live_server, new_page, axe_check, cbp_admin, importer
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import totp_device_create_confirmed

    totp_device_create_confirmed(actor=None, user=cbp_admin)
    device = TOTPDevice.objects.get(user=cbp_admin)
    page = new_page()
    log_in(page, live_server.url, cbp_admin.username, axe_check)

    # A CBP role cannot go past log-in without its second factor
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    axe_check(page)
    page.goto(f"{live_server.url}/partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label(re.compile("code", re.I)).fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".usa-error-message, .usa-alert--error").first).to_be_visible()
    axe_check(page)
    # django-otp slows down guessing: after one wrong code the device waits a second.
    page.wait_for_timeout(1500)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")
    axe_check(page)

    page.goto(f"{live_server.url}/partners/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Partners")
    expect(page.get_by_role("link", name=importer.name)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=importer.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(importer.name)
    axe_check(page)

    page.get_by_role("link", name="Audit log").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit log")
    log = page.get_by_role("table").first
    expect(log).to_contain_text("partner.register")
    expect(log).to_contain_text(importer.name)
    axe_check(page)
    assert not page.console_errors, page.console_errors


def test_the_accessibility_check_itself_catches_a_violation(new_page):
    """Guard against a harness that cannot fail: axe must flag an unlabeled form field."""
    from tests.browser.fixtures import run_axe

    page = new_page()
    page.set_content(
        '<html lang="en"><body><main><h1>x</h1><input type="text"></main></body></html>'
    )
    assert any(v["id"] == "label" for v in run_axe(page))
