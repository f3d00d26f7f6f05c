"""Rules of the Minimum Security Criteria catalog, as pure functions.

Plain values in (strings from `choices.py`, `datetime.date`, the frozen dataclasses below), plain
values out: no database, no settings, no clock — callers pass the date. Tags follow DOMAIN.md
([V] seen verbatim, [I] inferred/secondary, [K] background knowledge — confirm before relying).

A criterion's requirement is a list of dated periods, each "must" or "should" (DOMAIN.md §6
item 1: "Criteria catalogue must be versioned with effective dates"). ``effective_to`` is the
last day a period applies (inclusive); ``None`` means open-ended. MSC 3.9 is the model case:
should until 2022-12-31, must from 2023-01-01.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .choices import ChangeKind, Level

# --- Constants -----------------------------------------------------------------------------------

# source: internationaltradetoday.com 2019/12/18 "comply with the new requirements by January
# 2020" (DOMAIN.md §1.1) [I] — the shipped catalog's periods start here.
MSC_2019_EFFECTIVE_FROM = dt.date(2020, 1, 1)
# source: blog.tradewin.net/ctpat-and-forced-labor, communicationsdaily 2023-03-22: 3.9 became
# mandatory on January 1, 2023 (DOMAIN.md §1.2) [V].
FORCED_LABOR_3_9_MUST_FROM = dt.date(2023, 1, 1)

# source: DOMAIN.md §1.1 — "Criteria ID numbers may not be sequential" (DOCSLIB-IMP): IDs are
# the category number, a dot and a number (e.g. 3.9, 3.10), optionally one more level.
MSC_ID_PATTERN = re.compile(r"^[1-9]\d?(?:\.[1-9]\d{0,2}){1,2}$")
MSC_ID_MAX_LENGTH = 16
# Digits per part of the stored sort key: "3.10" -> "0003.0010", which sorts after "0003.0009".
SORT_KEY_DIGITS = 4

# source: CBP launched C-TPAT in November 2001 [K] (as partners.rules.PROGRAM_START); no criterion
# period starts before it. The upper bound only keeps date arithmetic in range.
EFFECTIVE_DATE_MIN = dt.date(2001, 11, 1)
EFFECTIVE_DATE_MAX = dt.date(2099, 12, 31)

# Ordering of levels for "upgraded"/"downgraded": not applying < should < must.
LEVEL_RANK: dict[str | None, int] = {None: 0, Level.SHOULD: 1, Level.MUST: 2}
LEVEL_LABEL: dict[str | None, str] = {
    None: "not applicable",
    Level.SHOULD: "Should",
    Level.MUST: "Must",
}

# Criterion fields members see; a change to another field (source, notes, whether the text is
# our summary) is editorial and does not notify anyone.
MEMBER_FACING_DETAIL_FIELDS = ("guidance", "category", "tags", "program", "entity_types")
EDITORIAL_FIELDS = ("text_is_summary", "source", "notes")


# --- Criterion IDs -------------------------------------------------------------------------------


def msc_id_problem(msc_id: str, category: int | None = None) -> str | None:
    """Why ``msc_id`` is not a usable criterion ID (in ``category``), or None."""
    if not isinstance(msc_id, str) or not MSC_ID_PATTERN.match(msc_id):
        return (
            f"'{msc_id}' is not a criterion ID: use the category number, a dot and a number "
            "without leading zeros, e.g. 3.9 or 3.10."
        )
    if category is not None and int(msc_id.split(".")[0]) != int(category):
        return f"Criterion {msc_id} belongs to category {msc_id.split('.')[0]}, not {category}."
    return None


def msc_sort_key(msc_id: str) -> tuple[int, ...]:
    """Numeric order of criterion IDs: 3.9 < 3.10 < 4.1."""
    return tuple(int(part) for part in msc_id.split("."))


def msc_sort_text(msc_id: str) -> str:
    """``msc_sort_key`` as text the database can order by ("3.10" -> "0003.0010")."""
    return ".".join(f"{part:0{SORT_KEY_DIGITS}d}" for part in msc_sort_key(msc_id))


# --- Requirement periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From ``effective_from`` to ``effective_to`` (inclusive; None = open) the criterion is
    ``level``."""

    level: str
    effective_from: dt.date
    effective_to: dt.date | None = None

    def covers(self, on_date: dt.date) -> bool:
        return self.effective_from <= on_date and (
            self.effective_to is None or on_date <= self.effective_to
        )


