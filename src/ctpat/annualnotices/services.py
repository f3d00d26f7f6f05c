"""Writes for Annual Notification Letters. Each is one transaction with its audit events.

* ``anl_letter_save_draft`` — the member's users save a draft of a period's letter.
* ``anl_letter_file`` — a company officer signs (typed name) and files it; filing twice is a
  conflict, and a removed or withdrawn membership files nothing.
* ``anl_letter_acknowledge`` / ``anl_letter_return`` — CBP (NAM or program admin) accepts a
  filed letter or returns it with reasons; the partner then files it again.
* ``anl_period_enforce`` — the reminder job's work for one membership on one day: the reminder
  due today, the overdue flag, and after the grace period the suspension path
  (``tradecompliance.services.membership_transition``). ``anl_reminders_send(today=...)`` runs
  it for every membership; both are idempotent.
* Pilot migration lives in ``pilot.py`` (it uses these habits too).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.services import audit_record, service, snapshot
from ctpat.notifications.models import Notification
from ctpat.notifications.services import notification_send
from ctpat.tradecompliance import rules as tc_rules
from ctpat.tradecompliance.choices import MembershipStatus
from ctpat.tradecompliance.models import TradeComplianceMembership
from ctpat.tradecompliance.services import membership_transition

from . import conf, rules, selectors
from .choices import ChangeType, LetterStatus
from .models import (
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    AnlDailyRun,
    AnnualNotificationLetter,
    OrganizationalChange,
)

logger = logging.getLogger(__name__)

LETTER_FIELDS = (
    "period",
    "due_on",
    "status",
    "certifies_compliance",
    "no_changes",
    "compliance_contact_name",
    "compliance_contact_email",
    "compliance_contact_phone",
    "officer_name",
    "officer_title",
    "officer_email",
    "signed_name",
    "signed_by",
    "signed_at",
    "first_filed_on",
    "filed_count",
    "review_note",
)
CONTENT_FIELDS = (
    "certifies_compliance",
    "no_changes",
    "compliance_contact_name",
    "compliance_contact_email",
    "compliance_contact_phone",
    "officer_name",
    "officer_title",
    "officer_email",
)
# How many changes one letter may list (a form and API guard, not a program rule).
MAX_CHANGES = 50


@dataclass(frozen=True)
class ChangeSpec:
    change_type: str
    description: str
    effective_on: dt.date


@dataclass(frozen=True)
class LetterContent:
    """What the partner writes in a letter (the signature is given when filing)."""

    certifies_compliance: bool = False
    no_changes: bool = False
    compliance_contact_name: str = ""
    compliance_contact_email: str = ""
    compliance_contact_phone: str = ""
    officer_name: str = ""
    officer_title: str = ""
    officer_email: str = ""
    changes: tuple[ChangeSpec, ...] = field(default_factory=tuple)


# --- Checks --------------------------------------------------------------------------------


def _is_own(actor, membership: TradeComplianceMembership) -> bool:
    return bool(getattr(actor, "organization_id", None)) and (
        actor.organization_id == membership.partner.organization_id
    )


def _require_own(actor, membership, perm: str, message: str) -> None:
    if not (roles.has_perm(actor, perm) and _is_own(actor, membership)):
        raise PermissionDeniedError(message)


def _require_not_ended(membership: TradeComplianceMembership) -> None:
    if membership.status in selectors.ENDED_STATUSES:
        raise ConflictError(
            f"The Trade Compliance membership {membership.account_number} is "
            f"{membership.get_status_display().lower()}: it files no more letters.",
            code="membership_ended",
        )


FIELD_LABELS = {
    "compliance_contact_name": "The compliance contact's name",
    "compliance_contact_email": "The compliance contact's e-mail",
    "compliance_contact_phone": "The compliance contact's phone",
    "officer_name": "The company officer's name",
    "officer_title": "The company officer's title",
    "officer_email": "The company officer's e-mail",
    "signed_name": "Your typed signature",
}
REQUIRED_FOR_FILING = (
    "compliance_contact_name",
    "compliance_contact_email",
    "officer_name",
    "officer_email",
)


def letter_problems(
    content: LetterContent, *, for_filing: bool, signed_name: str | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """The content's fields, trimmed, and every problem as field errors, all at once —
    the signature's too when filing, so a form never reveals one error after another."""
    from ctpat.core.textlimits import too_long_message

    errors: dict[str, list[str]] = {}
    data = {name: getattr(content, name) for name in CONTENT_FIELDS}
    for name in CONTENT_FIELDS:
        if isinstance(data[name], str):
            data[name] = data[name].strip()
            limit = PHONE_MAX_LENGTH if name == "compliance_contact_phone" else NAME_MAX_LENGTH
            if len(data[name]) > limit:
                errors[name] = [too_long_message(FIELD_LABELS[name], limit, len(data[name]))]
    data["certifies_compliance"] = bool(data["certifies_compliance"])
    data["no_changes"] = bool(data["no_changes"])
    for name in ("compliance_contact_email", "officer_email"):
        if data[name] and name not in errors:
            try:
                validate_email(data[name])
            except ValidationError:
                errors.setdefault(name, []).append(
                    f"{FIELD_LABELS[name]} is not a valid e-mail address."
                )
    changes = list(content.changes)
    if len(changes) > MAX_CHANGES:
        errors["changes"] = [f"A letter lists at most {MAX_CHANGES} changes."]
    for number, change in enumerate(changes, start=1):
        problems = []
        if change.change_type not in ChangeType.values:
            problems.append("the kind of change is required")
        if not (change.description or "").strip():
            problems.append("a description is required")
        elif len(change.description.strip()) > DESCRIPTION_MAX_LENGTH:
            problems.append(
                f"the description has {len(change.description.strip()):,} characters and at "
                f"most {DESCRIPTION_MAX_LENGTH:,} are allowed"
            )
        if not isinstance(change.effective_on, dt.date):
            problems.append("the date it took effect is required")
        if problems:
            errors.setdefault("changes", []).append(f"Change {number}: {'; '.join(problems)}.")
    if data["no_changes"] and changes:
        errors.setdefault("no_changes", []).append(
            "You listed changes and also said there were none: untick “no changes”, or remove "
            "the changes."
        )
    if for_filing:
        if not data["certifies_compliance"]:
            errors.setdefault("certifies_compliance", []).append(
                "The letter must certify the company's continued compliance."
            )
        if not data["no_changes"] and not changes:
            errors.setdefault("no_changes", []).append(
                "The organizational changes since the last letter are required, or a statement "
                "that there were none."
            )
        for name in REQUIRED_FOR_FILING:
            if not data[name] and name not in errors:
                errors.setdefault(name, []).append(f"{FIELD_LABELS[name]} is required.")
        signed = (signed_name or "").strip()
        if not signed:
            errors.setdefault("signed_name", []).append(
                "Your typed full name is required to sign the letter."
            )
        elif len(signed) > NAME_MAX_LENGTH:
            errors.setdefault("signed_name", []).append(
                too_long_message(FIELD_LABELS["signed_name"], NAME_MAX_LENGTH, len(signed))
            )
    return data, errors


