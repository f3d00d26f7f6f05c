"""Fixtures for the Trade Compliance tests: the question set loaded by the data migration, and
importers at the membership stages the eligibility rule cares about, made through the services."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ctpat.testing import make_partner

# The project's browser settings, for test_browser.py (axe_check is a project-wide fixture).
from tests.browser.fixtures import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def current(db):
    from ctpat.tradecompliance import selectors

    version = selectors.questionnaire_current()
    assert version is not None, "the data migration loads the shipped question set"
    return version


@pytest.fixture
def validated_importer(db):
    """A U.S. importer, validated (Tier II): eligible once its facts and answers are in."""
    return make_partner(
        name="Tier Two Imports LLC", entity_type="importer", country="US", status="validated"
    )


@pytest.fixture
def validated_officer(validated_importer, make_user):
    return make_user("partner_officer", organization=validated_importer.organization)


@pytest.fixture
def validated_compliance(validated_importer, make_user):
    return make_user("partner_compliance", organization=validated_importer.organization)


@pytest.fixture
def eligibility_codes(current):
    from ctpat.tradecompliance import selectors

    return [q.code for q in selectors.eligibility_questions(current)]


@pytest.fixture
def make_ready(current, eligibility_codes):
    """``make_ready(partner, officer, {"ELIG-04": False})``: declare the facts (5+ years of
    imports, no debt) and answer every eligibility question Yes unless overridden."""
    from ctpat.tradecompliance import selectors, services

    def _ready(partner, officer, overrides: dict | None = None):
        if selectors.profile_for(partner) is None:
            services.tc_profile_update(
                actor=officer,
                partner=partner,
                import_history_start=dt.date(2019, 5, 1),
                has_cbp_debt=False,
                is_non_resident_canadian=False,
            )
        answers = dict.fromkeys(eligibility_codes, True)
        answers.update(overrides or {})
        return services.readiness_answers_save(
            actor=officer, partner=partner, version=current, answers=answers
        )

    return _ready


def _drive(steps):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.console_errors = errors
            return steps(page)
        finally:
            browser.close()


@pytest.fixture
def in_browser():
    """``in_browser(steps)`` runs ``steps(page)`` in a fresh Chromium page.

    On a thread of its own: Playwright's sync API allows one instance per thread, and
    tests/browser/ keeps a session-wide one open on the main thread.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")

    def _run(steps):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(_drive, steps).result()

    return _run


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nam(cbp_org, make_user):
    return make_user("nam", organization=cbp_org, first_name="Nora", last_name="Manager")


@pytest.fixture
def ready_importer(validated_importer, validated_officer, make_ready):
    """The validated importer with its facts declared and every eligibility answer Yes."""
    make_ready(validated_importer, validated_officer)
    return validated_importer


@pytest.fixture
def draft(ready_importer, validated_officer):
    from ctpat.tradecompliance import services

    return services.application_start(actor=validated_officer, partner=ready_importer)


@pytest.fixture
def submitted(draft, validated_officer):
    from ctpat.tradecompliance import services

    from .factories import fill_application

    fill_application(draft, validated_officer)
    return services.application_submit(actor=validated_officer, application=draft)


@pytest.fixture
def under_review(submitted, nam):
    from ctpat.tradecompliance import services

    return services.application_assign(actor=nam, application=submitted, nam=nam)
