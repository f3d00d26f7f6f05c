"""Criteria rules: requirement periods (3.9 should → must), ID order, version differences."""

from __future__ import annotations

import datetime as dt

import pytest

from ctpat.criteria import rules
from ctpat.criteria.rules import CriterionSnapshot, Period

D = dt.date
NINE = (Period("should", D(2020, 1, 1), D(2022, 12, 31)), Period("must", D(2023, 1, 1)))


def snap(msc_id="3.9", text="Social compliance program.", periods=NINE, **kw) -> CriterionSnapshot:
    kw.setdefault("entity_types", ("importer",))
    return CriterionSnapshot(
        msc_id=msc_id, category=int(msc_id.split(".")[0]), text=text, periods=periods, **kw
    )


# --- Requirement periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "level"),
    [
        pytest.param(D(2019, 12, 31), None, id="before-the-2019-criteria-took-effect"),
        pytest.param(D(2020, 1, 1), "should", id="first-day"),
        pytest.param(D(2022, 12, 31), "should", id="last-day-of-should"),
        pytest.param(D(2023, 1, 1), "must", id="first-day-of-must"),
        pytest.param(D(2099, 12, 31), "must", id="open-ended"),
    ],
)
def test_given_3_9_when_asked_on_a_date_then_should_until_2022_and_must_from_2023(on, level):
    assert rules.requirement_level(NINE, on) == level


def test_given_3_9_before_2023_then_the_upcoming_change_is_must_on_2023_01_01():
    upcoming = rules.upcoming_changes(NINE, D(2022, 6, 1))

    assert upcoming == [(D(2023, 1, 1), "must")]
    assert rules.describe_level_change(*upcoming[0]) == "becomes Must on 2023-01-01"


def test_given_3_9_from_2023_then_no_change_is_ahead():
    assert rules.upcoming_changes(NINE, D(2023, 1, 1)) == []


def test_given_a_period_that_ends_then_the_end_is_an_upcoming_change():
    periods = (Period("should", D(2020, 1, 1), D(2030, 6, 30)),)

    assert rules.upcoming_changes(periods, D(2025, 1, 1)) == [(D(2030, 7, 1), None)]
    assert rules.describe_level_change(D(2030, 7, 1), None) == "no longer applies from 2030-07-01"


def test_given_a_period_ending_on_the_last_representable_day_then_no_overflow():
    periods = (Period("must", D(2020, 1, 1), dt.date.max),)

    assert rules.upcoming_changes(periods, D(2020, 1, 1)) == []


@pytest.mark.parametrize(
    ("periods", "fragment"),
    [
        pytest.param((), "at least one", id="none"),
        pytest.param(
            (Period("should", D(2021, 1, 1), D(2020, 1, 1)),), "before it starts", id="reversed"
        ),
        pytest.param(
            (Period("should", D(2020, 1, 1)), Period("must", D(2023, 1, 1))),
            "overlaps",
            id="open-then-next",
        ),
        pytest.param(
            (Period("should", D(2020, 1, 1), D(2023, 1, 1)), Period("must", D(2023, 1, 1))),
            "overlaps",
            id="same-day",
        ),
        pytest.param((Period("may", D(2020, 1, 1)),), "not a level", id="bad-level"),
        pytest.param((Period("must", D(1999, 1, 1)),), "out of range", id="before-ctpat"),
    ],
)
def test_given_bad_periods_then_problems_are_named(periods, fragment):
    problems = rules.period_problems(periods)

    assert any(fragment in p for p in problems), problems


def test_given_3_9_periods_then_no_problems():
    assert rules.period_problems(NINE) == []


def test_given_a_should_when_upgraded_to_must_from_a_date_then_should_ends_the_day_before():
    periods = (Period("should", D(2020, 1, 1)),)

    after = rules.periods_with_level_from(periods, "must", D(2023, 1, 1))

    assert after == NINE


def test_given_an_upgrade_before_the_first_period_then_it_replaces_every_period():
    after = rules.periods_with_level_from(NINE, "must", D(2019, 6, 1))

    assert after == (Period("must", D(2019, 6, 1)),)


def test_given_the_same_level_again_from_a_later_date_then_periods_merge():
    periods = (Period("should", D(2020, 1, 1)),)

    assert rules.periods_with_level_from(periods, "should", D(2024, 1, 1)) == periods


def test_given_must_again_from_a_later_date_then_the_earlier_must_stands():
    assert rules.periods_with_level_from(NINE, "must", D(2024, 1, 1)) == NINE


def test_given_a_must_postponed_then_should_runs_until_the_new_date():
    postponed = rules.periods_with_level_from(NINE, "should", D(2023, 1, 1))
    postponed = rules.periods_with_level_from(postponed, "must", D(2024, 1, 1))

    assert postponed == (
        Period("should", D(2020, 1, 1), D(2023, 12, 31)),
        Period("must", D(2024, 1, 1)),
    )


