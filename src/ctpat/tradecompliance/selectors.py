"""Reads for Trade Compliance: the public question set, and a partner's readiness to apply.

The question set is public reference data (the seed FAQ: every application question is published
before anyone applies), so its selectors take no viewer and serve anonymous visitors too.
Readiness belongs to the partner: ``readiness_partner_get`` lets a partner's users reach their
own company only (an SVI connection does not open it) and CBP staff reach any.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
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
    ForcedLaborDocument,
    ForcedLaborObligation,
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


# --- Applications --------------------------------------------------------------------------------


def _application_models():
    from .models import (
        Application,
        ApplicationAnswer,
        ApplicationDocument,
        ApplicationStep,
        InformationRequest,
    )

    return Application, ApplicationAnswer, ApplicationDocument, ApplicationStep, InformationRequest


def application_list(*, viewer) -> QuerySet:
    """The applications ``viewer`` may see, newest first: CBP all, a partner's users their own."""
    Application = _application_models()[0]
    return (
        Application.objects.restrict(viewer)
        .select_related("partner__organization", "version", "assigned_nam", "membership")
        .order_by("-created_at")
    )


def application_get(*, viewer, public_id: str, action: str = "view"):
    """One application ``viewer`` may see (or act on); anything else is "not found"."""
    Application = _application_models()[0]
    application = None
    if looks_like_public_id(public_id):
        application = (
            Application.objects.restrict(viewer, action)
            .select_related("partner__organization", "version", "assigned_nam", "membership")
            .filter(public_id=public_id)
            .first()
        )
    if application is None:
        raise NotFoundError("No such application.")
    return application


# Queue age filter: submitted at least this many days ago (choices of the CBP queue).
QUEUE_AGE_CHOICES: tuple[int, ...] = (7, 30, 60, 90)
UNASSIGNED = "unassigned"