def _sorted(periods: Iterable[Period]) -> list[Period]:
    return sorted(periods, key=lambda p: p.effective_from)


def period_problems(periods: Iterable[Period]) -> list[str]:
    """Reasons a set of periods is not a valid requirement (empty list if valid)."""
    periods = _sorted(periods)
    problems = []
    if not periods:
        problems.append("A criterion needs at least one must/should period.")
    for p in periods:
        for day in (p.effective_from, p.effective_to):
            problem = effective_date_problem(day) if day is not None else None
            if problem:
                problems.append(f"{day} is out of range. {problem}")
        if p.level not in Level.values:
            problems.append(f"'{p.level}' is not a level: use must or should.")
        if p.effective_to is not None and p.effective_to < p.effective_from:
            problems.append(
                f"A period ends ({p.effective_to}) before it starts ({p.effective_from})."
            )
    for earlier, later in zip(periods, periods[1:], strict=False):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            problems.append(
                f"The period from {earlier.effective_from} overlaps the one from "
                f"{later.effective_from}: end the earlier one the day before."
            )
    return problems


def effective_date_problem(day: dt.date) -> str | None:
    """Why ``day`` cannot start or end a requirement period, or None."""
    if not EFFECTIVE_DATE_MIN <= day <= EFFECTIVE_DATE_MAX:
        return f"Use a date from {EFFECTIVE_DATE_MIN} to {EFFECTIVE_DATE_MAX}."
    return None


def requirement_level(periods: Iterable[Period], on_date: dt.date) -> str | None:
    """ "must", "should", or None when the criterion does not apply on ``on_date``."""
    for period in periods:
        if period.covers(on_date):
            return period.level
    return None


def _boundaries(periods: Iterable[Period]) -> list[dt.date]:
    """Every date on which some period starts or the day after one ends."""
    dates = set()
    for p in periods:
        dates.add(p.effective_from)
        if p.effective_to is not None and p.effective_to < dt.date.max:
            dates.add(p.effective_to + dt.timedelta(days=1))
    return sorted(dates)


def upcoming_changes(periods: Sequence[Period], after: dt.date) -> list[tuple[dt.date, str | None]]:
    """The level changes strictly after ``after``: [(date, new level or None), ...].

    For 3.9 seen on 2022-06-01: [(2023-01-01, "must")] — "becomes Must on 2023-01-01".
    """
    current = requirement_level(periods, after)
    changes = []
    for day in _boundaries(periods):
        if day <= after:
            continue
        level = requirement_level(periods, day)
        if level != current:
            changes.append((day, level))
            current = level
    return changes


def describe_level_change(day: dt.date, level: str | None) -> str:
    """Plain words for one entry of ``upcoming_changes``."""
    if level is None:
        return f"no longer applies from {day.isoformat()}"
    return f"becomes {LEVEL_LABEL[level]} on {day.isoformat()}"


def periods_with_level_from(
    periods: Iterable[Period], level: str, effective_from: dt.date
) -> tuple[Period, ...]:
    """The periods after setting the criterion to ``level`` from ``effective_from`` onwards.

    Earlier periods are kept (the one running on the day before ends that day); periods from
    ``effective_from`` on are replaced by one open-ended period. This is how CBP upgrades a
    "should" to a "must" with an effective date.
    """
    kept = []
    for p in _sorted(periods):
        if p.effective_from >= effective_from:
            continue
        if p.effective_to is None or p.effective_to >= effective_from:
            p = Period(p.level, p.effective_from, effective_from - dt.timedelta(days=1))
        kept.append(p)
    # Two adjacent periods of the same level are one.
    if (
        kept
        and kept[-1].level == level
        and kept[-1].effective_to == (effective_from - dt.timedelta(days=1))
    ):
        start = kept.pop().effective_from
        return (*kept, Period(level, start, None))
    return (*kept, Period(level, effective_from, None))


