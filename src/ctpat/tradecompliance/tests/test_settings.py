"""The program's opening date comes from the environment (CTPAT_TC_PROGRAM_OPENS_ON)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from ctpat.config.settings import env_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(None, None, id="unset-means-open"),
        pytest.param("", None, id="empty-means-open"),
        pytest.param(" 2026-03-01 ", dt.date(2026, 3, 1), id="iso-date"),
    ],
)
def test_the_opening_date_is_an_iso_date_or_nothing(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("CTPAT_TC_PROGRAM_OPENS_ON", raising=False)
    else:
        monkeypatch.setenv("CTPAT_TC_PROGRAM_OPENS_ON", raw)

    assert env_date("CTPAT_TC_PROGRAM_OPENS_ON") == expected


@pytest.mark.parametrize("raw", ["next spring", "2026-02-30", "03/01/2026"])
def test_a_malformed_opening_date_stops_the_configuration(monkeypatch, raw):
    monkeypatch.setenv("CTPAT_TC_PROGRAM_OPENS_ON", raw)

    with pytest.raises(ImproperlyConfigured, match="CTPAT_TC_PROGRAM_OPENS_ON must be a date"):
        env_date("CTPAT_TC_PROGRAM_OPENS_ON")


def test_the_setting_is_read_by_the_readiness_check(settings):
    from ctpat.tradecompliance import selectors

    settings.CTPAT_TC_PROGRAM_OPENS_ON = dt.date(2030, 1, 1)

    assert selectors.program_opens_on() == dt.date(2030, 1, 1)
