"""The annual review's Submit page shows what is really left, and the officer confirms every
unchanged answer at once from the list of what is being confirmed (Playwright + Debian's
Chromium, axe-core on every page)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_confirms_unchanged_answers_at_once_then_submits_the_review(
    live_server, new_page, axe_check, certified_days_ago, make_user, answer_all, scss
):
    from ctpat.profiles import services
    from ctpat.testing import TEST_PASSWORD

    partner = certified_days_ago(335)  # anniversary in 30 days: the review window is open
    officer = make_user(
        "partner_officer", organization=partner.organization, username="review.officer"
    )
    profile = services.profile_start(actor=officer, partner=partner)
    answer_all(profile, officer, {"1.1": None})  # 1.1 (should) stays unanswered
    services.profile_submit(actor=officer, profile=profile)
    services.profile_decide(actor=scss, profile=profile, decision="approve")
    profile.refresh_from_db()
    services.annual_review_start(
        actor=officer,
        profile=profile,
        risks_reviewed="Country and supplier risk reviewed.",
        assessed_on=timezone.localdate(),
        assessed_by_name="Pat Lee, Security Manager",
    )

    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("review.officer")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The Submit page shows the real state before the button: 97 still to do.
    page.goto(f"{live_server.url}/security-profile/{profile.public_id}/submit/")
    expect(page.get_by_role("heading", name="Still to do before you can submit")).to_be_visible()
    expect(page.get_by_test_id("review-progress")).to_contain_text("97 still to do")
    expect(page.get_by_test_id("review-unanswered")).to_contain_text("1.1")
    axe_check(page)

    # The list of what is being confirmed, then one confirmation.
    page.get_by_role("link", name="Review and confirm 96 unchanged answers at once").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm unchanged answers")
    table = page.get_by_test_id("answers-to-confirm")
    expect(table.locator("tbody tr")).to_have_count(96)
    expect(table).to_contain_text("3.9")
    axe_check(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Confirm these 96 answers").click()

    expect(
        page.get_by_text("96 answers confirmed unchanged for this annual review.")
    ).to_be_visible()
    expect(page.get_by_test_id("review-progress")).to_contain_text("1 still to do")
    axe_check(page)

    # Answer the one left in place, then submit.
    page.get_by_test_id("review-unanswered").get_by_role("link", name="1.1").click()
    block = page.locator("#c1-1")
    block.locator("label.usa-radio__label", has_text="Yes – best practice").click()
    block.get_by_role("button", name="Save answer to 1.1").click()
    expect(page.locator("#c1-1").get_by_text("Saved: 1.1.")).to_be_visible()
    page.goto(f"{live_server.url}/security-profile/{profile.public_id}/submit/")
    expect(page.get_by_role("heading", name="Ready to submit")).to_be_visible()
    axe_check(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit to CBP").click()
    expect(page.get_by_text("Submitted. Your SCSS has been told.")).to_be_visible()
    axe_check(page)
    assert page.console_errors == []
