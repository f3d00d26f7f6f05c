"""Notification rules: retry backoff, giving up, kinds and links."""

from datetime import timedelta

import pytest

from ctpat.notifications import rules
from ctpat.notifications.constants import EMAIL_MAX_ATTEMPTS, EMAIL_RETRY_MAX_DELAY


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [
        pytest.param(0, 0, id="no attempt yet: no wait"),
        pytest.param(1, 1, id="after the first failure: 1 minute"),
        pytest.param(2, 2, id="then 2"),
        pytest.param(4, 8, id="then doubling"),
        pytest.param(7, 60, id="capped at an hour"),
        pytest.param(500, 60, id="still capped after many"),
    ],
)
def test_retry_delay_doubles_from_the_base_up_to_the_cap(attempts, minutes):
    assert rules.retry_delay(attempts) == timedelta(minutes=minutes)
    assert rules.retry_delay(attempts) <= EMAIL_RETRY_MAX_DELAY


def test_retry_delay_with_a_zero_base_retries_at_once():
    assert rules.retry_delay(3, base=timedelta(0)) == timedelta(0)


def test_gives_up_only_after_the_last_attempt():
    assert not rules.gives_up(EMAIL_MAX_ATTEMPTS - 1)
    assert rules.gives_up(EMAIL_MAX_ATTEMPTS)
    assert rules.gives_up(2, max_attempts=2)


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        pytest.param("", True, id="no link"),
        pytest.param("/partners/CT-123/", True, id="a path"),
        pytest.param("/partners/?q=a&page=2#x", True, id="with query and fragment"),
        pytest.param("https://evil.example/", False, id="another site"),
        pytest.param("//evil.example/", False, id="protocol-relative"),
        pytest.param("/\\evil.example/", False, id="backslash trick"),
        pytest.param("javascript:alert(1)", False, id="script"),
        pytest.param("/a b", False, id="whitespace"),
        pytest.param("/" + "a" * 600, False, id="too long"),
    ],
)
def test_links_stay_inside_ctpat(link, ok):
    assert rules.is_local_link(link) is ok


@pytest.mark.parametrize(
    ("kind", "ok"),
    [
        ("svi.request", True),
        ("status_change", True),
        ("a", True),
        ("", False),
        ("SVI", False),
        ("1abc", False),
        ("has space", False),
        ("x" * 65, False),
    ],
)
def test_kinds_are_short_lower_case_codes(kind, ok):
    assert rules.is_valid_kind(kind) is ok