def application_queue(
    *,
    viewer,
    status: str = "",
    nam: str = "",
    older_than_days: int | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    """CBP's queue: submitted applications (never drafts, which are the company's own),
    oldest submission first, filtered by status, NAM (a user's public id or ``unassigned``)
    and age."""
    if not roles.has_perm(viewer, "tradecompliance.application_view_all"):
        return _application_models()[0].objects.none()
    qs = application_list(viewer=viewer).exclude(status="draft").order_by("submitted_at", "id")
    if status:
        qs = qs.filter(status=status)
    if nam == UNASSIGNED:
        qs = qs.filter(assigned_nam__isnull=True)
    elif nam:
        qs = qs.filter(assigned_nam__public_id=nam)
    if older_than_days:
        today = today or timezone.localdate()
        cutoff = dt.datetime.combine(
            today - dt.timedelta(days=older_than_days),
            dt.time.max,
            tzinfo=timezone.get_current_timezone(),
        )
        qs = qs.filter(submitted_at__lte=cutoff)
    return qs


def application_open_for(partner: Partner):
    """The partner's application that is not decided yet, if any."""
    from . import rules as _rules

    return (
        _application_models()[0]
        .objects.filter(partner=partner, status__in=_rules.OPEN_STATUSES)
        .select_related("version", "membership")
        .first()
    )


def application_latest_for(partner: Partner):
    return (
        _application_models()[0]
        .objects.filter(partner=partner)
        .select_related("version", "membership", "assigned_nam")
        .order_by("-created_at")
        .first()
    )


def nam_users() -> QuerySet:
    """Active National Account Managers, by name (the people an application can be assigned to)."""
    from ctpat.accounts.choices import Role
    from ctpat.accounts.models import User

    return User.objects.filter(role=Role.NAM, is_active=True).order_by("last_name", "username")


def application_questions(application) -> list[Question]:
    return list(
        Question.objects.filter(version=application.version)
        .select_related("section")
        .order_by("section__position", "number")
    )


def application_answers(application) -> dict:
    """Question code -> ``ApplicationAnswer``."""
    ApplicationAnswer = _application_models()[1]
    return {a.code: a for a in ApplicationAnswer.objects.filter(application=application)}


def answer_value(question: Question, answer) -> object:
    """The stored answer as the rules see it: True/False, text, or True (acknowledged)."""
    if answer is None:
        return None
    if question.answer_type == "yes_no":
        return answer.yes_no
    if question.answer_type == "text":
        return answer.text or None
    if question.answer_type == "acknowledgement":
        return True if answer.acknowledged else None
    return None


def application_documents_by_code(application) -> dict[str, list]:
    """The application's question documents (not those of response rounds), by question code,
    in one query."""
    by_code: dict[str, list] = {}
    for document in application_documents(application).filter(information_request__isnull=True):
        by_code.setdefault(document.code, []).append(document)
    return by_code


def application_documents(application, *, code: str | None = None) -> QuerySet:
    ApplicationDocument = _application_models()[2]
    qs = ApplicationDocument.objects.filter(application=application).select_related(
        "uploaded_by", "information_request"
    )
    if code is not None:
        qs = qs.filter(code=code)
    return qs.order_by("created_at", "id")


def application_document_get(*, viewer, application, public_id: str):
    ApplicationDocument = _application_models()[2]
    document = None
    if looks_like_public_id(public_id):
        document = (
            ApplicationDocument.objects.restrict(viewer)
            .filter(application=application, public_id=public_id)
            .first()
        )
    if document is None:
        raise NotFoundError("No such document.")
    return document


def question_facts(questions: list[Question]) -> list[rules.QuestionFacts]:
    return [
        rules.QuestionFacts(
            code=q.code,
            number=q.number,
            section=q.section.key,
            answer_type=q.answer_type,
            required=q.required,
            text=q.text,
        )
        for q in questions
    ]


def application_missing(application) -> list[rules.Missing]:
    """What the application still lacks before it can be submitted, step by step."""
    questions = application_questions(application)
    answers = application_answers(application)
    values = {q.code: answer_value(q, answers.get(q.code)) for q in questions}
    urls = {code: a.public_url for code, a in answers.items() if a.public_url}
    docs = set(
        application_documents(application)
        .filter(information_request__isnull=True)
        .values_list("code", flat=True)
    )
    iors = list(application.ior_numbers.all())
    return rules.application_missing(
        questions=question_facts(questions),
        answers=values,
        document_codes=docs,
        public_urls=urls,
        ior_count=sum(1 for i in iors if i.is_active),
        mou_signed=application.mou_signed,
        inactive_iors=[i.display_value for i in iors if not i.is_active],
    )


def application_inactive_iors(application) -> list:
    """The IOR numbers the application selected that have been deactivated since."""
    return list(application.ior_numbers.filter(is_active=False).order_by("value"))


def application_eligibility(application, *, today: dt.date | None = None) -> rules.Decision:
    """The eligibility rule on the company's facts and the application's own eligibility
    answers."""
    questions = eligibility_questions(application.version)
    answers = application_answers(application)
    values = {q.code: answers[q.code].yes_no for q in questions if q.code in answers}
    values = {code: v for code, v in values.items() if isinstance(v, bool)}
    inputs = eligibility_inputs(
        application.partner,
        profile=profile_for(application.partner),
        questions=questions,
        answers=values,
        today=today or timezone.localdate(),
    )
    return rules.eligibility(**inputs)


def mou_text_version(version: QuestionnaireVersion) -> str:
    """Which MOU text an officer signs: the questionnaire version and a digest of the MOU
    section's guidance and questions (a new version with the same MOU keeps the signature)."""
    import hashlib

    section = (
        QuestionnaireSection.objects.filter(version=version, key=SectionKey.MOU)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("number")))
        .first()
    )
    if section is None:
        return f"v{version.number}"
    text = "\n".join([section.guidance, *(f"{q.code}:{q.text}" for q in section.questions.all())])
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"MOU-{digest}"


def application_timeline(application) -> QuerySet:
    """The application's own recorded steps, oldest first."""
    ApplicationStep = _application_models()[3]
    return ApplicationStep.objects.filter(application=application).order_by("at", "id")


def application_information_requests(application) -> QuerySet:
    InformationRequest = _application_models()[4]
    return (
        InformationRequest.objects.filter(application=application)
        .select_related("requested_by", "responded_by")
        .prefetch_related("documents")
        .order_by("round")
    )


def open_information_request(application):
    return application_information_requests(application).filter(responded_at__isnull=True).last()


# --- Answer once across programs -----------------------------------------------------------------


@dataclass(frozen=True)
class ReuseOffer:
    """A security-profile answer that can answer a Trade Compliance question."""

    msc_id: str
    ref: object  # ctpat.profiles.selectors.AnswerRef


def security_profile_answers(partner: Partner) -> dict:
    """``ctpat.profiles.selectors.latest_answers_by_msc(partner)``; empty while the security
    profile app does not provide it (then nothing is offered for reuse)."""
    try:
        from ctpat.profiles.selectors import latest_answers_by_msc
    except ImportError:
        return {}
    return dict(latest_answers_by_msc(partner) or {})


def reuse_offers(application, questions: list[Question] | None = None) -> dict[str, list]:
    """Question code -> the security-profile answers that may be reused for it."""
    by_msc = security_profile_answers(application.partner)
    if not by_msc:
        return {}
    offers = {}
    for q in questions if questions is not None else application_questions(application):
        ids = [
            m
            for m in rules.reusable_msc_ids(q.msc_criteria, by_msc, q.answer_type)
            if rules.reused_value(
                q.answer_type,
                getattr(by_msc[m], "answer", ""),
                getattr(by_msc[m], "narrative", ""),
            )
            is not None
        ]
        if ids:
            offers[q.code] = [ReuseOffer(msc_id=m, ref=by_msc[m]) for m in ids]
    return offers


