"""Browser tests: Playwright drives Debian's Chromium against a live server on 127.0.0.1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; our ORM calls here are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CTPAT_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(python3 run.py test does it when it can)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def _new():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors
        return page

    yield _new
    for context in contexts:
        context.close()


# What Chromium says when axe starts while a click's navigation is still replacing the page.
_NAVIGATION_RACES = (
    "Execution context was destroyed",
    "reading 'documentElement'",
    "axe is not defined",
    "Cannot find context",
)


def run_axe(page, attempts: int = 4) -> list[dict]:
    """Run axe-core in the page; return serious and critical violations.

    A check right after a click can start while the browser is still swapping in the next
    document; axe then sees no document. Wait for the page to finish loading and, if a
    navigation still wins the race, run the whole check again on the new page.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            page.evaluate(AXE_JS.read_text())  # evaluated, not inline: our CSP forbids those
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
        except PlaywrightError as error:
            if attempt + 1 < attempts and any(r in str(error) for r in _NAVIGATION_RACES):
                page.wait_for_timeout(200)
                continue
            raise
        return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    raise AssertionError("unreachable")  # pragma: no cover


@pytest.fixture
def axe_check():
    visited = []

    def _check(page):
        violations = run_axe(page)
        visited.append(page.url)
        assert not violations, f"axe violations on {page.url}:\n" + json.dumps(
            [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": [n["target"] for n in v["nodes"]][:5],
                }
                for v in violations
            ],
            indent=1,
        )

    _check.visited = visited
    return _check
