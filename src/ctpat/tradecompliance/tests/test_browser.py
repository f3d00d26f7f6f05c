"""What people do with Trade Compliance, in a real browser (Playwright + Debian's Chromium, axe-core
on every page): a visitor reads the questions without an account; a company officer checks the
company's readiness and fixes what is missing."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("CTPAT_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def question_set(db):
    """The shipped question set. The data migration loads it, but a transactional test before
    this one may have emptied the tables."""
    from ctpat.tradecompliance import questionset, selectors, services

    if selectors.questionnaire_current() is None:
        services.questionnaire_version_publish(actor=None, question_set=questionset.read())


def _shot(page, name: str, screens: int = 1) -> None:
    """With CTPAT_SCREENSHOTS=<folder>: screenshots of the page, one screen each, to look at.
    Playwright styles the page to take them, which the CSP reports as console errors."""
    if not SCREENSHOTS:
        return
    height = page.evaluate("document.documentElement.scrollHeight")
    for i in range(min(screens, -(-height // 900))):
        clip = {"x": 0, "y": i * 900, "width": 1280, "height": 900}
        page.screenshot(
            path=os.path.join(SCREENSHOTS, f"{name}-{i}.png"), full_page=True, clip=clip
        )


def test_a_visitor_reads_every_question_without_an_account(live_server, in_browser, axe_check):
    def steps(page):
        page.goto(f"{live_server.url}/trade-compliance/questions/")

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "CTPAT Trade Compliance application questions"
        )
        expect(page.locator(".tc-question")).to_have_count(35)
        expect(page.get_by_role("heading", name="4. Memorandum of Understanding")).to_be_visible()
        # The print button is shown by the app's script (no inline scripts under the CSP).
        expect(page.get_by_role("button", name="Print")).to_be_visible()
        axe_check(page)
        _shot(page, "tc-preview", screens=3)
        page.emulate_media(media="print")
        expect(page.locator(".usa-header")).to_be_hidden()
        expect(page.locator(".tc-print-footer")).to_be_visible()
        assert SCREENSHOTS or page.console_errors == []

    in_browser(steps)


def test_an_officer_checks_readiness_and_fixes_what_is_missing(
    live_server, in_browser, axe_check, make_partner, make_user
):
    from ctpat.testing import TEST_PASSWORD

    partner = make_partner(
        name="Readiness Imports", entity_type="importer", country="US", status="validated"
    )
    make_user("partner_officer", organization=partner.organization, username="tc.officer")
    first_import = (dt.date.today() - dt.timedelta(days=6 * 365)).isoformat()

    def steps(page):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("tc.officer")
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Log in").click()

        page.goto(f"{live_server.url}/trade-compliance/readiness/")
        expect(page.get_by_role("heading", name="Not ready to apply yet")).to_be_visible()
        axe_check(page)
        _shot(page, "tc-readiness-missing", screens=4)

        page.get_by_label("Date of the company's first import").fill(first_import)
        # USWDS draws its own radio buttons: people click the label.
        page.get_by_text("No: the company has no unpaid final debt to CBP").click()
        page.get_by_role("button", name="Save the company's facts").click()
        expect(page.get_by_text("The company's facts are saved.")).to_be_visible()

        for row in page.locator("#tc-questions-heading ~ form .usa-fieldset").all():
            row.locator("label.usa-radio__label", has_text=re.compile(r"^Yes$")).click()
        page.get_by_role("button", name="Save answers").click()
        expect(page.get_by_text("Your answers are saved.")).to_be_visible()
        expect(page.get_by_role("heading", name="Ready to apply")).to_be_visible()
        axe_check(page)
        _shot(page, "tc-readiness-ready", screens=2)
        assert SCREENSHOTS or page.console_errors == []

    in_browser(steps)
