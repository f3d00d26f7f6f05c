"""The demo's criteria history: version 2 on top of the shipped catalog, members told."""

from __future__ import annotations

import pytest

from ctpat.criteria import selectors


@pytest.mark.django_db
def test_demo_publishes_a_second_version_that_upgrades_2_2_and_keeps_3_9s_history():
    from ctpat.demo.seed import load_demo

    assert load_demo()

    current = selectors.current_version()
    assert current.number == 2 and "made up" in current.label
    changes = selectors.version_changes(current)
    assert [c.msc_id for c in changes] == ["2.2"]
    levels = {c.msc_id: c for c in selectors.snapshots(current)}
    assert [p.level for p in levels["3.9"].periods] == ["should", "must"]
    assert [p.level for p in levels["2.2"].periods] == ["should", "must"]


@pytest.mark.django_db
def test_demo_importers_are_told_about_the_demo_upgrade():
    from ctpat.demo.seed import load_demo
    from ctpat.notifications.models import Notification

    load_demo()

    told = Notification.objects.filter(
        recipient__username="harbor.officer", title__icontains="criteria"
    )
    assert told.exists()