def _clean_content(
    content: LetterContent, *, for_filing: bool, signed_name: str | None = None
) -> tuple[dict, list[ChangeSpec]]:
    """The content's fields, trimmed; every problem as field errors (all at once)."""
    data, errors = letter_problems(content, for_filing=for_filing, signed_name=signed_name)
    if errors:
        raise DomainError(
            "The letter is not complete: " + " ".join(m for ms in errors.values() for m in ms),
            code="invalid_letter",
            fields=errors,
        )
    changes = list(content.changes)
    return data, [ChangeSpec(c.change_type, c.description.strip(), c.effective_on) for c in changes]


def _check_period(membership, period: int, today: dt.date, schedule: rules.Schedule) -> None:
    item = selectors.membership_schedule(membership, today=today, schedule=schedule)
    if period < item.first_period:
        raise DomainError(
            "That period's letter was filed before the membership was tracked in ctpat.",
            code="period_not_tracked",
        )
    if period > item.current.period:
        raise DomainError(
            "File the earlier letter first: "
            f"the letter due {item.current.due_on.isoformat()} is not filed yet.",
            code="period_not_open",
        )
    due_on = rules.due_date(membership.accepted_on, period, schedule)
    if not rules.may_file(due_on, today, schedule):
        opens = rules.filing_opens_on(due_on, schedule)
        raise DomainError(
            f"The letter due {due_on.isoformat()} can be filed from {opens.isoformat()}.",
            code="period_not_open",
        )


