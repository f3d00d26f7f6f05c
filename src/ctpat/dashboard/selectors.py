"""What needs attention, per role. Reads only through the partners selectors (tenant isolation);
every date comparison (open, due soon, overdue) is a rule of ``partners.rules``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from ctpat.partners import conf as partner_conf
from ctpat.partners import rules
from ctpat.partners import selectors as partner_selectors
from ctpat.partners.choices import MembershipStatus, SVIStatus
from ctpat.partners.models import Partner

# How far ahead the CBP dashboard looks for (re)validations coming due (a rule's constant).
VALIDATION_HORIZON_DAYS = rules.VALIDATION_HORIZON_DAYS
# Rows per dashboard list; the counts always cover everything.
LIST_LIMIT = 15

MEMBER_STATUSES = tuple(rules.TIER_BY_STATUS)


@dataclass
class PartnerOverview:
    partner: Partner
    tier: int | None
    certification_date: dt.date | None
    anniversary: dt.date | None = None
    review_opens: dt.date | None = None
    review_open: bool = False
    days_to_window: int | None = None
    validation_due: dt.date | None = None
    validation_label: str = ""
    validation_days: int | None = None
    validation_urgency: str = ""
    validation_due_soon_label: str = f"Due within {VALIDATION_HORIZON_DAYS} days"
    missing: rules.Decision | None = None
    incoming: list = field(default_factory=list)
    outgoing: list = field(default_factory=list)
    connected_count: int = 0
    # Suspended: the deadline to answer the suspension letter; withdrawn: when it may reapply.
    response_deadline: dt.date | None = None
    response_days_left: int | None = None
    reapply_on: dt.date | None = None
    reapply: dict | None = None


def partner_overview(*, viewer, today: dt.date) -> PartnerOverview | None:
    """The viewer's own company: membership clock, identifiers and SVI requests."""
    partner = partner_selectors.partner_for_user(viewer)
    if partner is None:
        return None
    overview = PartnerOverview(
        partner=partner, tier=partner.tier, certification_date=partner.certification_date
    )
    if partner.tier is not None and partner.certification_date:
        opens, closes = rules.review_window(partner.certification_date, today)
        overview.anniversary, overview.review_opens = closes, opens
        overview.review_open = rules.review_window_is_open(partner.certification_date, today)
        overview.days_to_window = rules.days_until(opens, today)
    if partner.tier is not None:
        upcoming = rules.next_validation(
            last_validation_date=partner.last_validation_date,
            certification_date=partner.certification_date,
        )
        if upcoming:
            due = rules.clock(upcoming.due, today, due_soon_days=VALIDATION_HORIZON_DAYS)
            overview.validation_due = upcoming.due
            overview.validation_label = (
                "Revalidation due" if upcoming.kind == "Revalidation" else "First validation target"
            )
            overview.validation_days = due.days_left
            overview.validation_urgency = due.urgency.value
    if partner.status == "suspended" and partner.suspended_on:
        overview.response_deadline = partner_conf.response_deadline(partner.suspended_on)
        overview.response_days_left = rules.days_until(overview.response_deadline, today)
    # The wait of the company's own exit ground (voluntary withdrawal, removal, …), configured.
    overview.reapply = partner_conf.reapply_outlook(partner)
    if overview.reapply:
        overview.reapply_on = overview.reapply["earliest"]
    kinds = (
        partner_selectors.identifier_list(viewer=viewer, partner=partner)
        .filter(is_active=True)
        .values_list("kind", flat=True)
    )
    overview.missing = rules.missing_identifiers(partner.entity_type, set(kinds))
    connections = list(partner_selectors.svi_connection_list(viewer=viewer, partner=partner))
    overview.incoming = [
        c for c in connections if c.target_id == partner.pk and c.status == SVIStatus.PENDING
    ]
    overview.outgoing = [
        c for c in connections if c.requester_id == partner.pk and c.status == SVIStatus.PENDING
    ]
    overview.connected_count = sum(c.status == SVIStatus.ACCEPTED for c in connections)
    return overview


@dataclass
class Queue:
    """One dashboard list: every matching row is counted, the first LIST_LIMIT are shown."""

    rows: list
    count: int

    @classmethod
    def of(cls, rows: list, count: int | None = None) -> Queue:
        return cls(rows=rows[:LIST_LIMIT], count=len(rows) if count is None else count)