@dataclass
class ReuseRow:
    application: object
    total: int
    reused: list  # (question, answer)


def reuse_report(*, viewer, partner: Partner) -> list[ReuseRow]:
    """Per application of ``partner``: how many questions were answered by reuse, and which."""
    ApplicationAnswer = _application_models()[1]
    applications = list(
        application_list(viewer=viewer)
        .filter(partner=partner)
        .prefetch_related(
            Prefetch("answers", queryset=ApplicationAnswer.objects.all(), to_attr="answers_list")
        )
    )
    # One query for the questions of every version the applications answer (not one each).
    by_version: dict[int, list[Question]] = {}
    for question in (
        Question.objects.filter(version_id__in={a.version_id for a in applications})
        .select_related("section")
        .order_by("section__position", "number")
    ):
        by_version.setdefault(question.version_id, []).append(question)
    rows = []
    for application in applications:
        questions = by_version.get(application.version_id, [])
        answers = {a.code: a for a in application.answers_list}
        reused = [
            (q, answers[q.code])
            for q in questions
            if q.code in answers and answers[q.code].reused_from
        ]
        rows.append(ReuseRow(application=application, total=len(questions), reused=reused))
    return rows


# --- Forced-labor obligation of existing members -------------------------------------------------


def forced_labor_cutoff() -> dt.date:
    """``settings.CTPAT_TC_FORCED_LABOR_CUTOFF``: members accepted before it owe the obligation."""
    return getattr(settings, "CTPAT_TC_FORCED_LABOR_CUTOFF", rules.FORCED_LABOR_CUTOFF)


def forced_labor_deadline() -> dt.date:
    """``settings.CTPAT_TC_FORCED_LABOR_DEADLINE``: the day existing members had to meet it by."""
    return getattr(settings, "CTPAT_TC_FORCED_LABOR_DEADLINE", rules.FORCED_LABOR_DEADLINE)


@dataclass(frozen=True)
class ForcedLaborView:
    """A membership's forced-labor standing as pages, CSV and API show it."""

    membership: object
    obligation: object | None
    status: rules.ForcedLaborStatus
    deadline: dt.date
    cutoff: dt.date

    @property
    def label(self) -> str:
        return rules.FORCED_LABOR_STATUS_LABELS[self.status]

    @property
    def awaiting_cbp(self) -> bool:
        return self.obligation is not None and self.obligation.state == "submitted"

    @property
    def tracked(self) -> bool:
        return self.obligation is not None


def _obligation_of(membership):
    try:
        return membership.forced_labor_obligation
    except ForcedLaborObligation.DoesNotExist:
        return None


def forced_labor_for(membership, *, today: dt.date | None = None) -> ForcedLaborView:
    """The membership's forced-labor status today (``rules.forced_labor_status``). A membership
    accepted before the cut-off without an obligation row (only if the cut-off setting was moved
    later) counts as open: it is owed all the same."""
    obligation = _obligation_of(membership)
    cutoff, deadline = forced_labor_cutoff(), forced_labor_deadline()
    status = rules.forced_labor_status(
        accepted_on=membership.accepted_on,
        met=obligation is not None and obligation.state == "met",
        today=today or timezone.localdate(),
        cutoff=cutoff,
        deadline=deadline,
    )
    return ForcedLaborView(membership, obligation, status, deadline, cutoff)


def forced_labor_filter(memberships, status: str, *, today: dt.date):
    """Memberships (a queryset) whose forced-labor status is ``status``: "met" includes the
    members who met the requirements at application."""
    from django.db.models import Q

    cutoff, deadline = forced_labor_cutoff(), forced_labor_deadline()
    owed = Q(accepted_on__lt=cutoff)
    met = Q(forced_labor_obligation__state="met")
    if status == rules.ForcedLaborStatus.MET:
        return memberships.filter(~owed | met)
    if status == rules.ForcedLaborStatus.OPEN:
        return memberships.filter(owed).exclude(met) if today <= deadline else memberships.none()
    if status == rules.ForcedLaborStatus.OVERDUE:
        return memberships.filter(owed).exclude(met) if today > deadline else memberships.none()
    return memberships


def forced_labor_obligation_list(*, viewer) -> QuerySet:
    return (
        ForcedLaborObligation.objects.restrict(viewer, "view")
        .select_related("membership__partner__organization", "submitted_by", "decided_by")
        .prefetch_related("documents")
    )


