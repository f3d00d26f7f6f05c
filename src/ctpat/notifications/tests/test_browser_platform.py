"""In a real browser: the header's notifications bell, a refused oversized upload and the API
documentation, with axe-core on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ctpat.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def test_the_bell_counts_down_as_notifications_are_read(
    live_server, new_page, axe_check, importer, make_user
):
    from ctpat.notifications.services import notification_send

    officer = make_user(
        "partner_officer", organization=importer.organization, username="bell.officer"
    )
    for i in range(2):
        notification_send(
            actor=None,
            recipients=[officer],
            kind="svi.request",
            title=f"Connection request {i}",
            link="/partners/svi/",
            dedupe_key=f"bell-browser-{i}",
        )
    page = new_page()
    log_in(page, live_server.url, "bell.officer")
    bell = page.get_by_role("link", name="Notifications, 2 unread")
    expect(bell).to_be_visible()
    axe_check(page)

    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    axe_check(page)
    # Marking one read (an htmx request) updates the header without a reload.
    page.get_by_role("button", name=re.compile(r"^Mark read")).first.click()
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    axe_check(page)
    assert not page.console_errors, page.console_errors


def test_an_oversized_upload_gets_a_styled_page_with_a_way_back(
    live_server, new_page, axe_check, importer, make_user, settings, tmp_path
):
    settings.CTPAT_MAX_REQUEST_BYTES = 64 * 1024
    make_user("partner_officer", organization=importer.organization, username="big.officer")
    page = new_page()
    log_in(page, live_server.url, "big.officer")
    edit = f"{live_server.url}/partners/{importer.public_id}/edit/"
    page.goto(edit)
    axe_check(page)
    # Paste far more text than a form may carry, then save.
    page.locator("textarea, input[type=text]").first.evaluate(
        "(el) => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(200000); }"
    )
    page.get_by_role("button", name=re.compile("Save", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent is too large")
    expect(page.get_by_role("alert")).to_contain_text("this page accepts at most 64 KiB")
    axe_check(page)
    page.get_by_role("link", name="Go back to the previous page").click()
    expect(page).to_have_url(edit)


def test_a_refused_htmx_request_shows_its_refusal_page(
    live_server, new_page, axe_check, importer, make_user, settings
):
    from ctpat.notifications.services import notification_send

    officer = make_user(
        "partner_officer", organization=importer.organization, username="htmx.officer"
    )
    notification_send(
        actor=None, recipients=[officer], kind="svi.request", title="Read me", link="/partners/"
    )
    page = new_page()
    log_in(page, live_server.url, "htmx.officer")
    page.goto(f"{live_server.url}/notifications/")
    settings.CTPAT_MAX_REQUEST_BYTES = 8  # any form post is now too large
    page.get_by_role("button", name=re.compile(r"^Mark read")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you sent is too large")
    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    axe_check(page)


def test_the_api_documentation_passes_axe_and_runs_under_the_csp(live_server, new_page, axe_check):
    page = new_page()
    page.goto(f"{live_server.url}/api/docs/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()
    expect(page.get_by_text("ctpat API").first).to_be_visible()
    axe_check(page)
    # Try the API root from the page: open it, "Try it out", "Execute", read the answer.
    root = page.locator("[id^=operations-][id$=root_retrieve]")
    root.locator(".opblock-summary-control").click()
    root.get_by_role("button", name="Try it out").click()
    root.get_by_role("button", name="Execute").click()
    expect(root.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    expect(root.locator(".live-responses-table")).to_contain_text("/api/partners/")
    axe_check(page)
    assert not page.console_errors, page.console_errors  # CSP refusals would show here
