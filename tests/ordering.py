"""The suite passes in any order: migration-seeded rows survive transactional tests, and the
order can be reversed or shuffled on demand to prove it.

* Data migrations seed reference rows (the criteria catalogue, the Trade Compliance
  questionnaire, the account-number sequence, their audit events). A transactional test
  (``django_db(transaction=True)``, ``live_server``) ends with a flush that empties every table,
  so a test run after it would find no catalogue. pytest-django hides this by running
  transactional tests last; a shuffled order does not. So the rows of ctpat's own apps are
  snapshotted once after the test database is migrated, and put back after every
  transactional test. Django's ``serialized_rollback`` reloads only at the *start* of the
  next transactional test, not before an ordinary one, so it is not enough on its own.
* ``CTPAT_TEST_ORDER=reverse`` runs the tests in reverse; ``CTPAT_TEST_ORDER=shuffle`` (seed
  ``CTPAT_TEST_SEED``, default a random one, printed in the header) shuffles them. With xdist
  every worker collects the same order from the same seed. No plugin is needed for this, so
  none is added (pytest-randomly would also reseed ``random`` and Faker, which we do not want).
"""

from __future__ import annotations

import os
import random

import pytest

ORDER_ENV = "CTPAT_TEST_ORDER"
SEED_ENV = "CTPAT_TEST_SEED"
_seed_key = pytest.StashKey[int]()
_snapshot_key = pytest.StashKey[dict]()


# ---------------------------------------------------------------- order on demand
def _order(config) -> tuple[str, int | None]:
    order = os.environ.get(ORDER_ENV, "").strip().lower() or "default"
    if order not in {"default", "reverse", "shuffle"}:
        raise pytest.UsageError(f"{ORDER_ENV} must be default, reverse or shuffle, not {order!r}")
    if order != "shuffle":
        return order, None
    if _seed_key not in config.stash:
        raw = os.environ.get(SEED_ENV, "").strip()
        config.stash[_seed_key] = int(raw) if raw else random.SystemRandom().randrange(10**6)
    return order, config.stash[_seed_key]


def reorder(items: list, order: str, seed: int | None) -> None:
    """Reverse or shuffle ``items`` in place (the same seed always gives the same order)."""
    if order == "reverse":
        items.reverse()
    elif order == "shuffle":
        items.sort(key=lambda item: item.nodeid)  # the same start on every xdist worker
        random.Random(seed).shuffle(items)


def pytest_report_header(config):
    order, seed = _order(config)
    if order == "shuffle":
        return f"test order: shuffled with {SEED_ENV}={seed} (repeat with the same value)"
    return f"test order: {order}" if order != "default" else None


@pytest.hookimpl(trylast=True)  # after pytest-django's own sort (transactional tests last)
def pytest_collection_modifyitems(config, items):
    order, seed = _order(config)
    reorder(items, order, seed)


# ---------------------------------------------------------------- seeded rows survive flushes
def _seeded_models():
    from django.apps import apps

    for app_config in apps.get_app_configs():
        if app_config.name.startswith("ctpat."):
            yield from app_config.get_models()


def _snapshot() -> dict[str, str]:
    """ctpat's rows right after migrating, per database alias, as Django fixture JSON."""
    from django.core import serializers
    from django.db import connections

    snapshot = {}
    for alias in connections:
        objects = []
        for model in _seeded_models():
            objects.extend(model._base_manager.using(alias).order_by("pk"))
        snapshot[alias] = serializers.serialize("json", objects)
    return snapshot


def _restore(snapshot: dict[str, str]) -> None:
    from django.core.management.color import no_style
    from django.db import connections

    models = list(_seeded_models())
    for alias, data in snapshot.items():
        connection = connections[alias]
        # Django's own loader for serialized_rollback: one transaction, FK checks deferred.
        connection.creation.deserialize_db_from_string(data)
        # Rows come back with their ids; as loaddata does, move each id sequence past them, in
        # case a flush restarted it (PostgreSQL: TRUNCATE ... RESTART IDENTITY).
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    with django_db_blocker.unblock():
        request.config.stash[_snapshot_key] = _snapshot()
    return django_db_setup


def is_transactional(item) -> bool:
    """Does this test end with a flush (pytest-django's own test for it)?"""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker and validate_django_db(marker)[0]:
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's fixtures are torn down: the flush has happened
    snapshot = item.config.stash.get(_snapshot_key, None)
    if snapshot and is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore(snapshot)
    return result
