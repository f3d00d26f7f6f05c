"""Reads for Annual Notification Letters: restricted querysets and each membership's schedule.

A membership's schedule is computed from its acceptance date (``rules``) and the letters on
file; nothing about due dates is stored except on a letter itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from ctpat.accounts import roles
from ctpat.accounts.choices import Role
from ctpat.core.errors import NotFoundError
from ctpat.notifications.models import Notification
from ctpat.tradecompliance.choices import MembershipOrigin, MembershipStatus
from ctpat.tradecompliance.models import TradeComplianceMembership

from . import conf, rules
from .choices import LetterStatus
from .models import AnlDailyRun, AnnualNotificationLetter, PilotImport

REMINDER_KIND = "anl.reminder"
OVERDUE_KIND = "anl.overdue"
SUSPENSION_KIND = "anl.suspension"
REVIEW_KIND = "anl.review"
NOTIFICATION_KINDS = (REMINDER_KIND, OVERDUE_KIND, SUSPENSION_KIND, REVIEW_KIND)
# Memberships whose letters are no longer asked for.
ENDED_STATUSES = (MembershipStatus.REMOVED, MembershipStatus.WITHDRAWN)


def tracked_from(membership: TradeComplianceMembership) -> dt.date:
    """From when ctpat tracks the member's letters: acceptance, or (for a pilot participant
    migrated later) the day it was migrated — earlier letters were filed in the legacy system."""
    if membership.origin == MembershipOrigin.PILOT_MIGRATION:
        # The local day it was migrated (created_at is UTC): the same "today" as the job's.
        return max(membership.accepted_on, timezone.localdate(membership.created_at))
    return membership.accepted_on


@dataclass
class Period:
    period: int
    due_on: dt.date
    status: str
    letter: AnnualNotificationLetter | None = None

    @property
    def status_label(self) -> str:
        from .choices import PeriodStatus

        return PeriodStatus(self.status).label


@dataclass
class MembershipSchedule:
    """A membership's ANL schedule today: the period to act on, and the letters so far."""

    membership: TradeComplianceMembership
    schedule: rules.Schedule
    today: dt.date
    first_period: int
    current: Period
    history: list[Period] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.membership.status in ENDED_STATUSES

    @property
    def filing_open(self) -> bool:
        return not self.ended and rules.may_file(self.current.due_on, self.today, self.schedule)

    @property
    def filing_opens_on(self) -> dt.date:
        return rules.filing_opens_on(self.current.due_on, self.schedule)

    @property
    def days_left(self) -> int:
        return (self.current.due_on - self.today).days

    @property
    def grace_ends_on(self) -> dt.date:
        return rules.grace_ends_on(self.current.due_on, self.schedule)

    @property
    def returned(self) -> Period | None:
        """The oldest letter CBP returned for corrections (it counts as filed for the schedule,
        so ``current`` has moved past it; the company still corrects and files it again)."""
        if self.ended:
            return None
        periods = [p for p in self.history if p.letter and p.letter.status == LetterStatus.RETURNED]
        return periods[-1] if periods else None

    @property
    def to_file(self) -> Period:
        """The letter the company's filing form works on: a returned one first, else current."""
        return self.returned or self.current


def membership_schedule(
    membership: TradeComplianceMembership,
    *,
    today: dt.date,
    schedule: rules.Schedule | None = None,
    letters: list[AnnualNotificationLetter] | None = None,
) -> MembershipSchedule:
    """The current period is the first tracked one without a filed letter (overdue periods stay
    current until filed); the history is every period with a letter, newest first."""
    schedule = schedule or conf.schedule()
    if letters is None:
        letters = list(membership.annual_letters.all())
    by_period = {letter.period: letter for letter in letters}
    first = rules.first_tracked_period(membership.accepted_on, tracked_from(membership), schedule)
    period = first
    while by_period.get(period) is not None and by_period[period].first_filed_on is not None:
        period += 1
    letter = by_period.get(period)
    due_on = rules.due_date(membership.accepted_on, period, schedule)
    current = Period(period, due_on, rules.period_status(due_on, today, None, schedule), letter)
    history = [
        Period(
            letter.period,
            letter.due_on,
            rules.period_status(letter.due_on, today, letter.first_filed_on, schedule),
            letter,
        )
        for letter in sorted(letters, key=lambda item: -item.period)
    ]
    return MembershipSchedule(membership, schedule, today, first, current, history)


