"""A CBP program admin finds a partner user and deactivates them, in a real browser, with
axe-core checking every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_svi_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cbp_admin_deactivates_a_partner_user(
    live_server, new_page, axe_check, cbp_admin, importer_officer
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import api_token_create, totp_device_create_confirmed

    api_token_create(actor=importer_officer, name="erp-integration")
    totp_device_create_confirmed(actor=None, user=cbp_admin)
    device = TOTPDevice.objects.get(user=cbp_admin)
    page = new_page()
    log_in(page, live_server.url, cbp_admin.username, axe_check)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")

    page.get_by_role("link", name="Users").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    axe_check(page)
    page.get_by_label(re.compile("organization", re.I)).fill(importer_officer.username)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=importer_officer.username).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(importer_officer.username)
    expect(page.get_by_role("table")).to_contain_text("erp-integration")
    axe_check(page)

    page.get_by_role("button", name="Deactivate").click()  # no reason: refused, said why
    expect(page.locator(".usa-error-message, .usa-alert--error").first).to_be_visible()
    axe_check(page)
    page.locator("#id_active-reason").fill("Left the company.")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("is deactivated")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Revoked")
    axe_check(page)
    # The refused form is a 400 page by design; nothing else may fail.
    unexpected = [e for e in page.console_errors if "status of 400" not in e]
    assert not unexpected, unexpected