def forced_labor_obligation_get(*, viewer, public_id: str, action: str = "view"):
    if not looks_like_public_id(public_id):
        raise NotFoundError("No such forced-labor obligation.")
    obligation = (
        ForcedLaborObligation.objects.restrict(viewer, action)
        .select_related("membership__partner__organization", "submitted_by", "decided_by")
        .filter(public_id=public_id)
        .first()
    )
    if obligation is None:
        raise NotFoundError("No such forced-labor obligation.")
    return obligation


def forced_labor_documents(obligation, *, code: str | None = None) -> QuerySet:
    documents = ForcedLaborDocument.objects.filter(obligation=obligation).select_related(
        "uploaded_by"
    )
    return documents.filter(code=code) if code else documents


def forced_labor_document_get(*, viewer, obligation, public_id: str):
    if not looks_like_public_id(public_id):
        raise NotFoundError("No such document.")
    document = (
        ForcedLaborDocument.objects.restrict(viewer, "view")
        .filter(obligation=obligation, public_id=public_id)
        .first()
    )
    if document is None:
        raise NotFoundError("No such document.")
    return document


# --- One IOR number, one membership ---------------------------------------------------------------


@dataclass(frozen=True)
class IorClaim:
    """Another company's claim on an IOR number: a membership in force, or an open application."""

    value: str
    display_value: str
    partner: Partner
    membership: object | None = None
    application: object | None = None


def ior_claims_in_force(values: Iterable[str]) -> list[IorClaim]:
    """Every membership in force covering any of the IOR numbers ``values``, in one query.
    Reads across tenants: callers show the holder to CBP only."""
    from ctpat.partners.choices import IdentifierKind

    from .models import TradeComplianceMembership

    values = [v for v in dict.fromkeys(values) if v]
    if not values:
        return []
    through = TradeComplianceMembership.ior_numbers.through
    rows = through.objects.filter(
        partneridentifier__kind=IdentifierKind.IOR,
        partneridentifier__is_active=True,
        partneridentifier__value__in=values,
        tradecompliancemembership__status__in=rules.IOR_HOLDING_MEMBERSHIP_STATUSES,
    ).select_related("partneridentifier", "tradecompliancemembership__partner__organization")
    return [
        IorClaim(
            value=row.partneridentifier.value,
            display_value=row.partneridentifier.display_value,
            partner=row.tradecompliancemembership.partner,
            membership=row.tradecompliancemembership,
        )
        for row in rows
    ]


def ior_holders(values: Iterable[str], *, exclude_partner_id: int | None) -> dict[str, IorClaim]:
    """Other companies' memberships in force covering any of the IOR numbers ``values``
    (value -> the claim)."""
    return {
        claim.value: claim
        for claim in ior_claims_in_force(values)
        if claim.partner.pk != exclude_partner_id
    }


def application_ior_conflicts(application) -> list[IorClaim]:
    """For CBP's review: the application's IOR numbers that another company's membership
    covers, or that another company's open application also selected."""
    from ctpat.partners.choices import IdentifierKind

    from .models import Application

    values = list(application.ior_numbers.values_list("value", flat=True))
    if not values:
        return []
    claims = list(ior_holders(values, exclude_partner_id=application.partner_id).values())
    through = Application.ior_numbers.through
    rows = (
        through.objects.filter(
            partneridentifier__kind=IdentifierKind.IOR,
            partneridentifier__value__in=values,
            application__status__in=rules.OPEN_STATUSES,
        )
        .exclude(application__partner_id=application.partner_id)
        .select_related("partneridentifier", "application__partner__organization")
        .order_by("partneridentifier__value", "application__created_at")
    )
    claims += [
        IorClaim(
            value=row.partneridentifier.value,
            display_value=row.partneridentifier.display_value,
            partner=row.application.partner,
            application=row.application,
        )
        for row in rows
    ]
    return sorted(claims, key=lambda c: (c.value, c.application is not None))


def applications_with_ior_conflicts(applications) -> set[int]:
    """Of ``applications`` (one page of the queue), the ids whose IOR numbers another
    company's membership in force covers: two queries for the page, not one per row."""
    from .models import Application

    through = Application.ior_numbers.through
    rows = list(
        through.objects.filter(application__in=[a.pk for a in applications]).values_list(
            "application_id", "application__partner_id", "partneridentifier__value"
        )
    )
    claims = ior_claims_in_force({value for _, _, value in rows})
    holders: dict[str, set[int]] = {}
    for claim in claims:
        holders.setdefault(claim.value, set()).add(claim.partner.pk)
    return {
        application_id
        for application_id, partner_id, value in rows
        if holders.get(value, set()) - {partner_id}
    }
