"""Asking for a status-verification connection by account number, as pure functions.

A member may choose not to be listed in the SVI directory; it can still give a business partner
its CTPAT account number (the partner's public id, ``CT-…``), and the partner asks to connect by
that number. CBP retired the old separate "SVI numbers" in favour of in-portal connections
(DOMAIN.md §3.3), so the account number is the only number: there is no second one to keep.

Only an exact number matches, and every number that cannot be connected (unknown, not a
certified member) gets the same answer, so the form cannot be used to find out who is a member.
"""

from __future__ import annotations

import re

from ctpat.core.ids import ALPHABET, RANDOM_LENGTH

ACCOUNT_PREFIX = "CT"
ACCOUNT_NUMBER_RE = re.compile(rf"^{ACCOUNT_PREFIX}-[{ALPHABET}]{{{RANDOM_LENGTH}}}$")
# Crockford base32 reads these look-alikes as digits (https://www.crockford.com/base32.html).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

# Requests by number (matched or not) a company may make in 24 hours. [K] product limit, not a
# CBP rule: enough for real use, too few to walk the number space.
SVI_NUMBER_REQUESTS_PER_DAY = 20


class AccountNumberError(ValueError):
    """The text is not shaped like an account number (says nothing about who holds one)."""


def normalise_account_number(text: str) -> str:
    """``CT-XXXXXXXXXX`` from what a person typed: case, spaces and look-alike letters forgiven.

    Raises AccountNumberError with a full sentence when the shape is wrong.
    """
    raw = re.sub(r"\s+", "", text or "").upper()
    if not raw:
        raise AccountNumberError("Enter the account number your business partner gave you.")
    if raw.startswith(f"{ACCOUNT_PREFIX}-"):
        body = raw[len(ACCOUNT_PREFIX) + 1 :]
    else:
        body = raw.removeprefix(ACCOUNT_PREFIX)
    candidate = f"{ACCOUNT_PREFIX}-{body.translate(_LOOKALIKES)}"
    if not ACCOUNT_NUMBER_RE.match(candidate):
        raise AccountNumberError(
            f"A CTPAT account number is {ACCOUNT_PREFIX}- followed by {RANDOM_LENGTH} letters "
            f"and digits, like {ACCOUNT_PREFIX}-7K2M9Q4R8T; “{text.strip()[:40]}” is not one."
        )
    return candidate


def svi_number_request_allowed(made_in_last_day: int) -> bool:
    return made_in_last_day < SVI_NUMBER_REQUESTS_PER_DAY