def _letter_for_update(membership, period: int, schedule: rules.Schedule, actor):
    letter = (
        AnnualNotificationLetter.objects.select_for_update()
        .filter(membership=membership, period=period)
        .first()
    )
    if letter is None:
        letter = AnnualNotificationLetter(
            membership=membership,
            period=period,
            due_on=rules.due_date(membership.accepted_on, period, schedule),
        )
    return letter


def _write_content(letter: AnnualNotificationLetter, data: dict, changes: list[ChangeSpec]):
    for name, value in data.items():
        setattr(letter, name, value)
    letter.save()
    letter.changes.all().delete()
    for position, change in enumerate(changes):
        OrganizationalChange(
            letter=letter,
            position=position,
            change_type=change.change_type,
            description=change.description,
            effective_on=change.effective_on,
        ).save()


def _letter_snapshot(letter) -> dict:
    data = snapshot(letter, LETTER_FIELDS)
    data["changes"] = [
        {
            "change_type": c.change_type,
            "description": c.description,
            "effective_on": c.effective_on,
        }
        for c in letter.changes.all()
    ]
    return data


# --- Drafting and filing --------------------------------------------------------------------


@service
def anl_letter_save_draft(
    *, actor, membership: TradeComplianceMembership, period: int, content: LetterContent
) -> AnnualNotificationLetter:
    """Save the draft of ``membership``'s letter for ``period`` (complete or not)."""
    _require_own(actor, membership, "anl.own", "Only the member's own users write its letter.")
    membership = TradeComplianceMembership.objects.select_for_update().get(pk=membership.pk)
    _require_not_ended(membership)
    schedule = conf.schedule()
    _check_period(membership, period, timezone.localdate(), schedule)
    data, changes = _clean_content(content, for_filing=False)
    letter = _letter_for_update(membership, period, schedule, actor)
    if letter.pk and not letter.is_editable:
        raise ConflictError("This letter is filed; it can no longer be changed.", code="filed")
    before = _letter_snapshot(letter) if letter.pk else None
    _write_content(letter, data, changes)
    audit_record(
        actor=actor,
        action="anl.letter_draft",
        obj=letter,
        organization=membership.partner.organization,
        before=before,
        after=_letter_snapshot(letter),
    )
    return letter


@service
def anl_letter_file(
    *,
    actor,
    membership: TradeComplianceMembership,
    period: int,
    content: LetterContent,
    signed_name: str,
) -> AnnualNotificationLetter:
    """A company officer signs and files the letter: the content and signature as given."""
    _require_own(
        actor, membership, "anl.file", "Only a company officer of the member signs and files."
    )
    membership = TradeComplianceMembership.objects.select_for_update().get(pk=membership.pk)
    _require_not_ended(membership)
    schedule = conf.schedule()
    today = timezone.localdate()
    letter = _letter_for_update(membership, period, schedule, actor)
    if letter.pk and letter.is_filed:
        raise ConflictError(
            f"The letter due {letter.due_on.isoformat()} is already filed.", code="already_filed"
        )
    if not (letter.pk and letter.status == LetterStatus.RETURNED):
        _check_period(membership, period, today, schedule)
    data, changes = _clean_content(content, for_filing=True, signed_name=signed_name)
    signed_name = signed_name.strip()
    before = _letter_snapshot(letter) if letter.pk else None
    refiling = bool(before) and before["status"] == LetterStatus.RETURNED
    letter.status = LetterStatus.FILED
    letter.signed_name = signed_name
    letter.signed_by = actor
    letter.signed_at = timezone.now()
    letter.first_filed_on = letter.first_filed_on or today
    letter.filed_count += 1
    _write_content(letter, data, changes)
    on_time = letter.first_filed_on <= letter.due_on
    audit_record(
        actor=actor,
        action="anl.letter_file",
        obj=letter,
        organization=membership.partner.organization,
        before=before,
        after={**_letter_snapshot(letter), "on_time": on_time},
        reason="Refiled after CBP returned it." if refiling else "",
    )
    return letter


