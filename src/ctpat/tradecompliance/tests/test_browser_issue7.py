"""Issue 7 in a real browser (axe on every page): typing an answer on the forced-labor step and
then uploading a document keeps the answer, after the reload and in the database; the character
counter counts as the user types and the textarea has no maxlength to cut pasted text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def question_set(db):
    from ctpat.tradecompliance import questionset, selectors, services

    if selectors.questionnaire_current() is None:
        services.questionnaire_version_publish(actor=None, question_set=questionset.read())


def test_an_answer_typed_before_an_upload_is_kept_and_saved(
    live_server, new_page, axe_check, make_partner, make_user, make_ready
):
    from ctpat.testing import TEST_PASSWORD
    from ctpat.tradecompliance import selectors, services
    from ctpat.tradecompliance.models import ApplicationDocument

    partner = make_partner(
        name="Keep Typing Imports", entity_type="importer", country="US", status="validated"
    )
    officer = make_user(
        "partner_officer", organization=partner.organization, username="tc.keep.officer"
    )
    make_ready(partner, officer)
    application = services.application_start(actor=officer, partner=partner)
    base = live_server.url

    page = new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("tc.keep.officer")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/trade-compliance/applications/{application.public_id}/steps/forced_labor/")
    page.wait_for_load_state("networkidle")
    axe_check(page)

    answer = page.locator("textarea[name='q_FL-DILIGENCE']")
    assert answer.get_attribute("maxlength") is None
    typed = "Every supplier signs our code and is trained each spring."
    answer.fill(typed)
    counter = page.locator("#question-FL-DILIGENCE .usa-character-count__status")
    expect(counter).to_have_text(f"{10_000 - len(typed)} characters left")

    page.locator("#id_file_FL-CODE").set_input_files(
        {"name": "code-of-conduct.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload for FL-CODE").click()

    expect(page.get_by_text("Saved, and code-of-conduct.pdf is uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="code-of-conduct.pdf")).to_be_visible()
    expect(page.locator("textarea[name='q_FL-DILIGENCE']")).to_have_value(typed)
    axe_check(page)
    assert selectors.application_answers(application)["FL-DILIGENCE"].text == typed
    assert ApplicationDocument.objects.filter(application=application, code="FL-CODE").exists()
