"""Public identifiers: stable, unguessable, never the database key (STYLE.md)."""

import secrets

# Crockford base32 without I, L, O, U: easy to read aloud and type.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 10  # 50 bits: collisions are negligible for this program's volumes.


def new_public_id(prefix: str) -> str:
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
