"""Trade Compliance pages.

* The question set — public, no log-in (the seed FAQ: every application question and the
  handbook guidance can be read before applying): the current version, older versions, a
  printable layout and a YAML download.
* Readiness — a partner's users see whether their company can apply, every reason why not and
  what to do, answer the eligibility questions and declare the facts the rule needs; CBP staff
  open any partner's readiness.
* Publishing a new questionnaire version — CBP program admins.

Every view is permission → form → service/selector → render; HTMX requests get the partial.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core.errors import DomainError, NotFoundError
from ctpat.core.htmx import is_partial_request, render_page_or_partial
from ctpat.core.lists import paginate
from ctpat.core.views import add_domain_error, domain_errors_as_http, require_perm
from ctpat.partners import selectors as partner_selectors
from ctpat.partners.models import Partner

from . import questionset, rules, selectors, services
from .forms import (
    CbpFactClearForm,
    EligibilityAnswersForm,
    ProfileDisputeForm,
    PublishQuestionnaireForm,
    TradeComplianceProfileForm,
)
from .models import QuestionnaireVersion

READINESS_LIST_PAGE_SIZE = 25

# --- The question set (public) -------------------------------------------------------------------


def _preview(request: HttpRequest, version: QuestionnaireVersion | None) -> HttpResponse:
    if version is not None and request.GET.get("format") == "yaml":
        text = questionset.dump(services.questionnaire_as_question_set(version))
        response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="ctpat-tc-questions-v{version.number}.yaml"'
        )
        return response
    current = selectors.questionnaire_current()
    context = {
        "content": selectors.questionnaire_content(version) if version is not None else None,
        "version": version,
        "current": current,
        "is_current": version is not None and current is not None and version.pk == current.pk,
        "versions": selectors.questionnaire_version_list(),
        "can_publish": roles.has_perm(request.user, "tradecompliance.questionnaire_publish"),
        "can_check_readiness": roles.has_perm(request.user, "tradecompliance.readiness_own"),
        "min_import_history_years": rules.MIN_IMPORT_HISTORY_YEARS,
    }
    return render(request, "tradecompliance/preview.html", context)


@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    """The current question set, readable without logging in; ``?version=`` picks another."""
    wanted = request.GET.get("version", "")
    if wanted:
        try:
            version = selectors.questionnaire_version_get(public_id=wanted)
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        return redirect("tradecompliance:preview_version", version_id=version.public_id)
    return _preview(request, selectors.questionnaire_current())


@require_GET
@domain_errors_as_http
def preview_version(request: HttpRequest, version_id: str) -> HttpResponse:
    """One published version (older versions stay readable as they were asked)."""
    return _preview(request, selectors.questionnaire_version_get(public_id=version_id))


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_publish(request: HttpRequest) -> HttpResponse:
    """A CBP program admin checks a new question set, then publishes it as the next version."""
    require_perm(request.user, "tradecompliance.questionnaire_publish")
    current = selectors.questionnaire_current()
    summary = None
    status = 200
    if request.method == "POST":
        form = PublishQuestionnaireForm(request.POST)
        if form.is_valid():
            if request.POST.get("action") == "publish":
                try:
                    version = services.questionnaire_version_publish(
                        actor=request.user,
                        question_set=form.question_set,
                        source="Published in the web application",
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                    status = 400
                else:
                    messages.success(
                        request, f"Published version {version.number}: it is now current."
                    )
                    return redirect("tradecompliance:preview_version", version_id=version.public_id)
            else:
                summary = _publish_summary(form.question_set, current)
        else:
            status = 400
    else:
        form = PublishQuestionnaireForm()
    return render(
        request,
        "tradecompliance/publish.html",
        {"form": form, "current": current, "summary": summary},
        status=status,
    )


def _publish_summary(question_set: questionset.QuestionSet, current) -> dict:
    codes = [q.code for q in question_set.questions()]
    before = (
        list(
            current.questions.order_by("section__position", "number").values_list("code", flat=True)
        )
        if current is not None
        else []
    )
    return {
        "question_set": question_set,
        "count": len(codes),
        "added": [c for c in codes if c not in set(before)],
        "removed": [c for c in before if c not in set(codes)],
        "next_number": (current.number if current is not None else 0) + 1,
    }


# --- Readiness -----------------------------------------------------------------------------------


def _readiness_url(request: HttpRequest, partner: Partner) -> str:
    if request.user.organization_id == partner.organization_id:
        return reverse("tradecompliance:readiness")
    return reverse("tradecompliance:readiness_partner", kwargs={"partner_id": partner.public_id})


def _can_answer(user, partner: Partner) -> bool:
    return (
        roles.has_perm(user, "tradecompliance.readiness_own")
        and user.organization_id == partner.organization_id
    )


def _readiness_context(
    request: HttpRequest,
    partner: Partner,
    *,
    answers_form: EligibilityAnswersForm | None = None,
    profile_form: TradeComplianceProfileForm | None = None,
    dispute_form: ProfileDisputeForm | None = None,
    clear_form: CbpFactClearForm | None = None,
    notice: str = "",
) -> dict:
    readiness = selectors.readiness_for(partner)
    user = request.user
    can_answer = _can_answer(user, partner) and readiness.version is not None
    if answers_form is None and can_answer:
        answers_form = EligibilityAnswersForm(
            version=readiness.version,
            questions=readiness.questions,
            answers=readiness.answers_by_code,
        )
    can_change_profile = services.can_change_profile(user, partner)
    if profile_form is None and can_change_profile:
        profile_form = TradeComplianceProfileForm.for_profile(
            readiness.profile, locked=_locked_facts(user, readiness.profile)
        )
    is_cbp = roles.has_perm(user, "tradecompliance.profile_change_any")
    recorded = list(readiness.profile.cbp_recorded_facts) if readiness.profile else []
    codes = set(readiness.decision.codes)
    return {
        "partner": partner,
        "readiness": readiness,
        "decision": readiness.decision,
        "reasons": readiness.reasons_with_questions(),
        "wrong_entity_type": rules.ReasonCode.ENTITY_TYPE_NOT_ELIGIBLE in codes,
        "answers_form": answers_form,
        "profile_form": profile_form,
        "can_answer": can_answer,
        "can_change_profile": can_change_profile,
        "is_own": user.organization_id == partner.organization_id,
        "answer_rows": [(q, readiness.answers_by_code.get(q.code)) for q in readiness.questions],
        "notice": notice,
        "readiness_url": _readiness_url(request, partner),
        "cbp_recorded": [rules.CBP_RECORDABLE_FACTS[f] for f in recorded],
        "can_dispute": bool(recorded) and not is_cbp and services.can_change_profile(user, partner),
        "dispute_form": dispute_form or ProfileDisputeForm(),
        "can_clear_facts": bool(recorded) and is_cbp,
        "clear_form": clear_form
        or CbpFactClearForm(initial={"fact": recorded[0] if recorded else ""}),
    }


def _locked_facts(user, profile) -> list[str]:
    """The facts a company user may not change: those CBP recorded."""
    if profile is None or roles.has_perm(user, "tradecompliance.profile_change_any"):
        return []
    return list(profile.cbp_recorded_facts)


def _render_readiness(request, partner, status: int = 200, **kwargs) -> HttpResponse:
    return render_page_or_partial(
        request,
        "tradecompliance/readiness.html",
        "tradecompliance/partials/readiness_panel.html",
        _readiness_context(request, partner, **kwargs),
        status=status,
    )


@login_required
@require_GET
def readiness(request: HttpRequest) -> HttpResponse:
    """A partner's users: their company's readiness. CBP staff: the partners to choose from."""
    user = request.user
    if roles.has_perm(user, "tradecompliance.readiness_view_all"):
        partners = selectors.readiness_partner_list(viewer=user)
        page, query = paginate(request, partners, READINESS_LIST_PAGE_SIZE)
        return render(
            request,
            "tradecompliance/readiness_list.html",
            {"page_obj": page, "query_without_page": query},
        )
    require_perm(user, "tradecompliance.readiness_own")
    partner = partner_selectors.partner_for_user(user)
    if partner is None:
        return render(request, "tradecompliance/readiness_no_partner.html")
    return _render_readiness(request, partner)


@login_required
@require_GET
@domain_errors_as_http
def readiness_partner(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = selectors.readiness_partner_get(viewer=request.user, public_id=partner_id)
    return _render_readiness(request, partner)


def _after_save(request: HttpRequest, partner: Partner, notice: str) -> HttpResponse:
    """After a successful save: the refreshed panel for HTMX, a redirect (PRG) otherwise."""
    if is_partial_request(request):
        return _render_readiness(request, partner, notice=notice)
    messages.success(request, notice)
    return redirect(_readiness_url(request, partner))


@login_required
@require_POST
@domain_errors_as_http
def readiness_answers(request: HttpRequest, partner_id: str) -> HttpResponse:
    """Save the company's answers to the eligibility questions (not an application)."""
    partner = selectors.readiness_partner_get(viewer=request.user, public_id=partner_id)
    if not _can_answer(request.user, partner):
        raise PermissionDenied("Only the company's own users answer its eligibility questions.")
    version = selectors.questionnaire_current()
    if version is None:
        raise Http404("No questionnaire has been published.")
    questions = selectors.eligibility_questions(version)
    form = EligibilityAnswersForm(request.POST, version=version, questions=questions)
    if form.is_valid():
        try:
            services.readiness_answers_save(
                actor=request.user, partner=partner, version=version, answers=form.answers()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _after_save(request, partner, "Your answers are saved.")
    return _render_readiness(request, partner, status=400, answers_form=form)


@login_required
@require_POST
@domain_errors_as_http
def readiness_profile(request: HttpRequest, partner_id: str) -> HttpResponse:
    """Record the company's Trade Compliance facts (self-declared, or by CBP)."""
    partner = selectors.readiness_partner_get(viewer=request.user, public_id=partner_id)
    if not services.can_change_profile(request.user, partner):
        raise PermissionDenied("You cannot change this company's Trade Compliance facts.")
    profile = selectors.profile_for(partner)
    form = TradeComplianceProfileForm.for_profile(
        profile, request.POST, locked=_locked_facts(request.user, profile)
    )
    if form.is_valid():
        try:
            services.tc_profile_update(actor=request.user, partner=partner, **form.service_kwargs())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _after_save(request, partner, "The company's facts are saved.")
    return _render_readiness(request, partner, status=400, profile_form=form)


@login_required
@require_POST
@domain_errors_as_http
def readiness_profile_dispute(request: HttpRequest, partner_id: str) -> HttpResponse:
    """The company's officer disputes the facts CBP recorded, with a note; CBP is told."""
    partner = selectors.readiness_partner_get(viewer=request.user, public_id=partner_id)
    form = ProfileDisputeForm(request.POST)
    if form.is_valid():
        try:
            services.tc_profile_dispute(
                actor=request.user, partner=partner, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            add_domain_error(form, exc)
        else:
            return _after_save(request, partner, "Your dispute is recorded and CBP has been told.")
    return _render_readiness(request, partner, status=400, dispute_form=form)


@login_required
@require_POST
@domain_errors_as_http
def readiness_profile_clear_fact(request: HttpRequest, partner_id: str) -> HttpResponse:
    """CBP clears its record of one fact; the company may then state it again."""
    partner = selectors.readiness_partner_get(viewer=request.user, public_id=partner_id)
    form = CbpFactClearForm(request.POST)
    if form.is_valid():
        try:
            services.tc_profile_cbp_fact_clear(
                actor=request.user,
                partner=partner,
                fact=form.cleaned_data["fact"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            add_domain_error(form, exc)
        else:
            return _after_save(request, partner, "CBP's record of that fact is cleared.")
    return _render_readiness(request, partner, status=400, clear_form=form)
