"""Reads for security profiles, for the pages, the API, the dashboard and other apps.

Who sees a profile lives in the models' ``visible_to`` (own company and CBP staff). The overview
joins the current criteria version with the answers on a date: completeness, must- and
should-gaps, and — for answers given to an older version — what changed since and when it bites.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import NotFoundError
from ctpat.core.models import AuditEvent
from ctpat.criteria import rules as criteria_rules
from ctpat.criteria import selectors as criteria_selectors
from ctpat.criteria.choices import Category, Program
from ctpat.criteria.models import CriteriaVersion, Criterion, CriterionRequirement
from ctpat.partners import rules as partner_rules
from ctpat.partners.models import Partner

from . import rules
from .choices import ProfileStatus
from .models import (
    AnnualReview,
    EvidenceFile,
    ProfileAnswer,
    ProfileSubmission,
    SecurityProfile,
)

# --- Profiles ------------------------------------------------------------------------------------


def profile_list(*, viewer, action: str = "view") -> QuerySet[SecurityProfile]:
    return SecurityProfile.objects.restrict(viewer, action).select_related(
        "partner__organization", "partner__assigned_scss", "current_review"
    )


def profile_get(*, viewer, public_id: str, action: str = "view") -> SecurityProfile:
    profile = profile_list(viewer=viewer, action=action).filter(public_id=public_id).first()
    if profile is None:
        raise NotFoundError("No such security profile.")
    return profile


def profile_for_partner(partner: Partner) -> SecurityProfile | None:
    """The partner's profile (callers have already checked the viewer may see the partner)."""
    return (
        SecurityProfile.objects.select_related("partner__organization", "current_review")
        .filter(partner=partner)
        .first()
    )


def review_queue(*, viewer) -> QuerySet[SecurityProfile]:
    """Profiles waiting for an SCSS decision, oldest submission first; the viewer's assigned
    partners are listed before the rest."""
    if not roles.has_perm(viewer, "profile.decide"):
        return SecurityProfile.objects.none()
    return (
        profile_list(viewer=viewer).filter(status=ProfileStatus.SUBMITTED).order_by("submitted_at")
    )


def latest_submission(profile: SecurityProfile) -> ProfileSubmission | None:
    return (
        ProfileSubmission.objects.filter(profile=profile)
        .select_related("submitted_by", "decided_by", "criteria_version", "annual_review")
        .order_by("-submitted_at", "-id")
        .first()
    )


def submission_list(profile: SecurityProfile) -> QuerySet[ProfileSubmission]:
    return (
        ProfileSubmission.objects.filter(profile=profile)
        .select_related("submitted_by", "decided_by", "criteria_version", "annual_review")
        .order_by("-submitted_at", "-id")
    )


# --- Criteria that apply -------------------------------------------------------------------------


def applicable_criteria(version: CriteriaVersion | None, entity_type: str) -> list[Criterion]:
    """The version's Security criteria listed for ``entity_type``, in catalog order."""
    if version is None:
        return []
    criteria = (
        Criterion.objects.filter(version=version, program=Program.SECURITY)
        .prefetch_related(
            Prefetch(
                "requirements", queryset=CriterionRequirement.objects.order_by("effective_from")
            )
        )
        .order_by("sort_key")
    )
    return [c for c in criteria if criteria_rules.applies_to(c, entity_type)]


def answers_by_msc(profile: SecurityProfile) -> dict[str, ProfileAnswer]:
    answers = ProfileAnswer.objects.filter(profile=profile).select_related(
        "criterion", "criteria_version", "answered_by"
    )
    return {a.msc_id: a for a in answers}


# --- The overview --------------------------------------------------------------------------------


@dataclass
class Row:
    """One applicable criterion of the current version with the company's answer."""

    criterion: Criterion
    answer: ProfileAnswer | None
    level: str | None
    upcoming: list[tuple[dt.date, str | None]]
    gap: rules.Gap | None
    # What changed since the version the answer was given to (empty when it is current).
    changes: list[criteria_rules.Change] = field(default_factory=list)
    evidence: list[EvidenceFile] = field(default_factory=list)

    @property
    def msc_id(self) -> str:
        return self.criterion.msc_id

    @property
    def answered_to_older_version(self) -> bool:
        answer = self.answer
        return answer is not None and answer.criteria_version_id != self.criterion.version_id

    @property
    def upcoming_text(self) -> list[str]:
        return [criteria_rules.describe_level_change(d, lv) for d, lv in self.upcoming]