# --- Criterion IDs -------------------------------------------------------------------------


def test_given_ids_when_sorted_then_3_10_comes_after_3_9():
    ids = ["10.1", "3.10", "3.9", "4.2", "3.1", "12.10", "12.9"]
    expected = ["3.1", "3.9", "3.10", "4.2", "10.1", "12.9", "12.10"]

    assert sorted(ids, key=rules.msc_sort_key) == expected
    assert sorted(ids, key=rules.msc_sort_text) == expected


@pytest.mark.parametrize(
    ("msc_id", "category", "ok"),
    [
        ("3.9", 3, True),
        ("3.10", None, True),
        ("5.9.1", 5, True),
        ("3.09", 3, False),
        ("3", 3, False),
        ("a.b", None, False),
        ("4.1", 3, False),
        ("", None, False),
        ("3.9 ", 3, False),
    ],
)
def test_criterion_id_format(msc_id, category, ok):
    assert (rules.msc_id_problem(msc_id, category) is None) is ok


def test_given_a_criterion_listed_for_importers_then_it_applies_only_to_them():
    criterion = snap(entity_types=("importer", "exporter"))

    assert rules.applies_to(criterion, "importer")
    assert rules.applies_to(criterion, "exporter")
    assert not rules.applies_to(criterion, "sea_carrier")


# --- Differences between versions ---------------------------------------------------------


def test_given_identical_versions_then_no_changes():
    assert rules.changes_between([snap()], [snap()]) == []


def test_given_a_new_criterion_then_added_with_its_start():
    new = snap("11.5", "Code of conduct.", (Period("must", D(2020, 1, 1)),))

    (change,) = rules.changes_between([snap()], [snap(), new])

    assert change.kind == "added" and change.msc_id == "11.5"
    assert change.effective_from == D(2020, 1, 1)
    assert change.entity_types == ("importer",)
    assert change.after["text"] == "Code of conduct."


def test_given_a_dropped_criterion_then_removed():
    (change,) = rules.changes_between([snap(), snap("7.37")], [snap()])

    assert (change.kind, change.msc_id) == ("removed", "7.37")


def test_given_new_wording_then_reworded_with_both_texts():
    (change,) = rules.changes_between([snap()], [snap(text="New wording.")])

    assert change.kind == "reworded"
    assert change.before == {"text": "Social compliance program."}
    assert change.after == {"text": "New wording."}
    assert change.effective_from is None


def test_given_should_upgraded_to_must_then_upgraded_with_the_effective_date():
    old = snap(periods=(Period("should", D(2020, 1, 1)),))

    (change,) = rules.changes_between([old], [snap()])

    assert change.kind == "upgraded"
    assert change.effective_from == D(2023, 1, 1)
    assert (change.before, change.after) == ({"level": "should"}, {"level": "must"})
    assert "Must from 2023-01-01" in change.summary


def test_given_must_downgraded_then_downgraded():
    old = snap(periods=(Period("must", D(2020, 1, 1)),))
    new = snap(
        periods=(Period("must", D(2020, 1, 1), D(2025, 12, 31)), Period("should", D(2026, 1, 1)))
    )

    (change,) = rules.changes_between([old], [new])

    assert (change.kind, change.effective_from) == ("downgraded", D(2026, 1, 1))


def test_given_a_reworded_and_upgraded_criterion_then_both_changes_in_order():
    old = snap(periods=(Period("should", D(2020, 1, 1)),))

    kinds = [c.kind for c in rules.changes_between([old], [snap(text="Reworded.")])]

    assert kinds == ["reworded", "upgraded"]


def test_given_same_levels_split_differently_then_no_change():
    old = snap(periods=(Period("must", D(2020, 1, 1)),))
    new = snap(
        periods=(Period("must", D(2020, 1, 1), D(2022, 12, 31)), Period("must", D(2023, 1, 1)))
    )

    assert rules.changes_between([old], [new]) == []


def test_given_new_entity_type_then_member_facing_update_for_both_types():
    (change,) = rules.changes_between([snap()], [snap(entity_types=("importer", "exporter"))])

    assert change.kind == "updated" and change.member_facing
    assert change.entity_types == ("exporter", "importer")
    assert rules.affected_entity_types([change]) == {"exporter", "importer"}


def test_given_only_a_source_correction_then_editorial_and_nobody_affected():
    (change,) = rules.changes_between([snap()], [snap(source="CBP PDF p. 12")])

    assert change.kind == "updated" and not change.member_facing
    assert rules.affected_entity_types([change]) == set()


def test_changes_are_listed_in_criterion_id_order():
    old = [snap("3.10"), snap("3.9")]
    new = [snap("3.10", text="x"), snap("3.9", text="y"), snap("3.2")]

    assert [c.msc_id for c in rules.changes_between(old, new)] == ["3.2", "3.9", "3.10"]
