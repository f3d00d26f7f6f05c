"""Reads for Trade Compliance: the public question set, and a partner's readiness to apply.

The question set is public reference data (the seed FAQ: every application question is published
before anyone applies), so its selectors take no viewer and serve anonymous visitors too.
Readiness belongs to the partner: ``readiness_partner_get`` lets a partner's users reach their
own company only (an SVI connection does not open it) and CBP staff reach any.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ctpat.accounts import roles
from ctpat.core.errors import NotFoundError
from ctpat.partners.models import Partner

from . import rules
from .choices import SectionKey
from .models import (
    Question,
    QuestionnaireSection,
    QuestionnaireVersion,
    ReadinessAnswers,
    TradeComplianceProfile,
)

# Public ids are PREFIX-XXXXXXXXXX (core.ids); anything else cannot match a record, so it never
# reaches a query (a NUL byte from a URL would upset PostgreSQL).
_PUBLIC_ID = re.compile(r"^[0-9A-Za-z-]{1,24}$")


def looks_like_public_id(value: str) -> bool:
    return isinstance(value, str) and _PUBLIC_ID.match(value) is not None


# --- The question set (public) -------------------------------------------------------------------


def questionnaire_version_list() -> QuerySet[QuestionnaireVersion]:
    """Every published version, newest first."""
    return QuestionnaireVersion.objects.select_related("published_by").order_by("-number")


def questionnaire_current() -> QuestionnaireVersion | None:
    """The version new applications answer: the highest number."""
    return questionnaire_version_list().first()


def questionnaire_version_get(*, public_id: str) -> QuestionnaireVersion:
    version = None
    if looks_like_public_id(public_id):
        version = questionnaire_version_list().filter(public_id=public_id).first()
    if version is None:
        raise NotFoundError("No such questionnaire version.")
    return version


def questionnaire_previous(version: QuestionnaireVersion) -> QuestionnaireVersion | None:
    return (
        QuestionnaireVersion.objects.filter(number__lt=version.number).order_by("-number").first()
    )


def questionnaire_sections(version: QuestionnaireVersion) -> list[QuestionnaireSection]:
    """The version's sections in order, each with ``questions`` prefetched in order."""
    return list(
        QuestionnaireSection.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("number")))
    )


@dataclass
class QuestionnaireContent:
    """A version ready to show: sections with questions, and what changed since the last one."""

    version: QuestionnaireVersion
    sections: list[QuestionnaireSection]
    previous: QuestionnaireVersion | None
    new_codes: frozenset[str] = field(default_factory=frozenset)
    removed_codes: tuple[str, ...] = ()
    question_count: int = 0


def questionnaire_content(version: QuestionnaireVersion) -> QuestionnaireContent:
    sections = questionnaire_sections(version)
    codes = [q.code for s in sections for q in s.questions.all()]
    previous = questionnaire_previous(version)
    new_codes: frozenset[str] = frozenset()
    removed: tuple[str, ...] = ()
    if previous is not None:
        before = list(
            Question.objects.filter(version=previous)
            .order_by("section__position", "number")
            .values_list("code", flat=True)
        )
        new_codes = frozenset(codes) - frozenset(before)
        removed = tuple(code for code in before if code not in set(codes))
    return QuestionnaireContent(
        version=version,
        sections=sections,
        previous=previous,
        new_codes=new_codes,
        removed_codes=removed,
        question_count=len(codes),
    )


def eligibility_questions(version: QuestionnaireVersion) -> list[Question]:
    """The version's eligibility questions, by number (the readiness check's yes/no questions)."""
    return list(
        Question.objects.filter(version=version, section__key=SectionKey.ELIGIBILITY).order_by(
            "number"
        )
    )


# --- Readiness (the partner's own) ---------------------------------------------------------------


def can_view_readiness(viewer, partner: Partner) -> bool:
    if roles.has_perm(viewer, "tradecompliance.readiness_view_all"):
        return True
    return (
        roles.has_perm(viewer, "tradecompliance.readiness_own")
        and viewer.organization_id is not None
        and viewer.organization_id == partner.organization_id
    )


def readiness_partner_get(*, viewer, public_id: str) -> Partner:
    """The partner whose readiness ``viewer`` may see: their own company, or any for CBP.

    Anything else is "not found", so a company's existence is not confirmed to outsiders.
    """
    if not looks_like_public_id(public_id):
        raise NotFoundError("No such partner.")
    partner = (
        Partner.objects.restrict(viewer)
        .select_related("organization")
        .filter(public_id=public_id)
        .first()
    )
    if partner is None or not can_view_readiness(viewer, partner):
        raise NotFoundError("No such partner.")
    return partner


