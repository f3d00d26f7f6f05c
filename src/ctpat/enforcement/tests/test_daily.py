"""The daily appeal reminder job: once per day, through the worker's task or the command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from ctpat.enforcement import selectors, services, tasks
from ctpat.notifications.models import Notification

from .factories import suspended_member

pytestmark = pytest.mark.django_db


def _appeal():
    partner, officer, _ = suspended_member()
    change = selectors.current_decision(partner, today=partner.suspended_on).change
    return services.appeal_file(actor=officer, partner=partner, change=change, grounds="x")


def test_the_daily_run_reminds_once_and_records_the_day(cbp_admin):
    appeal = _appeal()
    day = appeal.decision_due - timedelta(days=30)

    first = tasks.run_daily(day)
    again = tasks.run_daily(day)

    assert first["reminders"] == 1 and again is None
    assert selectors.daily_run_for(day) is not None
    assert Notification.objects.filter(kind="enforcement.appeal_reminder").count() == 1


def test_the_command_runs_the_same_job_idempotently(cbp_admin):
    appeal = _appeal()
    day = (appeal.decision_due - timedelta(days=7)).isoformat()
    out = StringIO()
    call_command("appeal_reminders", "--date", day, stdout=out)
    call_command("appeal_reminders", "--date", day, stdout=StringIO())
    assert "1 reminder(s) sent" in out.getvalue()
    assert Notification.objects.filter(kind="enforcement.appeal_reminder").count() == 1


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date must look like"):
        call_command("appeal_reminders", "--date", "tomorrow")


def test_the_worker_queues_todays_run_once(cbp_admin):
    from django.utils import timezone

    _appeal()
    assert tasks.schedule_daily() is True
    tasks.run_daily(timezone.localdate())
    assert tasks.schedule_daily() is False