def membership_list(*, viewer):
    return (
        TradeComplianceMembership.objects.restrict(viewer, "view")
        .select_related("partner__organization", "forced_labor_obligation")
        .prefetch_related("annual_letters")
        .order_by("account_number")
    )


def membership_get(*, viewer, public_id: str) -> TradeComplianceMembership:
    membership = membership_list(viewer=viewer).filter(public_id=public_id).first()
    if membership is None:
        raise NotFoundError("No such Trade Compliance membership.")
    return membership


def membership_for_user(user) -> TradeComplianceMembership | None:
    if not getattr(user, "organization_id", None):
        return None
    return (
        TradeComplianceMembership.objects.restrict(user, "view")
        .filter(partner__organization_id=user.organization_id)
        .select_related("partner")
        .first()
    )


def schedules_overview(
    *, viewer, today: dt.date, status: str = "", query: str = "", forced_labor: str = ""
):
    """Every visible membership's schedule (CBP: all), optionally filtered by the current
    period's status, ``suspended`` (membership status), a name / account number search or the
    forced-labor status (open / overdue / met: ``tradecompliance.selectors``)."""
    from ctpat.tradecompliance import selectors as tc_selectors

    schedule = conf.schedule()
    memberships = membership_list(viewer=viewer)
    if forced_labor:
        memberships = tc_selectors.forced_labor_filter(memberships, forced_labor, today=today)
    if query:
        from django.db.models import Q

        memberships = memberships.filter(
            Q(partner__organization__name__icontains=query) | Q(account_number__icontains=query)
        )
    rows = []
    for membership in memberships:
        item = membership_schedule(
            membership,
            today=today,
            schedule=schedule,
            letters=list(membership.annual_letters.all()),
        )
        rows.append(item)
    if status == "suspended":
        rows = [r for r in rows if r.membership.status == MembershipStatus.SUSPENDED]
    elif status in ("filed_on_time", "filed_late"):
        rows = [r for r in rows if r.history and _latest_filed_status(r) == status]
    elif status:
        rows = [r for r in rows if not r.ended and r.current.status == status]
    return rows


def _latest_filed_status(item: MembershipSchedule) -> str:
    filed = [p for p in item.history if p.letter and p.letter.first_filed_on]
    return filed[0].status if filed else ""


def latest_filed(item: MembershipSchedule) -> Period | None:
    filed = [p for p in item.history if p.letter and p.letter.first_filed_on]
    return filed[0] if filed else None


def status_counts(*, viewer, today: dt.date) -> dict[str, int]:
    rows = schedules_overview(viewer=viewer, today=today)
    counts = {"due_soon": 0, "overdue": 0, "upcoming": 0, "suspended": 0, "total": len(rows)}
    for row in rows:
        if row.membership.status == MembershipStatus.SUSPENDED:
            counts["suspended"] += 1
        if not row.ended and row.current.status in counts:
            counts[row.current.status] += 1
    return counts


def letter_list(*, viewer):
    return (
        AnnualNotificationLetter.objects.restrict(viewer, "view")
        .select_related("membership__partner__organization", "signed_by", "reviewed_by")
        .prefetch_related("changes")
        .order_by("-due_on", "membership__account_number")
    )


def letter_get(*, viewer, public_id: str) -> AnnualNotificationLetter:
    letter = letter_list(viewer=viewer).filter(public_id=public_id).first()
    if letter is None:
        raise NotFoundError("No such Annual Notification Letter.")
    return letter


def reminders_for(user, *, limit: int = 10):
    """The viewer's own ANL notifications (reminders, overdue, suspension, CBP's review)."""
    return Notification.objects.filter(recipient=user, kind__in=NOTIFICATION_KINDS).order_by(
        "-created_at"
    )[:limit]


def officers_of(partner):
    """The company officers who receive reminders (active users with the officer role)."""
    from ctpat.accounts.models import User

    return list(
        User.objects.filter(
            organization_id=partner.organization_id, role=Role.PARTNER_OFFICER, is_active=True
        ).order_by("pk")
    )


def pilot_import_list(*, viewer):
    return PilotImport.objects.restrict(viewer, "view").select_related("uploaded_by")


def pilot_import_get(*, viewer, public_id: str) -> PilotImport:
    item = pilot_import_list(viewer=viewer).filter(public_id=public_id).first()
    if item is None:
        raise NotFoundError("No such pilot import.")
    return item


def daily_run_for(day: dt.date) -> AnlDailyRun | None:
    return AnlDailyRun.objects.filter(day=day).first()


def can_review(user) -> bool:
    return roles.has_perm(user, "anl.review")