@dataclass
class CategoryRows:
    number: int
    label: str
    rows: list[Row] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.answer is not None)

    @property
    def must_gaps(self) -> int:
        return sum(1 for r in self.rows if r.gap and r.gap.kind == "must")


@dataclass
class Overview:
    profile: SecurityProfile | None
    partner: Partner
    version: CriteriaVersion | None
    on_date: dt.date
    rows: list[Row]
    assessment: rules.Assessment
    removed_answers: list[ProfileAnswer]
    review_window: tuple[dt.date, dt.date] | None
    review_window_open: bool
    # The company's entity-type table in the version: none, partial or full (DOMAIN.md §7.6).
    table: criteria_selectors.EntityTypeTable | None = None

    @property
    def categories(self) -> list[CategoryRows]:
        groups: dict[int, CategoryRows] = {}
        for row in self.rows:
            number = row.criterion.category
            if number not in groups:
                groups[number] = CategoryRows(number, str(Category(number).label))
            groups[number].rows.append(row)
        return [groups[n] for n in sorted(groups)]

    def category(self, number: int) -> CategoryRows | None:
        return next((c for c in self.categories if c.number == number), None)

    @property
    def stale_rows(self) -> list[Row]:
        return [r for r in self.rows if r.changes]

    def row(self, msc_id: str) -> Row | None:
        return next((r for r in self.rows if r.msc_id == msc_id), None)


def _changes_since(
    old_versions: set[int], current: CriteriaVersion
) -> dict[int, dict[str, list[criteria_rules.Change]]]:
    """For each older version: msc_id -> member-facing changes from it to ``current``."""
    result: dict[int, dict[str, list[criteria_rules.Change]]] = {}
    if not old_versions:
        return result
    new = criteria_selectors.snapshots(current)
    for version in CriteriaVersion.objects.filter(pk__in=old_versions):
        by_msc: dict[str, list[criteria_rules.Change]] = defaultdict(list)
        for change in criteria_rules.changes_between(criteria_selectors.snapshots(version), new):
            if change.member_facing:
                by_msc[change.msc_id].append(change)
        result[version.pk] = by_msc
    return result


def profile_overview(
    *, partner: Partner, profile: SecurityProfile | None, today: dt.date
) -> Overview:
    """The profile against the current criteria version on ``today``."""
    version = criteria_selectors.current_version()
    criteria = applicable_criteria(version, partner.entity_type)
    answers = answers_by_msc(profile) if profile is not None else {}
    evidence: dict[str, list[EvidenceFile]] = defaultdict(list)
    if profile is not None:
        for item in EvidenceFile.objects.filter(profile=profile).exclude(msc_id=""):
            evidence[item.msc_id].append(item)
    old_versions = {
        a.criteria_version_id
        for a in answers.values()
        if version is not None and a.criteria_version_id != version.pk
    }
    changes = _changes_since(old_versions, version) if version is not None else {}
    rows, items = [], []
    for criterion in criteria:
        periods = criterion.periods()
        answer = answers.get(criterion.msc_id)
        item = rules.CriterionAnswer(criterion.msc_id, periods, answer.answer if answer else None)
        items.append(item)
        row_changes = []
        if answer is not None and answer.criteria_version_id in changes:
            row_changes = changes[answer.criteria_version_id].get(criterion.msc_id, [])
        rows.append(
            Row(
                criterion=criterion,
                answer=answer,
                level=criteria_rules.requirement_level(periods, today),
                upcoming=criteria_rules.upcoming_changes(periods, today),
                gap=rules.criterion_gap(item, today),
                changes=row_changes,
                evidence=evidence.get(criterion.msc_id, []),
            )
        )
    current_ids = {c.msc_id for c in criteria}
    removed = [a for msc, a in sorted(answers.items()) if msc not in current_ids]
    window, window_open = None, False
    if partner.certification_date and partner.status in rules.REVIEWED_STATUSES:
        window = partner_rules.review_window(partner.certification_date, today)
        window_open = window[0] <= today <= window[1]
    return Overview(
        profile=profile,
        partner=partner,
        version=version,
        on_date=today,
        rows=rows,
        assessment=rules.assess(items, today),
        removed_answers=removed,
        review_window=window,
        review_window_open=window_open,
        table=criteria_selectors.entity_type_table(version, partner.entity_type),
    )


# --- Annual review progress ----------------------------------------------------------------------


