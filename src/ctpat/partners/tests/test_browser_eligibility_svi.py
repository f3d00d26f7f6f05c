"""In a real browser: connecting to an unlisted member by account number, and CBP inviting a
company from outside its type's countries then registering it. axe checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ctpat.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url, username, axe_check):
    page.goto(f"{base_url}/accounts/login/")
    axe_check(page)
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_officer_connects_to_an_unlisted_member_by_account_number(
    live_server, new_page, axe_check, make_partner, make_user
):
    from ctpat.partners.models import SVIConnection

    acme = make_partner(
        name="Acme Number Imports", entity_type="importer", country="US", status="certified"
    )
    quiet = make_partner(
        name="Quiet Border Carriers",
        entity_type="highway_carrier_us_mexico",
        country="MX",
        status="certified",
        directory_listed=False,
    )
    make_user("partner_officer", organization=acme.organization, username="acme.number")
    make_user("partner_officer", organization=quiet.organization, username="quiet.officer")
    base = live_server.url

    # Given Acme's officer searches the directory for a member that is not listed
    page = new_page()
    _log_in(page, base, "acme.number", axe_check)
    page.goto(f"{base}/partners/svi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Status verification")
    page.get_by_label("Company name or account number").fill("Quiet Border")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#svi-search-results")
    expect(results).to_contain_text("No company listed in the directory matches")
    expect(results).to_contain_text("members may choose not to be listed")
    axe_check(page)

    # When a wrong number is entered, the answer is neutral and the typed message is kept
    page.get_by_role("textbox", name=re.compile("^Account number")).fill("CT-0000000000")
    page.get_by_label("Message (optional)").last.fill("We ship with you weekly.")
    page.get_by_role("button", name="Send the request by number").click()
    expect(page.locator("main")).to_contain_text(
        "No connection request could be sent for account number CT-0000000000"
    )
    expect(page.get_by_label("Message (optional)").last).to_have_value("We ship with you weekly.")
    axe_check(page)

    # And the exact number the carrier gave is entered
    page.get_by_role("textbox", name=re.compile("^Account number")).fill(quiet.public_id.lower())
    page.get_by_role("button", name="Send the request by number").click()
    expect(page.locator("main")).to_contain_text(
        f"Request sent to the company with account number {quiet.public_id}"
    )
    expect(page.locator("main")).not_to_contain_text("Quiet Border Carriers")
    axe_check(page)
    connection = SVIConnection.objects.get(requester=acme, target=quiet)
    assert connection.status == "pending" and connection.message == "We ship with you weekly."

    # Then the carrier's officer accepts it on the dashboard
    other = new_page()
    _log_in(other, base, "quiet.officer", axe_check)
    incoming = other.locator("#svi-incoming")
    expect(incoming).to_contain_text("Acme Number Imports")
    incoming.get_by_role("button", name=re.compile("^Accept")).click()
    expect(other.locator("#svi-incoming")).to_contain_text("No requests are waiting")
    axe_check(other)

    # And Acme now sees the carrier's name and status
    page.goto(f"{base}/partners/svi/")
    connected = page.get_by_role("table", name=re.compile("verify"))
    expect(connected).to_contain_text("Quiet Border Carriers")
    expect(connected).to_contain_text("Certified member")
    axe_check(page)


def test_cbp_invites_a_manufacturer_and_registers_it(
    live_server, new_page, axe_check, cbp_org, make_user
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import totp_device_create_confirmed
    from ctpat.partners.models import CountryInvitation, Partner

    admin = make_user("cbp_admin", organization=cbp_org, username="inv.admin")
    totp_device_create_confirmed(actor=None, user=admin)
    device = TOTPDevice.objects.get(user=admin)
    base = live_server.url

    page = new_page()
    _log_in(page, base, admin.username, axe_check)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")

    # Registering a Thai manufacturer without an invitation is refused with the rule
    page.goto(f"{base}/partners/new/")
    page.get_by_label("Company legal name").fill("Siam Precision Parts Co.")
    page.get_by_label("Business entity type").select_option("foreign_manufacturer")
    expect(page.locator("#identifier-fields")).to_contain_text("Who can join as this type")
    expect(page.get_by_role("link", name="Foreign Manufacturers")).to_be_visible()
    page.locator("#id_country").select_option("TH")
    page.get_by_label("Manufacturer ID (MID)").fill("THSIAPRE12BAN")
    axe_check(page)
    page.get_by_role("button", name="Register partner").click()
    expect(page.locator("main")).to_contain_text("only by invitation from CBP")
    expect(page.get_by_label("Company legal name")).to_have_value("Siam Precision Parts Co.")
    assert not Partner.objects.filter(country="TH").exists()
    axe_check(page)

    # CBP records the invitation
    page.goto(f"{base}/partners/invitations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("CBP invitations")
    axe_check(page)
    page.get_by_label("Company name").fill("Siam Precision Parts Co.")
    page.get_by_label("Business entity type").select_option("foreign_manufacturer")
    page.get_by_label("Country").select_option("TH")
    page.get_by_label("Reason for the invitation").fill("Sole source of a safety part.")
    page.get_by_role("button", name="Record the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Invitation for Siam Precision Parts Co."
    )
    axe_check(page)

    # Then the registration goes through and uses the invitation
    page.goto(f"{base}/partners/new/")
    page.get_by_label("Company legal name").fill("Siam Precision Parts Co.")
    page.get_by_label("Business entity type").select_option("foreign_manufacturer")
    expect(page.locator("#identifier-fields")).to_contain_text("Who can join as this type")
    page.locator("#id_country").select_option("TH")
    page.get_by_label("Manufacturer ID (MID)").fill("THSIAPRE12BAN")
    page.get_by_role("button", name="Register partner").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siam Precision Parts Co.")
    axe_check(page)
    assert CountryInvitation.objects.get().partner.name == "Siam Precision Parts Co."