# --- Applicability -------------------------------------------------------------------------------


def applies_to(criterion, entity_type: str) -> bool:
    """Whether ``criterion`` is in ``entity_type``'s table.

    source: DOMAIN.md §1.1 "ID numbers not listed are not applicable to U.S. Importers"
    (DOCSLIB-IMP) — a criterion applies only to the entity types that list it.
    """
    return entity_type in (getattr(criterion, "entity_types", None) or ())


# --- Differences between versions ----------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSnapshot:
    """What one version says about one criterion, detached from the database."""

    msc_id: str
    category: int
    text: str
    periods: tuple[Period, ...]
    entity_types: tuple[str, ...]
    guidance: str = ""
    tags: tuple[str, ...] = ()
    program: str = "security"
    text_is_summary: bool = True
    source: str = ""
    notes: str = ""

    def as_dict(self) -> dict:
        return {
            "msc_id": self.msc_id,
            "category": self.category,
            "text": self.text,
            "guidance": self.guidance,
            "tags": list(self.tags),
            "program": self.program,
            "entity_types": list(self.entity_types),
            "text_is_summary": self.text_is_summary,
            "source": self.source,
            "notes": self.notes,
            "periods": [
                {
                    "level": p.level,
                    "effective_from": p.effective_from.isoformat(),
                    "effective_to": p.effective_to.isoformat() if p.effective_to else None,
                }
                for p in _sorted(self.periods)
            ],
        }


@dataclass(frozen=True)
class Change:
    """One thing a new version changes about one criterion.

    ``effective_from`` is when the change bites (None: as soon as the version is published);
    ``entity_types`` are the types whose members are affected; ``member_facing`` is False for
    editorial corrections (sources, notes) that need no notice.
    """

    kind: str
    msc_id: str
    summary: str
    entity_types: tuple[str, ...]
    effective_from: dt.date | None = None
    before: dict | None = None
    after: dict | None = None
    member_facing: bool = True

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "msc_id": self.msc_id,
            "summary": self.summary,
            "entity_types": list(self.entity_types),
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "member_facing": self.member_facing,
            "before": self.before,
            "after": self.after,
        }


def _value(snapshot: CriterionSnapshot, name: str):
    value = getattr(snapshot, name)
    return sorted(value) if isinstance(value, tuple) else value


def _level_changes(old: CriterionSnapshot, new: CriterionSnapshot) -> list[Change]:
    """Upgrades and downgrades: each date from which the new version's level differs."""
    changes = []
    previous_pair = None
    for day in sorted(set(_boundaries(old.periods)) | set(_boundaries(new.periods))):
        pair = (requirement_level(old.periods, day), requirement_level(new.periods, day))
        if pair[0] == pair[1]:
            previous_pair = None
            continue
        if pair == previous_pair:
            continue
        previous_pair = pair
        before, after = pair
        upgraded = LEVEL_RANK[after] > LEVEL_RANK[before]
        if after is None:
            what = f"no longer applies from {day.isoformat()} (was {LEVEL_LABEL[before]})"
        else:
            what = f"is {LEVEL_LABEL[after]} from {day.isoformat()} (was {LEVEL_LABEL[before]})"
        changes.append(
            Change(
                kind=ChangeKind.UPGRADED if upgraded else ChangeKind.DOWNGRADED,
                msc_id=new.msc_id,
                summary=f"{new.msc_id} {what}.",
                entity_types=tuple(sorted(set(old.entity_types) | set(new.entity_types))),
                effective_from=day,
                before={"level": before},
                after={"level": after},
            )
        )
    return changes