def _review_target(actor, letter: AnnualNotificationLetter) -> AnnualNotificationLetter:
    if actor is not None and not roles.has_perm(actor, "anl.review"):
        raise PermissionDeniedError(
            "Only a National Account Manager or CBP program admin reviews letters."
        )
    letter = (
        AnnualNotificationLetter.objects.select_for_update()
        .select_related("membership__partner")
        .get(pk=letter.pk)
    )
    if letter.status != LetterStatus.FILED:
        raise ConflictError(
            f"Only a filed letter can be reviewed; this one is {letter.get_status_display()}.",
            code="not_filed",
        )
    return letter


def _notify_members(*, actor, letter, kind: str, title: str, body: str, dedupe_key: str) -> None:
    officers = selectors.officers_of(letter.membership.partner)
    if not officers:
        return
    notification_send(
        actor=actor,
        recipients=officers,
        kind=kind,
        title=title,
        body=body,
        link=reverse("annualnotices:letter", kwargs={"letter_id": letter.public_id}),
        dedupe_key=dedupe_key,
    )


def _review_decide(
    *, actor, letter, status: str, note: str, action: str, verb: str, body: str
) -> AnnualNotificationLetter:
    """Record CBP's decision on a filed letter, audit it and tell the company's officers."""
    from ctpat.core.textlimits import too_long_message

    if len(note) > NOTE_MAX_LENGTH:
        message = too_long_message("The note or reasons", NOTE_MAX_LENGTH, len(note))
        raise DomainError(
            message, code="too_long", fields={"note": [message], "reasons": [message]}
        )
    letter = _review_target(actor, letter)
    before = snapshot(letter, ("status", "review_note"))
    letter.status = status
    letter.review_note = note
    letter.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    letter.reviewed_at = timezone.now()
    letter.save()
    audit_record(
        actor=actor,
        action=f"anl.letter_{action}",
        obj=letter,
        organization=letter.membership.partner.organization,
        before=before,
        after=snapshot(letter, ("status", "review_note")),
        reason=letter.review_note,
    )
    _notify_members(
        actor=actor,
        letter=letter,
        kind=selectors.REVIEW_KIND,
        title=f"CBP {verb} your Annual Notification Letter due {letter.due_on.isoformat()}",
        body=body,
        dedupe_key=f"anl-{action}:{letter.public_id}:{letter.filed_count}",
    )
    return letter


@service
def anl_letter_acknowledge(*, actor, letter: AnnualNotificationLetter, note: str = ""):
    note = (note or "").strip()
    return _review_decide(
        actor=actor,
        letter=letter,
        status=LetterStatus.ACKNOWLEDGED,
        note=note,
        action="acknowledge",
        verb="acknowledged",
        body=note,
    )


@service
def anl_letter_return(*, actor, letter: AnnualNotificationLetter, reasons: str):
    """Return a filed letter with reasons; the partner corrects and files it again."""
    reasons = (reasons or "").strip()
    if not reasons:
        message = (
            "The reasons for returning the letter (what the company must correct) are required."
        )
        raise DomainError(message, code="reason_required", fields={"reasons": [message]})
    return _review_decide(
        actor=actor,
        letter=letter,
        status=LetterStatus.RETURNED,
        note=reasons,
        action="return",
        verb="returned",
        body=f"What to correct: {reasons}",
    )


