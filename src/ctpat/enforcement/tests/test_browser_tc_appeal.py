"""A denied Trade Compliance application appealed in a real browser (Playwright + Debian's
Chromium, axe-core on every page): the officer follows "Appeal this decision" from the denied
application, files with a document; a CBP program admin reverses the denial and the company
becomes a Trade Compliance member with an account number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .tc_factories import tc_denied_application
from .test_browser import _cbp, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_set(db):
    """The shipped question set (a transactional test before this one may have emptied it)."""
    from ctpat.tradecompliance import questionset, selectors, services

    if selectors.questionnaire_current() is None:
        services.questionnaire_version_publish(actor=None, question_set=questionset.read())


def test_the_officer_appeals_a_denial_and_cbp_reverses_it(
    live_server, new_page, axe_check, cbp_org, make_user, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    partner, officer, _, application = tc_denied_application(
        name="Denied Trade Imports", reason="No evidence of self-testing."
    )
    admin, device = _cbp(make_user, cbp_org, "cbp_admin", "tc.appeal.admin")

    member = new_page()
    _log_in(member, live_server.url, officer)
    member.goto(f"{live_server.url}/trade-compliance/applications/{application.public_id}/")
    expect(member.locator("main")).to_contain_text("No evidence of self-testing.")
    axe_check(member)
    member.get_by_role("link", name="Appeal this decision").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("File an appeal")
    expect(member.locator("main")).to_contain_text(
        f"Denial of the Trade Compliance application {application.public_id}"
    )
    expect(member.locator("main")).to_contain_text("6 U.S.C. 967(c)(1)")
    axe_check(member)
    member.get_by_label("The grounds of the appeal").fill(
        "Our 2026 self-testing report was attached to round 1."
    )
    report = tmp_path / "self-testing.txt"
    report.write_text("Self-testing report 2026.")
    member.locator("input[name=documents]").set_input_files(str(report))
    member.get_by_role("button", name="File the appeal").click()
    expect(member.get_by_text(re.compile(r"Your appeal APL-\S+ is filed\."))).to_be_visible()
    expect(member.locator("main")).to_contain_text("180 days left")
    axe_check(member)
    appeal_url = member.url

    cbp = new_page()
    _log_in(cbp, live_server.url, admin, device)
    expect(cbp.locator("main")).to_contain_text("Denied Trade Imports")
    axe_check(cbp)
    cbp.goto(appeal_url)
    expect(cbp.locator("main")).to_contain_text("self-testing.txt")
    expect(cbp.locator("main")).to_contain_text("the application is approved")
    axe_check(cbp)
    cbp.locator("label[for=id_outcome_1]").click()
    cbp.get_by_label("The reason for the decision").fill("The report was on file.")
    cbp.once("dialog", lambda d: d.accept())
    cbp.get_by_role("button", name="Record the decision").click()
    expect(cbp.get_by_text(re.compile(r"decided: Reversed"))).to_be_visible()
    expect(cbp.locator("main")).to_contain_text("status now Approved")
    axe_check(cbp)

    member.goto(f"{live_server.url}/trade-compliance/applications/{application.public_id}/")
    expect(member.locator("main")).to_contain_text("Approved: Trade Compliance account number")
    axe_check(member)