def _criterion_changes(old: CriterionSnapshot, new: CriterionSnapshot) -> list[Change]:
    types = tuple(sorted(set(old.entity_types) | set(new.entity_types)))
    changes = []
    if old.text != new.text:
        changes.append(
            Change(
                kind=ChangeKind.REWORDED,
                msc_id=new.msc_id,
                summary=f"{new.msc_id} is reworded.",
                entity_types=types,
                before={"text": old.text},
                after={"text": new.text},
            )
        )
    changes.extend(_level_changes(old, new))
    for names, member_facing in ((MEMBER_FACING_DETAIL_FIELDS, True), (EDITORIAL_FIELDS, False)):
        changed = [n for n in names if _value(old, n) != _value(new, n)]
        if changed:
            words = ", ".join(n.replace("_", " ") for n in changed)
            changes.append(
                Change(
                    kind=ChangeKind.UPDATED,
                    msc_id=new.msc_id,
                    summary=f"{new.msc_id}: {words} changed.",
                    entity_types=types,
                    before={n: _value(old, n) for n in changed},
                    after={n: _value(new, n) for n in changed},
                    member_facing=member_facing,
                )
            )
    return changes


KIND_ORDER = {kind: index for index, kind in enumerate(ChangeKind.values)}


def changes_between(
    old: Iterable[CriterionSnapshot], new: Iterable[CriterionSnapshot]
) -> list[Change]:
    """Everything ``new`` changes compared with ``old``: added, removed, reworded, upgraded
    (with the date it takes effect), downgraded and updated criteria, in criterion-ID order."""
    old_by_id = {c.msc_id: c for c in old}
    new_by_id = {c.msc_id: c for c in new}
    changes: list[Change] = []
    for msc_id, criterion in new_by_id.items():
        if msc_id in old_by_id:
            changes.extend(_criterion_changes(old_by_id[msc_id], criterion))
            continue
        periods = _sorted(criterion.periods)
        start = periods[0] if periods else None
        level = f" as {LEVEL_LABEL[start.level]} from {start.effective_from}" if start else ""
        changes.append(
            Change(
                kind=ChangeKind.ADDED,
                msc_id=msc_id,
                summary=f"{msc_id} is added{level}.",
                entity_types=tuple(sorted(criterion.entity_types)),
                effective_from=start.effective_from if start else None,
                after=criterion.as_dict(),
            )
        )
    for msc_id, criterion in old_by_id.items():
        if msc_id not in new_by_id:
            changes.append(
                Change(
                    kind=ChangeKind.REMOVED,
                    msc_id=msc_id,
                    summary=f"{msc_id} is removed.",
                    entity_types=tuple(sorted(criterion.entity_types)),
                    before=criterion.as_dict(),
                )
            )
    return sorted(changes, key=lambda c: (msc_sort_key(c.msc_id), KIND_ORDER[c.kind]))


def affected_entity_types(changes: Iterable[Change]) -> set[str]:
    """Entity types whose members must be told about ``changes``."""
    return {t for change in changes if change.member_facing for t in change.entity_types}


# --- Entity-type tables ----------------------------------------------------------------------

# source: DOMAIN.md §7.6 — CBP publishes each entity type's full criteria table as a PDF in the
# CTPAT Public Library; a version may hold only some of its rows (a partial table).
PARTIAL_TABLE_NOTICE = (
    "CBP publishes the full table in the CTPAT Public Library; only these rows are loaded."
)
NO_TABLE_NOTICE = (
    "No criteria are loaded for this business entity type yet. CBP publishes each type's table "
    "in the CTPAT Public Library; a CBP program admin loads it into a new version."
)


def table_status(*, criteria_count: int, partial: bool) -> str:
    """``TableStatus`` of an entity type's table: none without criteria, else partial or full.

    A partial table still has criteria to assess, so a profile against it can be submitted; the
    pages say it is partial (DOMAIN.md §7.6: "nothing to assess is not a pass")."""
    from .choices import TableStatus

    if criteria_count <= 0:
        return TableStatus.NONE
    return TableStatus.PARTIAL if partial else TableStatus.FULL
