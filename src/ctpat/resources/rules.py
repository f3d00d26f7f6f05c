"""The resources library's rules: pure functions over plain values, with named limits.

* what a valid outbound link is (nothing is ever fetched; the link is only shown),
* how audience and topic tags are stored and matched,
* who may share a resource (a licensed customs broker educating its clients, FAQ),
* what changed between two revisions (the diff summary on the resource page).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ctpat.partners.choices import EntityType

from .choices import ALL_MEMBERS, CBP_STAFF

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 600
BODY_MAX_LENGTH = 20_000
SOURCE_MAX_LENGTH = 500
URL_MAX_LENGTH = 500
CHANGE_NOTE_MAX_LENGTH = 500
SHARE_NOTE_MAX_LENGTH = 1_000
# A broker shares with clients picked from a list; a larger batch is a mistake, not a need.
SHARE_MAX_CLIENTS = 50
ALLOWED_URL_SCHEMES = frozenset({"http", "https"})
TAG_SEPARATOR = ","

# source: seed FAQ (Virtual Trade Week, DOMAIN.md §0 "Brokers and social compliance"): "One of
# the main roles of a Customs Broker who is a CTPAT member is to educate and guide its business
# partners"; so licensed customs brokers share resources with their clients.
SHARING_ENTITY_TYPES = frozenset({EntityType.CUSTOMS_BROKER})

# The revision fields a diff compares, in the order the page lists them.
REVISION_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "external_url",
    "audiences",
    "topics",
    "source",
    "status",
    "retired",
)
# Long text: the diff says how it changed in size instead of printing both versions.
LONG_TEXT_FIELDS = frozenset({"body"})


def url_problem(url: str) -> str:
    """Why ``url`` cannot be shown as an outbound link ("" when it can)."""
    if len(url) > URL_MAX_LENGTH:
        return f"At most {URL_MAX_LENGTH} characters."
    if any(ch.isspace() for ch in url) or any(ord(ch) < 32 for ch in url):
        return "A web address has no spaces or control characters."
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a bad port
    except ValueError:
        return "This is not a valid web address."
    if parts.scheme.lower() not in ALLOWED_URL_SCHEMES:
        return "Give a web address that starts with https:// or http://."
    if not parts.hostname or "." not in parts.hostname:
        return "Give the full web address, including the site's domain name."
    if parts.username or parts.password:
        return "A link must not carry a user name or password."
    del port
    return ""


def tags_to_text(tags: Iterable[str]) -> str:
    """Stored form of a tag set: ",a,b," so that one tag matches with a plain substring test."""
    values = sorted(set(tags))
    return f"{TAG_SEPARATOR}{TAG_SEPARATOR.join(values)}{TAG_SEPARATOR}" if values else ""


def tags_from_text(text: str) -> list[str]:
    return [t for t in (text or "").split(TAG_SEPARATOR) if t]


def tag_needle(tag: str) -> str:
    """What to look for in the stored text to find ``tag``."""
    return f"{TAG_SEPARATOR}{tag}{TAG_SEPARATOR}"


def is_staff_only(audiences: Iterable[str]) -> bool:
    """A resource written only for CBP staff is never shown to members."""
    return set(audiences) == {CBP_STAFF}


def audiences_for_entity_type(entity_type: str) -> tuple[str, ...]:
    """The audience tags that address a member of ``entity_type``: its own and "all members"."""
    return (entity_type, ALL_MEMBERS)


def may_share(entity_type: str | None) -> bool:
    return entity_type in SHARING_ENTITY_TYPES


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object
    summary: str


def revision_changes(before: dict | None, after: dict) -> list[FieldChange]:
    """What changed from revision ``before`` to ``after`` (all fields when it is the first)."""
    changes = []
    for name in REVISION_FIELDS:
        old = before.get(name) if before is not None else None
        new = after.get(name)
        if before is not None and old == new:
            continue
        changes.append(FieldChange(name, old, new, _summarise(name, old, new, before is None)))
    return changes


def _summarise(name: str, old, new, first: bool) -> str:
    if first:
        return "set"
    if isinstance(new, list) or isinstance(old, list):
        added = sorted(set(new or ()) - set(old or ()))
        removed = sorted(set(old or ()) - set(new or ()))
        parts = []
        if added:
            parts.append("added " + ", ".join(added))
        if removed:
            parts.append("removed " + ", ".join(removed))
        return "; ".join(parts)
    if name in LONG_TEXT_FIELDS:
        return f"rewritten ({len(old or '')} → {len(new or '')} characters)"
    if not old:
        return "added"
    if not new:
        return "removed"
    return "changed"