def readiness_partner_list(*, viewer) -> QuerySet[Partner]:
    """Partners whose readiness CBP staff may open, by name (others' users: none)."""
    if not roles.has_perm(viewer, "tradecompliance.readiness_view_all"):
        return Partner.objects.none()
    return (
        Partner.objects.restrict(viewer)
        .select_related("organization")
        .order_by("organization__name")
    )


def profile_for(partner: Partner) -> TradeComplianceProfile | None:
    """The partner's self-declared facts (call after ``readiness_partner_get``)."""
    return (
        TradeComplianceProfile.objects.filter(partner=partner).select_related("updated_by").first()
    )


def answers_for(partner: Partner) -> ReadinessAnswers | None:
    """The partner's latest eligibility answers (call after ``readiness_partner_get``)."""
    return (
        ReadinessAnswers.objects.filter(partner=partner)
        .select_related("version", "answered_by")
        .first()
    )


def program_opens_on() -> dt.date | None:
    """``settings.CTPAT_TC_PROGRAM_OPENS_ON``: the day applications open; None = open."""
    return getattr(settings, "CTPAT_TC_PROGRAM_OPENS_ON", None)


def answers_by_number(questions: list[Question], answers: dict[str, bool]) -> dict[int, bool]:
    """Answers stored by question code, as the rule wants them: by question number."""
    return {
        q.number: answers[q.code]
        for q in questions
        if q.code in answers and isinstance(answers[q.code], bool)
    }


@dataclass
class Readiness:
    """A partner's eligibility decision and everything it was decided from."""

    partner: Partner
    decision: rules.Decision
    inputs: dict
    version: QuestionnaireVersion | None
    questions: list[Question]
    profile: TradeComplianceProfile | None
    answers: ReadinessAnswers | None
    answers_by_code: dict[str, bool]

    def reasons_with_questions(self) -> list[tuple[rules.Reason, Question | None]]:
        by_number = {q.number: q for q in self.questions}
        return [
            (reason, by_number.get(reason.question) if reason.question else None)
            for reason in self.decision.reasons
        ]


def eligibility_inputs(
    partner: Partner,
    *,
    profile: TradeComplianceProfile | None,
    questions: list[Question],
    answers: dict[str, bool],
    today: dt.date,
) -> dict:
    """The keyword arguments of ``rules.eligibility`` for ``partner``."""
    return {
        "entity_type": partner.entity_type,
        "country": partner.country,
        "is_non_resident_canadian": bool(profile and profile.is_non_resident_canadian),
        "security_status": partner.status,
        "in_good_standing": rules.in_good_standing(partner.status),
        "import_history_start": profile.import_history_start if profile else None,
        "has_cbp_debt": profile.has_cbp_debt if profile else None,
        "eligibility_answers": answers_by_number(questions, answers),
        "program_opens_on": program_opens_on(),
        "today": today,
        # With no questionnaire published, the portal's 13 questions are still required.
        "required_questions": (
            tuple(q.number for q in questions) if questions else rules.ELIGIBILITY_QUESTION_NUMBERS
        ),
    }


def readiness_for(partner: Partner, *, today: dt.date | None = None) -> Readiness:
    """The eligibility decision for ``partner`` today, gathered from its records.

    The caller has checked that the viewer may see it (``readiness_partner_get``). Answers given
    to an older questionnaire version carry over by question code; a question new in the
    current version is simply unanswered.
    """
    today = today or timezone.localdate()
    version = questionnaire_current()
    questions = eligibility_questions(version) if version is not None else []
    profile = profile_for(partner)
    stored = answers_for(partner)
    answers = dict(stored.answers) if stored is not None else {}
    inputs = eligibility_inputs(
        partner, profile=profile, questions=questions, answers=answers, today=today
    )
    return Readiness(
        partner=partner,
        decision=rules.eligibility(**inputs),
        inputs=inputs,
        version=version,
        questions=questions,
        profile=profile,
        answers=stored,
        answers_by_code=answers,
    )


def decision_as_data(decision: rules.Decision) -> dict:
    """A JSON-safe copy of a decision (audit events, the API)."""
    return {
        "eligible": decision.eligible,
        "code": decision.code,
        "reasons": [
            {
                "code": r.code,
                "message": r.message,
                "what_to_do": r.what_to_do,
                "source": r.source,
                "question": r.question,
            }
            for r in decision.reasons
        ],
        "checks": [
            {"requirement": c.requirement, "label": c.label, "met": c.met, "source": c.source}
            for c in decision.checks
        ],
    }


def inputs_as_data(inputs: dict) -> dict:
    """A JSON-safe copy of the rule's inputs."""
    data = {}
    for key, value in inputs.items():
        if isinstance(value, dt.date):
            data[key] = value.isoformat()
        elif isinstance(value, dict):
            data[key] = {str(k): v for k, v in sorted(value.items())}
        elif isinstance(value, tuple):
            data[key] = list(value)
        else:
            data[key] = value
    return data