@dataclass
class _MemberDates:
    pk: int
    last_validation_date: dt.date | None
    certification_date: dt.date | None


@dataclass
class CbpOverview:
    applicants: Queue
    suspensions: Queue
    validations: Queue
    review_windows: Queue
    status_counts: dict


def cbp_overview(*, viewer, today: dt.date) -> CbpOverview:
    """CBP work queues: applications, suspension clocks, validations due, open review windows."""
    partners = partner_selectors.partner_list(viewer=viewer)

    # Applicants and suspensions are listed in their clock's order (a fixed delay after the
    # date they are sorted by): the database counts them and returns only the rows shown.
    waiting = partners.filter(status=MembershipStatus.APPLICANT).order_by("applied_on", "pk")
    applicants = []
    for p in waiting[:LIST_LIMIT]:
        applied = p.applied_on or (p.status_changed_at.date() if p.status_changed_at else today)
        deadline = rules.clock(
            rules.applicant_review_deadline(applied),
            today,
            due_soon_days=rules.APPLICANT_REVIEW_DUE_SOON_DAYS,
        )
        applicants.append(
            {
                "partner": p,
                "applied_on": applied,
                "days_waiting": -rules.days_until(applied, today),
                "deadline": deadline.due,
                "days_left": deadline.days_left,
                "urgency": deadline.urgency.value,
            }
        )

    suspended_partners = partners.filter(status=MembershipStatus.SUSPENDED).order_by(
        "suspended_on", "pk"
    )
    suspensions = []
    for p in suspended_partners[:LIST_LIMIT]:
        suspended = p.suspended_on or today
        deadline = rules.clock(partner_conf.response_deadline(suspended), today, due_soon_days=0)
        suspensions.append(
            {
                "partner": p,
                "suspended_on": suspended,
                "deadline": deadline.due,
                "days_left": deadline.days_left,
                "overdue": deadline.overdue,
            }
        )

    # The validation and review-window clocks are rules over two dates: read only those dates
    # for every member, then load the partners of the rows shown.
    validations, review_windows = [], []
    members = partners.filter(status__in=MEMBER_STATUSES)
    dates = members.values_list("pk", "last_validation_date", "certification_date")
    for p in (_MemberDates(*row) for row in dates.iterator(chunk_size=5000)):
        upcoming = rules.next_validation(
            last_validation_date=p.last_validation_date, certification_date=p.certification_date
        )
        due = upcoming and rules.clock(upcoming.due, today, due_soon_days=VALIDATION_HORIZON_DAYS)
        if due and due.urgency is not rules.Urgency.LATER:
            validations.append(
                {
                    "partner": p,
                    "due": due.due,
                    "kind": upcoming.kind,
                    "days_left": due.days_left,
                    "overdue": due.overdue,
                }
            )
        if p.certification_date and rules.review_window_is_open(p.certification_date, today):
            anniversary = rules.anniversary_date(p.certification_date, today)
            review_windows.append(
                {
                    "partner": p,
                    "anniversary": anniversary,
                    "days_left": rules.days_until(anniversary, today),
                }
            )
    validations.sort(key=lambda r: r["due"])
    review_windows.sort(key=lambda r: r["anniversary"])
    shown = {r["partner"].pk for r in validations[:LIST_LIMIT] + review_windows[:LIST_LIMIT]}
    loaded = partners.in_bulk(shown)
    for row in validations[:LIST_LIMIT] + review_windows[:LIST_LIMIT]:
        row["partner"] = loaded[row["partner"].pk]

    counts = {
        row["status"]: row["n"]
        for row in partners.order_by().values("status").annotate(n=Count("pk", distinct=True))
    }
    status_counts = {
        "counts": [
            (value, label, counts.get(value, 0)) for value, label in MembershipStatus.choices
        ],
        "total": sum(counts.values()),
    }
    return CbpOverview(
        applicants=Queue.of(applicants, count=waiting.count()),
        suspensions=Queue.of(suspensions, count=suspended_partners.count()),
        validations=Queue.of(validations),
        review_windows=Queue.of(review_windows),
        status_counts=status_counts,
    )
