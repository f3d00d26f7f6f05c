"""The Trade Compliance application, in a real browser (Playwright + Debian's Chromium, axe-core
on every page visited): a company officer previews the questions, fails the readiness check,
fixes it, fills in and submits the application; a National Account Manager asks for more
information; the company responds; the NAM approves; the company sees its account number. Later
(the clock moved to a month before the first Annual Notification Letter is due) the daily job
reminds the company, the reminder appears in ctpat, and the officer files the letter."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from ctpat.partners.rules import add_months

from .factories import CODE_OF_CONDUCT_URL, PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_set(db):
    """The shipped question set (a transactional test before this one may have emptied it)."""
    from ctpat.tradecompliance import questionset, selectors, services

    if selectors.questionnaire_current() is None:
        services.questionnaire_version_publish(actor=None, question_set=questionset.read())


def _log_in(page, base_url, username):
    from ctpat.testing import TEST_PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def test_a_company_applies_cbp_asks_the_company_answers_and_cbp_approves(
    live_server, new_page, axe_check, make_partner, make_user, cbp_org, monkeypatch
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ctpat.accounts.services import totp_device_create_confirmed
    from ctpat.tradecompliance.models import Application

    partner = make_partner(
        name="Browser TC Imports", entity_type="importer", country="US", status="validated"
    )
    make_user(
        "partner_officer",
        organization=partner.organization,
        username="tc.apply.officer",
        first_name="Olive",
        last_name="Officer",
    )
    nam = make_user(
        "nam", organization=cbp_org, username="tc.nam", first_name="Nora", last_name="Manager"
    )
    totp_device_create_confirmed(actor=None, user=nam)
    device = TOTPDevice.objects.get(user=nam)
    first_import = (dt.date.today() - dt.timedelta(days=6 * 365)).isoformat()
    base = live_server.url

    page = new_page()
    # The questions are public: read them before applying.
    page.goto(f"{base}/trade-compliance/questions/")
    expect(page.locator(".tc-question")).to_have_count(35)
    axe_check(page)

    _log_in(page, base, "tc.apply.officer")
    page.goto(f"{base}/trade-compliance/applications/")
    expect(page.get_by_role("heading", name="Not ready to apply yet")).to_be_visible()
    expect(page.locator('[data-reason="import_history_not_declared"]')).to_be_visible()
    expect(page.locator('[data-reason="eligibility_questions_unanswered"]')).to_be_visible()
    expect(page.get_by_role("button", name="Launch Trade Compliance")).to_have_count(0)
    axe_check(page)

    # Fix what the readiness check lists.
    page.get_by_role("link", name="Go to the readiness check").click()
    expect(page.get_by_label("Date of the company's first import")).to_be_visible()
    axe_check(page)
    page.get_by_label("Date of the company's first import").fill(first_import)
    page.get_by_text("No: the company has no unpaid final debt to CBP").click()
    page.get_by_role("button", name="Save the company's facts").click()
    expect(page.get_by_text("The company's facts are saved.")).to_be_visible()
    for row in page.locator("#tc-questions-heading ~ form .usa-fieldset").all():
        row.locator("label.usa-radio__label", has_text=re.compile(r"^Yes$")).click()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_role("heading", name="Ready to apply", exact=True)).to_be_visible()

    # Launch, then go through the steps.
    page.goto(f"{base}/trade-compliance/applications/")
    axe_check(page)
    page.get_by_role("button", name="Launch Trade Compliance").click()
    expect(page.locator(".usa-step-indicator__heading-text")).to_have_text("Eligibility")
    axe_check(page)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator(".usa-step-indicator__heading-text")).to_have_text(
        "Importer of Record numbers"
    )
    axe_check(page)
    page.locator("label[for=id_ior_numbers_0]").click()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator(".usa-step-indicator__heading-text")).to_have_text("Internal controls")
    axe_check(page)
    for textarea in page.locator("textarea[name^='q_IC-']").all():
        textarea.fill("Written procedure, owned by the compliance manager, tested yearly.")
    # "Save draft" saves in place (HTMX) and says so.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator(".usa-step-indicator__heading-text")).to_have_text("Forced labor")
    axe_check(page)
    page.locator("label[for='id_q_FL-MAPPING_0']").click()
    page.locator("input[name='url_FL-CODE']").fill("http://not-https.example.com/code")
    for name in ("q_FL-DILIGENCE", "q_FL-REMEDIATION", "q_FL-SHARING"):
        page.locator(f"textarea[name='{name}']").fill("Described in our policy, reviewed yearly.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main")).to_contain_text("starting with https://")
    axe_check(page)
    page.locator("input[name='url_FL-CODE']").fill(CODE_OF_CONDUCT_URL)
    # Wait for the save itself: the page-level "Saved." of the previous step is still shown, so
    # the text alone could be found before this draft reached the server.
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/steps/forced_labor/" in r.url
    ) as saved:
        page.get_by_role("button", name="Save draft").click()
    assert saved.value.ok
    expect(page.locator("#tc-application-step").get_by_text("Saved.", exact=True)).to_be_visible()
    # Uploads are plain multipart posts of the step's form: start them from a loaded page.
    page.reload()
    page.wait_for_load_state("networkidle")
    page.locator("#id_file_FL-CODE").set_input_files(_pdf("code-of-conduct.pdf"))
    page.get_by_role("button", name="Upload for FL-CODE").click()
    expect(page.get_by_text("Saved, and code-of-conduct.pdf is uploaded.")).to_be_visible()
    page.locator("#id_file_FL-EVIDENCE").set_input_files(_pdf("training.pdf"))
    page.get_by_role("button", name="Upload for FL-EVIDENCE").click()
    expect(page.get_by_role("link", name="training.pdf")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Memorandum of Understanding").click()
    expect(page.get_by_label("Your full name (your typed signature)")).to_be_visible()
    axe_check(page)
    page.locator("label[for=id_acknowledged_0]").click()
    page.locator("label[for=id_acknowledged_1]").click()
    page.get_by_label("Your full name (your typed signature)").fill("Olive Officer")
    page.get_by_role("button", name="Sign the MOU").click()

    expect(page.locator(".usa-step-indicator__heading-text")).to_have_text("Review and submit")
    expect(page.get_by_text("Every step is complete.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit the application to CBP").click()
    expect(page.get_by_text("Your application is submitted to CBP.")).to_be_visible()
    axe_check(page)
    application = Application.objects.get(partner=partner)
    assert application.status == "submitted"

    # The National Account Manager takes it up and asks for more information.
    nam_page = new_page()
    _log_in(nam_page, base, "tc.nam")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    nam_page.get_by_label(re.compile("code", re.I)).fill(f"{code:06d}")
    nam_page.get_by_role("button", name="Verify").click()
    expect(nam_page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")
    nam_page.goto(f"{base}/trade-compliance/applications/")
    axe_check(nam_page)
    nam_page.get_by_role("link", name=application.public_id).click()
    expect(nam_page.get_by_role("button", name="Assign to me")).to_be_visible()
    axe_check(nam_page)
    nam_page.get_by_role("button", name="Assign to me").click()
    expect(nam_page.get_by_text("The application is assigned.")).to_be_visible()
    nam_page.get_by_label("Your questions to the company").fill(
        "Send the results of your last self-test."
    )
    nam_page.get_by_role("button", name="Send the questions").click()
    expect(nam_page.get_by_text("Your questions are sent to the company.")).to_be_visible()
    axe_check(nam_page)

    # The company responds.
    page.goto(f"{base}/trade-compliance/applications/{application.public_id}/")
    expect(page.locator("main")).to_contain_text("Send the results of your last self-test.")
    axe_check(page)
    page.get_by_label("Your response to CBP").fill("Attached: the 2025 self-test.")
    page.locator("#tc-response-documents").set_input_files(_pdf("self-test.pdf"))
    page.get_by_role("button", name="Send the response to CBP").click()
    expect(page.get_by_text("Your response is sent to CBP.")).to_be_visible()

    # The NAM approves; the company sees its Trade Compliance account number.
    nam_page.reload()
    expect(nam_page.locator("main")).to_contain_text("Attached: the 2025 self-test.")
    nam_page.once("dialog", lambda d: d.accept())  # approving asks for confirmation first
    nam_page.get_by_role("button", name="Approve and grant the membership").click()
    expect(nam_page.get_by_text("The application is approved")).to_be_visible()
    axe_check(nam_page)

    page.reload()
    application.refresh_from_db()
    number = application.membership.account_number
    expect(page.locator(".tc-account-number").first).to_have_text(number)
    expect(page.locator('[data-step="approved"]')).to_be_visible()
    axe_check(page)
    page.goto(f"{base}/")
    expect(page.locator(".tc-account-number").first).to_have_text(number)
    axe_check(page)
    assert page.console_errors == [] and nam_page.console_errors == []

    # Later: the clock (shared with the live server's thread) moves to 30 days before the first
    # Annual Notification Letter is due, 13 months after acceptance; the daily job runs.
    from django.utils import timezone

    from ctpat.annualnotices import rules as anl_rules
    from ctpat.annualnotices import services as anl_services

    membership = application.membership
    due = anl_rules.due_date(membership.accepted_on, 0)
    assert due == add_months(membership.accepted_on, 13)
    real_now = timezone.now
    shift = dt.timedelta(days=(due - dt.timedelta(days=30) - timezone.localdate()).days)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    assert anl_services.anl_reminders_send(today=timezone.localdate()).reminders == 1

    later = new_page()  # a year on, the old session has expired: the officer logs in again
    _log_in(later, base, "tc.apply.officer")
    expect(later.get_by_text("Next letter due")).to_be_visible()
    axe_check(later)
    later.goto(f"{base}/notifications/")
    expect(later.get_by_text(re.compile(r"Annual Notification Letter due")).first).to_be_visible()
    axe_check(later)
    later.get_by_role("link", name="Annual notification", exact=True).click()
    expect(later.locator("main")).to_contain_text("in 30 days")
    axe_check(later)
    later.get_by_role("link", name=re.compile(r"(Start|Continue) the letter")).click()
    expect(later.get_by_label("Compliance contact: name")).to_be_visible()
    axe_check(later)
    later.locator("label[for=id_certifies_compliance]").click()
    later.get_by_label("Compliance contact: name").fill("Olive Officer")
    later.get_by_label("Compliance contact: e-mail").fill("olive@example.test")
    later.get_by_label("Company officer: name").fill("Olive Officer")
    later.get_by_label("Company officer: e-mail").fill("olive@example.test")
    later.locator("label[for=id_no_changes]").click()
    later.get_by_label("Signature: type your full name").fill("Olive Officer")
    later.get_by_role("button", name="Sign and file the letter").click()
    expect(later.get_by_text("The letter is filed. Thank you.")).to_be_visible()
    expect(later.locator("main")).to_contain_text("Filed on time")
    axe_check(later)
    assert later.console_errors == []
    assert membership.annual_letters.get().status == "filed"
