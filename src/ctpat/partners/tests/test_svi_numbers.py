"""Account numbers typed by a person, and the daily cap on requests by number."""

from __future__ import annotations

import pytest

from ctpat.partners.svi_numbers import (
    SVI_NUMBER_REQUESTS_PER_DAY,
    AccountNumberError,
    normalise_account_number,
    svi_number_request_allowed,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("CT-7K2M9Q4R8T", "CT-7K2M9Q4R8T", id="exact"),
        pytest.param("  ct-7k2m9q4r8t ", "CT-7K2M9Q4R8T", id="case-and-spaces"),
        pytest.param("CT7K2M9Q4R8T", "CT-7K2M9Q4R8T", id="no-hyphen"),
        pytest.param("7K2M9Q4R8T", "CT-7K2M9Q4R8T", id="no-prefix"),
        pytest.param("CT-OK2M9Q4R8I", "CT-0K2M9Q4R81", id="look-alike-letters"),
        pytest.param("CT-CT2M9Q4R8T", "CT-CT2M9Q4R8T", id="body-starting-with-ct"),
    ],
)
def test_a_typed_account_number_is_normalised(typed, expected):
    assert normalise_account_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("", id="empty"),
        pytest.param("CT-123", id="too-short"),
        pytest.param("CT-7K2M9Q4R8T9", id="too-long"),
        pytest.param("SVI-7K2M9Q4R8T", id="other-prefix"),
        pytest.param("CT-7K2M9Q4R8U", id="letter-not-in-the-alphabet"),
        pytest.param("oboImp92011", id="legacy-svi-number"),
    ],
)
def test_a_malformed_number_is_refused_with_a_sentence(typed):
    with pytest.raises(AccountNumberError) as exc:
        normalise_account_number(typed)
    message = str(exc.value)
    assert message[0].isupper() and message.endswith(".")


def test_the_daily_cap():
    assert svi_number_request_allowed(SVI_NUMBER_REQUESTS_PER_DAY - 1)
    assert not svi_number_request_allowed(SVI_NUMBER_REQUESTS_PER_DAY)