# --- Reminders and enforcement ---------------------------------------------------------------


@dataclass
class PlannedAction:
    """What the job must do today for one membership (decided by the rules, read-only)."""

    reminder: int | None = None
    flag_overdue: bool = False
    suspend: bool = False

    def __bool__(self) -> bool:
        return self.reminder is not None or self.flag_overdue or self.suspend


def _dedupe(membership, period: int, what: str) -> str:
    return f"anl:{membership.public_id}:{period}:{what}"


def _already_notified(users, dedupe_key: str) -> bool:
    have = set(
        Notification.objects.filter(dedupe_key=dedupe_key, recipient__in=users).values_list(
            "recipient_id", flat=True
        )
    )
    return all(u.pk in have for u in users)


def plan_for(item: selectors.MembershipSchedule, officers, today: dt.date) -> PlannedAction:
    """Today's work for one membership's current period (nothing for ended memberships)."""
    action = PlannedAction()
    if item.ended:
        return action
    membership, period = item.membership, item.current
    letter = period.letter
    due_on = period.due_on
    offset = rules.reminder_due(due_on, today, item.schedule)
    if (
        offset is not None
        and officers
        and not _already_notified(officers, _dedupe(membership, period.period, f"remind-{offset}"))
    ):
        action.reminder = offset
    if rules.is_overdue(due_on, today) and (letter is None or letter.overdue_flagged_on is None):
        action.flag_overdue = True
    if (
        rules.suspension_due(due_on, today, item.schedule)
        and membership.status == MembershipStatus.ACTIVE
        and (letter is None or letter.suspension_started_on is None)
    ):
        action.suspend = True
    return action


@service
def anl_period_enforce(*, actor, membership: TradeComplianceMembership, today: dt.date) -> dict:
    """Do today's ANL work for ``membership``: remind, flag overdue, start the suspension path.

    Idempotent: reminders carry a dedupe key per period and offset; the overdue flag and the
    suspension are recorded on the period's letter and happen once.
    """
    membership = (
        TradeComplianceMembership.objects.select_for_update()
        .select_related("partner")
        .get(pk=membership.pk)
    )
    schedule = conf.schedule()
    item = selectors.membership_schedule(membership, today=today, schedule=schedule)
    officers = selectors.officers_of(membership.partner)
    action = plan_for(item, officers, today)
    done = {"reminder": None, "overdue": False, "suspended": False}
    if not action:
        # Nothing to do: still leave a trace, as every service does.
        audit_record(
            actor=actor, action="anl.enforce_nothing", obj=membership, after={"day": today}
        )
        return done
    period = item.current
    letter = _letter_for_update(membership, period.period, schedule, actor)
    if letter.pk is None:
        letter.save()
        audit_record(
            actor=actor,
            action="anl.letter_open",
            obj=letter,
            organization=membership.partner.organization,
            after=_letter_snapshot(letter),
            reason="Opened by the reminder job.",
        )
    link = reverse("annualnotices:mine")
    due = period.due_on.isoformat()
    if action.reminder is not None:
        notification_send(
            actor=actor,
            recipients=officers,
            kind=selectors.REMINDER_KIND,
            title=f"Annual Notification Letter due {due}",
            body=(
                f"Your company's Trade Compliance Annual Notification Letter "
                f"({membership.account_number}) is due on {due}, in "
                f"{(period.due_on - today).days} days. A company officer certifies continued "
                "compliance, reports organizational changes and signs it in ctpat."
            ),
            link=link,
            dedupe_key=_dedupe(membership, period.period, f"remind-{action.reminder}"),
        )
        done["reminder"] = action.reminder
    if action.flag_overdue:
        letter.overdue_flagged_on = today
        letter.save()
        audit_record(
            actor=actor,
            action="anl.letter_overdue",
            obj=letter,
            organization=membership.partner.organization,
            after={"due_on": period.due_on, "flagged_on": today},
        )
        if officers:
            notification_send(
                actor=actor,
                recipients=officers,
                kind=selectors.OVERDUE_KIND,
                title=f"Annual Notification Letter overdue (due {due})",
                body=(
                    f"The letter was due on {due}. File it now: after "
                    f"{rules.grace_ends_on(period.due_on, schedule).isoformat()} CBP starts "
                    "the suspension of the Trade Compliance membership."
                ),
                link=link,
                dedupe_key=_dedupe(membership, period.period, "overdue"),
            )
        done["overdue"] = True
    if action.suspend:
        reason = (
            f"Annual Notification Letter due {due} not filed within the "
            f"{schedule.grace_days}-day grace period (DOMAIN.md §2.2 Q12, §2.6)."
        )
        membership = membership_transition(
            actor=actor,
            membership=membership,
            target=MembershipStatus.SUSPENDED,
            reason=reason,
            effective_date=today,
        )
        letter.suspension_started_on = today
        letter.save()
        deadline = tc_rules.tc_suspension_response_deadline(today)
        audit_record(
            actor=actor,
            action="anl.suspension_started",
            obj=letter,
            organization=membership.partner.organization,
            after={"due_on": period.due_on, "suspended_on": today, "respond_by": deadline},
            reason=reason,
        )
        if officers:
            notification_send(
                actor=actor,
                recipients=officers,
                kind=selectors.SUSPENSION_KIND,
                title="Trade Compliance membership suspended: Annual Notification Letter missing",
                body=(
                    f"{reason} You have {tc_rules.TC_SUSPENSION_RESPONSE_DAYS} days, until "
                    f"{deadline.isoformat()}, to respond: file the letter and contact your "
                    "National Account Manager."
                ),
                link=link,
                dedupe_key=_dedupe(membership, period.period, "suspended"),
            )
        done["suspended"] = True
    return done


