"""What a company officer does with the security profile, in a real browser (Playwright +
Debian's Chromium, axe-core on every page): start it, answer a criterion in place (HTMX), see
the gaps, upload evidence and find it marked "not scanned"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_answers_in_place_and_uploads_evidence(
    live_server, new_page, axe_check, make_partner, make_user, tmp_path
):
    from ctpat.testing import TEST_PASSWORD

    partner = make_partner(
        name="Browser Imports", entity_type="importer", country="US", status="certified"
    )
    make_user("partner_officer", organization=partner.organization, username="sp.officer")
    evidence = tmp_path / "social-compliance.txt"
    evidence.write_text("Our social compliance program.\n")

    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sp.officer")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/security-profile/")
    axe_check(page)
    page.get_by_role("button", name="Start the security profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Security profile: Browser Imports")
    expect(page.get_by_test_id("must-gap-count")).to_contain_text("Must-gaps:")
    axe_check(page)

    page.get_by_role("link", name="3. Business Partners").click()
    block = page.locator("#c3-9")
    block.locator("label.usa-radio__label", has_text="Yes – best practice").click()
    block.get_by_label("How your company meets this (narrative)").fill("Audits of suppliers.")
    url_before = page.url
    block.get_by_role("button", name="Save answer to 3.9").click()
    expect(page.locator("#c3-9").get_by_text("Saved: 3.9.")).to_be_visible()
    expect(page.locator("#c3-9")).to_contain_text("Current answer: Yes – best practice")
    assert page.url == url_before  # saved in place, no page load
    axe_check(page)

    page.get_by_role("link", name="Evidence").first.click()
    page.locator("input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="social-compliance.txt")).to_be_visible()
    expect(page.get_by_text("Not scanned", exact=True)).to_be_visible()
    axe_check(page)
    assert page.console_errors == []
