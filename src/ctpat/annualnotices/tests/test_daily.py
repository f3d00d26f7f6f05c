"""The daily job: `ctpat worker` queues it once per day (keyed by date), the management command
runs it for cron; both idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ctpat.annualnotices import tasks
from ctpat.annualnotices.models import AnlDailyRun
from ctpat.notifications.models import Notification
from ctpat.notifications.testing import run_worker

from .factories import accepted_for_due_in, make_member

TASK_PATH = "ctpat.annualnotices.tasks.anl_daily"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_todays_reminders_once_and_queues_tomorrow():
    today = timezone.localdate()
    _, officer = make_member(accepted_on=accepted_for_due_in(30, today))
    run_worker()
    assert Notification.objects.filter(recipient=officer, kind="anl.reminder").count() == 1
    assert AnlDailyRun.objects.get(day=today).summary["reminders"] == 1
    queued = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
    assert [t.args_kwargs["args"] for t in queued] == [[(today + dt.timedelta(days=1)).isoformat()]]
    assert queued.get().run_after.date() == today + dt.timedelta(days=1)
    # A restarted worker does not run the day again, nor start a second chain.
    run_worker()
    assert Notification.objects.filter(recipient=officer, kind="anl.reminder").count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1


@pytest.mark.django_db
def test_a_day_already_run_is_skipped():
    today = timezone.localdate()
    assert tasks.run_daily(today) is not None
    assert tasks.run_daily(today) is None
    assert tasks.schedule_daily(today=today) is False


@pytest.mark.django_db
def test_the_management_command_runs_the_job(capsys):
    today = timezone.localdate()
    _, officer = make_member(accepted_on=accepted_for_due_in(7, today))
    call_command("anl_reminders")
    call_command("anl_reminders", "--date", today.isoformat())
    assert Notification.objects.filter(recipient=officer, kind="anl.reminder").count() == 1
    assert "1 reminder(s)" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_failed_day_still_queues_tomorrow(settings):
    today = timezone.localdate()
    settings.CTPAT_ANL_REMINDER_DAYS = "60,thirty"  # a settings mistake: today's run fails
    run_worker()
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="FAILED").count() == 1
    assert not AnlDailyRun.objects.exists()
    queued = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert queued.args_kwargs["args"] == [(today + dt.timedelta(days=1)).isoformat()]


@pytest.mark.django_db(transaction=True)
def test_a_run_picked_up_after_its_day_does_todays_work():
    today = timezone.localdate()
    # Due 40 days ago: past the grace period, so today's run starts the suspension path.
    membership, _ = make_member(accepted_on=accepted_for_due_in(-40, today))
    tasks.anl_daily.enqueue((today - dt.timedelta(days=3)).isoformat())  # the worker was down
    run_worker()
    assert list(AnlDailyRun.objects.values_list("day", flat=True)) == [today]
    membership.refresh_from_db()
    assert membership.status == "suspended" and membership.suspended_on == today
    queued = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
    assert [t.args_kwargs["args"] for t in queued] == [[(today + dt.timedelta(days=1)).isoformat()]]