@dataclass
class ReviewProgress:
    """Where the annual review in progress stands: every criterion in force must be answered or
    confirmed since the review started (``services.profile_submit`` counts exactly this).

    * ``to_confirm`` — answered before the review started and the criterion unchanged since:
      these can be confirmed all at once (``annual_review_confirm_unchanged``).
    * ``changed`` — answered before the review started, but the criterion changed since: check
      each and answer again.
    * ``unanswered`` — never answered: answer each.
    """

    review: AnnualReview
    total: int  # criteria in force on the date
    done: list[Row]
    to_confirm: list[Row]
    changed: list[Row]
    unanswered: list[Row]

    @property
    def remaining(self) -> list[Row]:
        return sorted(
            self.to_confirm + self.changed + self.unanswered,
            key=lambda r: criteria_rules.msc_sort_key(r.msc_id),
        )

    @property
    def remaining_ids(self) -> list[str]:
        return [r.msc_id for r in self.remaining]

    @property
    def complete(self) -> bool:
        return not self.remaining


def review_being_submitted(profile: SecurityProfile, today: dt.date) -> AnnualReview | None:
    """The annual review a submission today would submit: the one in progress, unless it was
    never submitted by its anniversary (then it is missed and the submission is a plain profile
    update, DOMAIN.md §3.1)."""
    review = profile.current_review
    if review is not None and review.first_submitted_on is None and today > review.anniversary_date:
        return None
    return review


def review_progress(overview: Overview, review: AnnualReview | None) -> ReviewProgress | None:
    """The annual review's progress against ``overview`` (None without a review)."""
    if review is None:
        return None
    done, to_confirm, changed, unanswered = [], [], [], []
    in_force = [row for row in overview.rows if row.level is not None]
    for row in in_force:
        if row.answer is None:
            unanswered.append(row)
        elif row.answer.answered_at >= review.started_at:
            done.append(row)
        elif row.changes:
            changed.append(row)
        else:
            to_confirm.append(row)
    return ReviewProgress(
        review=review,
        total=len(in_force),
        done=done,
        to_confirm=to_confirm,
        changed=changed,
        unanswered=unanswered,
    )


# --- Answer once, for other programs -------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRef:
    """A security-profile answer another program (Trade Compliance) may offer to reuse."""

    msc_id: str
    answer: str
    answer_label: str
    narrative: str
    answered_at: dt.datetime
    criteria_version_label: str
    source_label: str
    answer_id: str


def latest_answers_by_msc(partner: Partner) -> dict[str, AnswerRef]:
    """The partner's latest security-profile answer per criterion ID (callers have checked the
    viewer may see the partner), e.g. ``refs["3.9"].source_label`` ==
    "Security profile, criterion 3.9, answered 2026-05-01"."""
    answers = (
        ProfileAnswer.objects.filter(profile__partner=partner)
        .select_related("criteria_version")
        .order_by("msc_id")
    )
    refs = {}
    for a in answers:
        answered_on = timezone.localtime(a.answered_at).date().isoformat()
        refs[a.msc_id] = AnswerRef(
            msc_id=a.msc_id,
            answer=a.answer,
            answer_label=a.get_answer_display(),
            narrative=a.narrative,
            answered_at=a.answered_at,
            criteria_version_label=a.criteria_version.label,
            source_label=f"Security profile, criterion {a.msc_id}, answered {answered_on}",
            answer_id=a.public_id,
        )
    return refs


# --- Evidence, reviews, history ------------------------------------------------------------------


def evidence_list(profile: SecurityProfile) -> QuerySet[EvidenceFile]:
    return EvidenceFile.objects.filter(profile=profile).select_related("uploaded_by")


def evidence_get(*, viewer, profile: SecurityProfile, public_id: str) -> EvidenceFile:
    item = (
        EvidenceFile.objects.restrict(viewer).filter(profile=profile, public_id=public_id).first()
    )
    if item is None:
        raise NotFoundError("No such evidence file.")
    return item


def annual_review_for(profile: SecurityProfile, anniversary: dt.date) -> AnnualReview | None:
    return AnnualReview.objects.filter(profile=profile, anniversary_date=anniversary).first()


def annual_review_list(profile: SecurityProfile) -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(profile=profile).order_by("-anniversary_date")


def profile_history(profile: SecurityProfile) -> QuerySet[AuditEvent]:
    """Every audit event about the profile, its answers, evidence, submissions and reviews.

    The caller has checked the viewer may see the profile; events are the profile's own."""
    ids = [profile.public_id]
    for model in (ProfileAnswer, EvidenceFile, ProfileSubmission, AnnualReview):
        ids.extend(model.objects.filter(profile=profile).values_list("public_id", flat=True))
    return (
        AuditEvent.objects.filter(object_id__in=ids, object_type__startswith="profiles.")
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
