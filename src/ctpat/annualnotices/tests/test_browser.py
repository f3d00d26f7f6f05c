"""What people do with Annual Notification Letters, in a real browser (Playwright + Debian's
Chromium, axe-core on every page): a Trade Compliance member whose letter is coming due gets the
reminder, reads it in ctpat, fills in and files the letter; a National Account Manager sees it
filed on time."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ctpat.testing import TEST_PASSWORD

from .factories import accepted_for_due_in, first_due_in, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_member_is_reminded_files_the_letter_and_the_nam_sees_it_on_time(
    live_server, new_page, axe_check, cbp_org, make_user
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import totp_device_create_confirmed
    from ctpat.annualnotices import services

    today = timezone.localdate()
    membership, officer = make_member(
        accepted_on=accepted_for_due_in(30, today), name="Browser Imports Inc."
    )
    # 30 days on most days, 27-29 on the few a first letter can never fall due on (31 May ...).
    due_in = first_due_in(membership.accepted_on, today)
    assert services.anl_reminders_send(today=today).reminders == 1
    nam = make_user("nam", organization=cbp_org, username="anl.nam")
    totp_device_create_confirmed(actor=None, user=nam)
    device = TOTPDevice.objects.get(user=nam)

    page = new_page()
    _log_in(page, live_server.url, officer.username)
    # The dashboard shows the letter coming due.
    expect(page.get_by_text("Next letter due")).to_be_visible()
    axe_check(page)
    # The reminder is in the in-app notifications.
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_text(re.compile(r"Annual Notification Letter due")).first).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Annual notification", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual Notification Letter")
    expect(page.get_by_role("heading", name=re.compile("Next letter due"))).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"in {due_in} days")
    axe_check(page)

    page.get_by_role("link", name=re.compile(r"(Start|Continue) the letter")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annual Notification Letter due")
    axe_check(page)
    # Filing an incomplete letter shows what is missing.
    page.get_by_role("button", name="Sign and file the letter").click()
    expect(page.locator(".usa-alert--error").first).to_contain_text("must certify")
    axe_check(page)
    # That page came back as 400 (a refused form), which Chromium logs as a console error.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()

    page.locator("label[for=id_certifies_compliance]").click()
    page.get_by_label("Compliance contact: name").fill("Casey Compliance")
    page.get_by_label("Compliance contact: e-mail").fill("casey@example.test")
    page.get_by_label("Company officer: name").fill("Olive Officer")
    page.get_by_label("Company officer: e-mail").fill("olive@example.test")
    page.locator("select[name=changes-0-change_type]").select_option("key_personnel")
    page.locator("textarea[name=changes-0-description]").fill("New Chief Financial Officer")
    page.locator("input[name=changes-0-effective_on]").fill("2026-01-15")
    page.get_by_label("Signature: type your full name").fill("Olive Officer")
    page.get_by_role("button", name="Sign and file the letter").click()
    expect(page.get_by_text("The letter is filed. Thank you.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("New Chief Financial Officer")
    expect(page.locator("main")).to_contain_text("Filed on time")
    axe_check(page)
    assert page.console_errors == []

    nam_page = new_page()
    _log_in(nam_page, live_server.url, nam.username)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    nam_page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
    nam_page.get_by_role("button", name="Verify").click()
    expect(nam_page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")
    nam_page.goto(f"{live_server.url}/annual-notifications/")
    expect(nam_page.get_by_role("heading", level=1)).to_have_text("Annual Notification Letters")
    axe_check(nam_page)
    # The filter swaps the table in place (HTMX).
    nam_page.get_by_label("Status").select_option("filed_on_time")
    row = nam_page.locator("#anl-overview tbody tr", has_text="Browser Imports Inc.")
    expect(row).to_contain_text("Filed on time")
    expect(nam_page).to_have_url(re.compile(r"status=filed_on_time"))
    axe_check(nam_page)
    row.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}")).click()
    expect(nam_page.get_by_role("heading", level=1)).to_contain_text("Annual Notification Letter")
    expect(nam_page.get_by_role("button", name="Acknowledge")).to_be_visible()
    axe_check(nam_page)
    nam_page.get_by_role("button", name="Acknowledge").click()
    expect(nam_page.get_by_text("The letter is acknowledged.")).to_be_visible()
    axe_check(nam_page)
    assert nam_page.console_errors == []
    assert membership.annual_letters.get().status == "acknowledged"
