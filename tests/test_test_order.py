"""The suite passes in any order: the seeded rows come back after a flush, and the order hook
reverses and shuffles reproducibly (CI runs one shuffled pass, `.ci/run`)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests import ordering


class _Item:
    def __init__(self, nodeid):
        self.nodeid = nodeid


def _ids(items):
    return [i.nodeid for i in items]


def test_reverse_runs_the_tests_backwards():
    items = [_Item(n) for n in "abc"]
    ordering.reorder(items, "reverse", None)
    assert _ids(items) == ["c", "b", "a"]


def test_a_shuffle_is_repeatable_from_its_seed_whatever_the_collection_order():
    names = [f"t{i}" for i in range(30)]
    first = [_Item(n) for n in names]
    second = [_Item(n) for n in reversed(names)]  # another worker may collect differently
    ordering.reorder(first, "shuffle", 1234)
    ordering.reorder(second, "shuffle", 1234)
    assert _ids(first) == _ids(second)
    assert sorted(_ids(first)) == sorted(names) and _ids(first) != names
    other = [_Item(n) for n in names]
    ordering.reorder(other, "shuffle", 4321)
    assert _ids(other) != _ids(first)


def test_the_default_order_is_left_alone():
    items = [_Item(n) for n in "bca"]
    ordering.reorder(items, "default", None)
    assert _ids(items) == ["b", "c", "a"]


def test_transactional_tests_are_recognised(request):
    assert not ordering.is_transactional(request.node)


@pytest.mark.django_db(transaction=True)
def test_a_flush_loses_the_seeded_rows_and_the_snapshot_puts_them_back(request, django_db_blocker):
    from ctpat.criteria.models import Criterion
    from ctpat.tradecompliance.models import AccountNumberSequence, Question

    assert ordering.is_transactional(request.node)
    before = (Criterion.objects.count(), Question.objects.count())
    assert before[0] > 0 and before[1] > 0 and AccountNumberSequence.objects.exists()
    # Given the flush every transactional test ends with,
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    assert Criterion.objects.count() == 0 and Question.objects.count() == 0
    # when the snapshot taken after migrating is restored, then the rows are back.
    ordering._restore(request.config.stash[ordering._snapshot_key])
    assert (Criterion.objects.count(), Question.objects.count()) == before
    assert AccountNumberSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rows_made_after_a_restore_get_fresh_ids_even_if_the_flush_restarted_sequences(request):
    from ctpat.core.models import AuditEvent
    from ctpat.testing import make_organization

    # A flush that restarts the id sequences (PostgreSQL's TRUNCATE ... RESTART IDENTITY),
    call_command("flush", interactive=False, verbosity=0, reset_sequences=True)
    ordering._restore(request.config.stash[ordering._snapshot_key])
    seeded_events = AuditEvent.objects.count()
    assert seeded_events

    # then new rows (an organization and its audit event) do not collide with restored ones.
    make_organization("partner", name="After Restore Co")
    assert AuditEvent.objects.count() > seeded_events