@dataclass
class ReminderRun:
    day: dt.date
    memberships: int = 0
    reminders: int = 0
    overdue: int = 0
    suspended: int = 0
    failed: list[str] = field(default_factory=list)

    def as_data(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "memberships": self.memberships,
            "reminders": self.reminders,
            "overdue": self.overdue,
            "suspended": self.suspended,
            "failed": self.failed,
        }


def anl_reminders_send(*, today: dt.date, actor=None) -> ReminderRun:
    """Run the ANL job for every membership on ``today`` (the system acts unless told).

    Each membership is its own transaction (``anl_period_enforce``), so one refusal does not
    undo the others; memberships with nothing to do are skipped without a write. Running it
    twice on a day does nothing the second time.
    """
    schedule = conf.schedule()
    run = ReminderRun(day=today)
    memberships = (
        TradeComplianceMembership.objects.exclude(status__in=selectors.ENDED_STATUSES)
        .select_related("partner")
        .prefetch_related("annual_letters")
    )
    for membership in memberships:
        run.memberships += 1
        item = selectors.membership_schedule(
            membership,
            today=today,
            schedule=schedule,
            letters=list(membership.annual_letters.all()),
        )
        if not plan_for(item, selectors.officers_of(membership.partner), today):
            continue
        try:
            done = anl_period_enforce(actor=actor, membership=membership, today=today)
        except DomainError as exc:
            logger.warning("ANL job: %s refused: %s", membership.account_number, exc.message)
            run.failed.append(f"{membership.account_number}: {exc.message}")
            continue
        run.reminders += done["reminder"] is not None
        run.overdue += done["overdue"]
        run.suspended += done["suspended"]
    return run


@service
def anl_daily_run_record(*, actor, day: dt.date, summary: dict) -> AnlDailyRun:
    """Record that the daily job ran for ``day`` (once per day: a second record conflicts)."""
    if AnlDailyRun.objects.filter(day=day).exists():
        raise ConflictError(f"The ANL job already ran for {day.isoformat()}.", code="already_ran")
    run = AnlDailyRun(day=day, summary=summary)
    run.save()
    audit_record(actor=actor, action="anl.daily_run", obj=run, after=summary)
    return run
