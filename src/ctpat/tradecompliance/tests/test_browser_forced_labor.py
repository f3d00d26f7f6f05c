"""The forced-labor obligation of an existing member in a real browser (axe on every page): the
officer sends the statement with the code of conduct and the evidence in one form; a National
Account Manager finds it on the ANL overview's forced-labor filter and marks it met."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from ctpat.annualnotices.tests.factories import make_member

from .factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, username):
    from ctpat.testing import TEST_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_officer_submits_and_the_nam_marks_the_requirements_met(
    live_server, new_page, axe_check, cbp_org, make_user
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import totp_device_create_confirmed
    from ctpat.tradecompliance.models import ForcedLaborObligation

    membership, officer = make_member(accepted_on=dt.date(2018, 6, 1), name="Pilot Era Imports")
    obligation = ForcedLaborObligation.objects.get(membership=membership)
    nam = make_user("nam", organization=cbp_org, username="fl.nam")
    totp_device_create_confirmed(actor=None, user=nam)
    device = TOTPDevice.objects.get(user=nam)
    base = live_server.url

    page = new_page()
    _log_in(page, base, officer.username)
    # The dashboard says the requirements are overdue and links to them.
    expect(page.locator("[data-forced-labor-status='overdue']").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Open the forced-labor requirements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forced-labor requirements")
    axe_check(page)
    page.get_by_label("How the company meets the forced-labor requirements").fill(
        "We map our supply chain each year and audit high-risk suppliers unannounced."
    )
    for code, name in (("fl-code", "code.pdf"), ("fl-evidence", "audits.pdf")):
        page.locator(f"#{code}-file").set_input_files(
            {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}
        )
    page.get_by_role("button", name="Send to CBP").click()
    expect(page.get_by_text("The forced-labor evidence is sent to CBP.")).to_be_visible()
    expect(page.get_by_role("link", name="audits.pdf")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Submitted, awaiting CBP")
    axe_check(page)

    nam_page = new_page()
    _log_in(nam_page, base, nam.username)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    nam_page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
    nam_page.get_by_role("button", name="Verify").click()
    expect(nam_page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")
    nam_page.goto(f"{base}/annual-notifications/")
    nam_page.get_by_label("Forced-labor obligation").select_option("overdue")
    row = nam_page.locator("#anl-overview tbody tr", has_text="Pilot Era Imports")
    expect(row).to_contain_text("Overdue")
    expect(nam_page).to_have_url(re.compile(r"forced_labor=overdue"))
    axe_check(nam_page)
    row.get_by_role("link", name=re.compile("Forced-labor obligation")).click()
    expect(nam_page.get_by_role("heading", level=1)).to_have_text("Forced-labor requirements")
    axe_check(nam_page)
    nam_page.get_by_text("The requirements are met", exact=True).click()
    nam_page.once("dialog", lambda d: d.accept())
    nam_page.get_by_role("button", name="Record the decision").click()
    expect(nam_page.get_by_text("The requirements are recorded as met.")).to_be_visible()
    expect(nam_page.locator("[data-forced-labor-status='met']")).to_be_visible()
    axe_check(nam_page)
    obligation.refresh_from_db()
    assert obligation.state == "met"
    assert page.console_errors == [] and nam_page.console_errors == []
