"""Suspension and appeal pages: permission → form → service/selector → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core import uploads
from ctpat.core.errors import DomainError
from ctpat.core.views import add_domain_error, domain_errors_as_http
from ctpat.partners import rules as partner_rules
from ctpat.partners import selectors as partner_selectors
from ctpat.partners.conf import enforcement_policy

from . import rules, selectors, services
from .choices import TC_APPLICATION_OUTCOME_HELP, AppealState, AppealSubject
from .forms import (
    AnswerForm,
    AppealDecisionForm,
    AppealFileForm,
    CaseDecisionForm,
    RemoveImmediatelyForm,
    SuspendForm,
)


def _can_view(user) -> bool:
    return roles.has_perm(user, "enforcement.view_all") or roles.has_perm(
        user, "enforcement.view_own"
    )


def _policy_context() -> dict:
    policy = enforcement_policy()
    return {
        "response_days": policy.response_days,
        "statute": rules.STATUTE_967,
        "practice": rules.SUSPENSION_PRACTICE,
    }


@login_required
@require_GET
@domain_errors_as_http
def home(request: HttpRequest) -> HttpResponse:
    """Suspensions and appeals: the member's own, or CBP's open ones with their clocks."""
    user = request.user
    if not _can_view(user):
        raise PermissionDenied("You do not have permission to see this page.")
    today = timezone.localdate()
    context = {"today": today, **_policy_context()}
    if roles.has_perm(user, "enforcement.view_all"):
        context.update(
            cbp=True,
            open_cases=selectors.case_list(viewer=user).filter(state__in=("open", "answered")),
            appeal_clocks=selectors.open_appeal_clocks(viewer=user, today=today),
            decided_appeals=selectors.appeal_list(viewer=user, state=AppealState.DECIDED)[:20],
        )
    else:
        partner = partner_selectors.partner_for_user(user)
        context.update(
            cbp=False,
            partner=partner,
            cases=selectors.case_list(viewer=user, partner=partner) if partner else [],
            appeals=selectors.appeal_list(viewer=user, partner=partner) if partner else [],
            appealables=selectors.appealable_decisions(partner, today=today) if partner else [],
            can_file=roles.has_perm(user, "appeal.file_own"),
        )
    return render(request, "enforcement/home.html", context)


# --- CBP: suspend, remove immediately --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def suspend(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = partner_selectors.partner_get(viewer=request.user, public_id=partner_id)
    if not roles.has_perm(request.user, "partner.transition_any"):
        raise PermissionDenied("Only CBP suspends a membership.")
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.partner_suspend(
                actor=request.user,
                partner=partner,
                letter=form.cleaned_data["letter"],
                required_actions=form.cleaned_data["required_actions"],
                other_actions=form.cleaned_data["other_actions"],
                false_information=form.cleaned_data["false_information"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{partner.name} is suspended; the company is notified.")
            return redirect("enforcement:case_detail", case_id=case.public_id)
    context = {"partner": partner, "form": form, **_policy_context()}
    return render(request, "enforcement/suspend.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def remove_immediately(request: HttpRequest, partner_id: str) -> HttpResponse:
    partner = partner_selectors.partner_get(viewer=request.user, public_id=partner_id)
    if not roles.has_perm(request.user, "partner.remove_immediately"):
        raise PermissionDenied("Only a CBP program admin can remove a member immediately.")
    form = RemoveImmediatelyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_remove_immediately(
                actor=request.user,
                partner=partner,
                reason=form.cleaned_data["reason"],
                false_information=form.cleaned_data["false_information"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{partner.name} is removed; the company is notified.")
            return redirect("partners:status_history", partner_id=partner.public_id)
    context = {"partner": partner, "form": form, **_policy_context()}
    return render(request, "enforcement/remove.html", context, status=400 if form.errors else 200)


# --- Suspension case -------------------------------------------------------------------------


def _case_context(request, case, *, answer_form=None, decision_form=None) -> dict:
    user = request.user
    today = timezone.localdate()
    own = user.organization_id == case.partner.organization_id
    window = rules.answer_window_decision(response_due=case.response_due, today=today)
    return {
        "case": case,
        "partner": case.partner,
        "answers": selectors.case_answers(case),
        "days_left": rules.days_left(case.response_due, today),
        "window_open": window.allowed,
        "can_answer": case.is_open
        and window.allowed
        and own
        and roles.has_perm(user, "enforcement.answer_own"),
        "can_decide": case.is_open and roles.has_perm(user, "enforcement.review"),
        "decision_form": decision_form or CaseDecisionForm(),
        "removal_waits": not window.allowed or case.state == "answered",
        **_policy_context(),
    }


@login_required
@require_GET
@domain_errors_as_http
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, public_id=case_id)
    return render(request, "enforcement/case_detail.html", _case_context(request, case))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def case_answer(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, public_id=case_id)
    context = _case_context(request, case)
    own = case.partner.organization_id == request.user.organization_id
    if not (own and roles.has_perm(request.user, "enforcement.answer_own")):
        raise PermissionDenied("Only the company's officer answers a suspension.")
    fields = services.answer_fields(case)
    form = AnswerForm(request.POST or None, request.FILES or None, fields=fields)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspension_answer_submit(
                actor=request.user,
                case=case,
                action_answers=form.action_answers(),
                note=form.cleaned_data["note"],
                files=form.cleaned_data["documents"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)  # a refused file is reported under "documents"
        else:
            messages.success(request, "Your answer is sent to CBP.")
            return redirect("enforcement:case_detail", case_id=case.public_id)
    context.update(form=form, scanner_configured=bool(uploads.configured_scanner()))
    return render(
        request, "enforcement/case_answer.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
@domain_errors_as_http
def case_decide(request: HttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, public_id=case_id)
    if not roles.has_perm(request.user, "enforcement.review"):
        raise PermissionDenied("Only the SCSS or a program admin decides a suspension.")
    form = CaseDecisionForm(request.POST)
    if form.is_valid():
        try:
            partner = services.suspension_case_decide(
                actor=request.user,
                case=case,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"{partner.name} is now {partner_rules.status_name(partner.status)}."
            )
            return redirect("enforcement:case_detail", case_id=case.public_id)
    context = _case_context(request, case, decision_form=form)
    return render(request, "enforcement/case_detail.html", context, status=400)


# --- Appeals ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def appeal_file(request: HttpRequest, partner_id: str) -> HttpResponse:
    """File an appeal of a decision in force: ``?decision=<ref>`` picks it (the "Appeal this
    decision" links of the Trade Compliance pages); with one decision open it is preselected."""
    partner = partner_selectors.partner_get(viewer=request.user, public_id=partner_id)
    if not (
        roles.has_perm(request.user, "appeal.file_own")
        and request.user.organization_id == partner.organization_id
    ):
        raise PermissionDenied("Only the company's officer files an appeal.")
    today = timezone.localdate()
    decisions = selectors.appealable_decisions(partner, today=today)
    open_decisions = [d for d in decisions if d.filing_open]
    wanted = request.GET.get("decision", "")
    if not wanted and len(open_decisions) == 1:
        wanted = open_decisions[0].ref
    form = AppealFileForm(
        request.POST or None,
        request.FILES or None,
        decisions=open_decisions,
        initial={"decision": wanted},
    )
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_file(
                actor=request.user,
                partner=partner,
                decision_ref=form.cleaned_data["decision"],
                grounds=form.cleaned_data["grounds"],
                files=form.cleaned_data["documents"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Your appeal {appeal.public_id} is filed.")
            return redirect("enforcement:appeal_detail", appeal_id=appeal.public_id)
    # The decision the link named first, then the others.
    decisions.sort(key=lambda d: d.ref != wanted)
    context = {
        "partner": partner,
        "decisions": decisions,
        "open_decisions": open_decisions,
        "form": form,
        "scanner_configured": bool(uploads.configured_scanner()),
        **_policy_context(),
    }
    return render(
        request, "enforcement/appeal_file.html", context, status=400 if form.errors else 200
    )


def _reversed_target(appeal) -> str | None:
    if appeal.subject == AppealSubject.TC_MEMBERSHIP:
        return "active"
    if appeal.subject == AppealSubject.TC_APPLICATION:
        return "approved"
    partner = appeal.partner
    return rules.reversed_target(
        decision_kind=appeal.decision_kind,
        status_before_suspension=partner.status_before_suspension or None,
        status_before_removal=partner.status_before_removal or None,
    )


def _appeal_context(request, appeal, form=None) -> dict:
    today = timezone.localdate()
    targets = selectors.appeal_targets(appeal)
    can_decide = appeal.state == AppealState.FILED and roles.has_perm(request.user, "appeal.decide")
    return {
        "appeal": appeal,
        "partner": appeal.partner,
        "documents": appeal.documents.all(),
        "days_left": rules.days_left(appeal.decision_due, today),
        "paragraph": rules.statute_paragraph(appeal.basis),
        "can_decide": can_decide,
        "form": form or AppealDecisionForm(targets=targets, subject=appeal.subject),
        "reversed_target": _reversed_target(appeal),
        "outcome_help": TC_APPLICATION_OUTCOME_HELP
        if appeal.subject == AppealSubject.TC_APPLICATION
        else None,
        **_policy_context(),
    }


@login_required
@require_GET
@domain_errors_as_http
def appeal_detail(request: HttpRequest, appeal_id: str) -> HttpResponse:
    appeal = selectors.appeal_get(viewer=request.user, public_id=appeal_id)
    return render(request, "enforcement/appeal_detail.html", _appeal_context(request, appeal))


@login_required
@require_POST
@domain_errors_as_http
def appeal_decide(request: HttpRequest, appeal_id: str) -> HttpResponse:
    appeal = selectors.appeal_get(viewer=request.user, public_id=appeal_id)
    if not roles.has_perm(request.user, "appeal.decide"):
        raise PermissionDenied("Only a CBP program admin decides appeals.")
    targets = selectors.appeal_targets(appeal)
    form = AppealDecisionForm(request.POST, targets=targets, subject=appeal.subject)
    if form.is_valid():
        try:
            appeal = services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                resulting_status=form.cleaned_data.get("resulting_status") or None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, f"Appeal {appeal.public_id} decided: {appeal.get_outcome_display()}."
            )
            return redirect("enforcement:appeal_detail", appeal_id=appeal.public_id)
    return render(
        request,
        "enforcement/appeal_detail.html",
        _appeal_context(request, appeal, form),
        status=400,
    )


@login_required
@require_GET
@domain_errors_as_http
def document_download(request: HttpRequest, enforcement_document_id: str) -> HttpResponse:
    document = selectors.document_get(viewer=request.user, public_id=enforcement_document_id)
    return uploads.download_response(
        document.file, filename=document.original_name, detected=document.file_type
    )
