"""What people do with suspensions and appeals, in a real browser (Playwright + Debian's
Chromium, axe-core on every page): (a) CBP suspends with required actions, the member answers
with evidence, CBP reinstates; (b) the member appeals with a document inside the window, a CBP
program admin decides it as modified and the membership status follows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ctpat.testing import TEST_PASSWORD

from .factories import suspended_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base_url, user, device=None):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        from django_otp.oath import totp

        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")


def _cbp(make_user, cbp_org, role, username):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import totp_device_create_confirmed

    user = make_user(role, organization=cbp_org, username=username)
    totp_device_create_confirmed(actor=None, user=user)
    return user, TOTPDevice.objects.get(user=user)


def test_cbp_suspends_the_member_answers_with_evidence_and_cbp_reinstates(
    live_server, new_page, axe_check, cbp_org, make_user, make_partner, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    partner = make_partner(
        name="Browser Seal Imports", entity_type="importer", country="US", status="validated"
    )
    officer = make_user("partner_officer", organization=partner.organization)
    scss, device = _cbp(make_user, cbp_org, "scss", "enf.scss")

    cbp = new_page()
    _log_in(cbp, live_server.url, scss, device)
    cbp.goto(f"{live_server.url}/partners/{partner.public_id}/status/")
    axe_check(cbp)
    cbp.get_by_role("link", name="Suspend with a letter and required actions").click()
    expect(cbp.get_by_role("heading", level=1)).to_have_text("Suspend Browser Seal Imports")
    axe_check(cbp)
    cbp.get_by_label("The suspension letter (reasons and findings)").fill(
        "The validation found container seals that were not verified."
    )
    cbp.locator("label[for=id_required_actions_0]").click()
    cbp.locator("label[for=id_required_actions_1]").click()
    cbp.once("dialog", lambda d: d.accept())
    cbp.get_by_role("button", name="Suspend the membership").click()
    expect(cbp.get_by_role("heading", level=1)).to_have_text("Suspension of Browser Seal Imports")
    expect(cbp.locator("main")).to_contain_text("Consent to unannounced visits by CBP")
    axe_check(cbp)

    member = new_page()
    _log_in(member, live_server.url, officer)
    expect(member.locator("main")).to_contain_text("Your membership is suspended")
    axe_check(member)
    member.get_by_role("link", name="Read the letter").click()
    expect(member.locator("main")).to_contain_text("container seals that were not verified")
    expect(member.locator("main")).to_contain_text("90 days left")
    axe_check(member)
    member.get_by_role("link", name="Answer the suspension").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Answer the suspension")
    axe_check(member)
    member.get_by_label(re.compile("corrective-action plan")).fill(
        "Seal verification plan: objectives and dates attached."
    )
    member.get_by_label(re.compile("unannounced visits")).fill("We consent to unannounced visits.")
    evidence = tmp_path / "seal-plan.txt"
    evidence.write_text("Seal verification plan, steps 1-5.")
    member.locator("input[name=documents]").set_input_files(str(evidence))
    member.get_by_role("button", name="Send the answer to CBP").click()
    expect(member.get_by_text("Your answer is sent to CBP.")).to_be_visible()
    expect(member.locator("main")).to_contain_text("seal-plan.txt")
    axe_check(member)

    cbp.reload()
    expect(cbp.locator("main")).to_contain_text("We consent to unannounced visits.")
    axe_check(cbp)
    cbp.locator("label[for=id_decision_0]").click()
    cbp.get_by_label("The reason for the decision").fill("The plan addresses every finding.")
    cbp.once("dialog", lambda d: d.accept())
    cbp.get_by_role("button", name="Record the decision").click()
    expect(cbp.get_by_text("Browser Seal Imports is now validated (Tier II).")).to_be_visible()
    expect(cbp.locator("main")).to_contain_text("Reinstated")
    axe_check(cbp)
    partner.refresh_from_db()
    assert partner.status == "validated"
    assert cbp.console_errors == [] and member.console_errors == []


def test_the_member_appeals_with_a_document_and_a_modified_decision_sets_the_status(
    live_server, new_page, axe_check, cbp_org, make_user, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    partner, officer, _ = suspended_member(days_ago=12, status="validated", name="Appeal Imports")
    admin, device = _cbp(make_user, cbp_org, "cbp_admin", "enf.admin")

    member = new_page()
    _log_in(member, live_server.url, officer)
    expect(member.locator("main")).to_contain_text("78 days left to file")
    axe_check(member)
    member.goto(f"{live_server.url}/enforcement/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Suspensions and appeals")
    axe_check(member)
    member.get_by_role("link", name="File an appeal").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("File an appeal")
    expect(member.locator("main")).to_contain_text("6 U.S.C. 967(c)(1)")
    axe_check(member)
    member.get_by_label("The grounds of the appeal").fill(
        "The seals were verified; the log was misread."
    )
    letter = tmp_path / "seal-log.txt"
    letter.write_text("Seal log, March.")
    member.locator("input[name=documents]").set_input_files(str(letter))
    member.get_by_role("button", name="File the appeal").click()
    expect(member.get_by_text(re.compile(r"Your appeal APL-\S+ is filed\."))).to_be_visible()
    expect(member.locator("main")).to_contain_text("180 days left")
    axe_check(member)
    appeal_url = member.url

    cbp = new_page()
    _log_in(cbp, live_server.url, admin, device)
    expect(cbp.locator("main")).to_contain_text("Appeal Imports")
    axe_check(cbp)
    cbp.goto(appeal_url)
    expect(cbp.locator("main")).to_contain_text("seal-log.txt")
    axe_check(cbp)
    cbp.locator("label[for=id_outcome_2]").click()
    cbp.get_by_label("Resulting status (for a modified decision)").select_option("certified")
    cbp.get_by_label("The reason for the decision").fill(
        "Reinstated at Tier I pending revalidation."
    )
    cbp.once("dialog", lambda d: d.accept())
    cbp.get_by_role("button", name="Record the decision").click()
    expect(cbp.get_by_text(re.compile(r"decided: Modified"))).to_be_visible()
    expect(cbp.locator("main")).to_contain_text("status now Certified (Tier I)")
    axe_check(cbp)

    member.goto(f"{live_server.url}/partners/{partner.public_id}/status/")
    expect(member.locator("main")).to_contain_text("Reinstated at Tier I pending revalidation.")
    axe_check(member)
    partner.refresh_from_db()
    assert partner.status == "certified"
    assert cbp.console_errors == [] and member.console_errors == []
