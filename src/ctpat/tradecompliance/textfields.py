"""Moved to ``ctpat.core.textfields`` (every app's long text is counted the same way); this
import path is kept for code that still uses it."""

from __future__ import annotations

from ctpat.core.textfields import (  # noqa: F401
    CountedTextarea,
    LongTextField,
    check_length,
    too_long_message,
)

__all__ = ["check_length", "too_long_message", "CountedTextarea", "LongTextField"]
