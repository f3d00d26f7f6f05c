"""Security-profile pages.

* Overview — completeness, must- and should-gaps, the review window, what changed in the
  criteria since answers were given; partner users and CBP staff.
* Answer form per category — each criterion saves on its own (HTMX), recording the version.
* Evidence — upload (type, size, content checked; scan status shown), list, download through a
  permission check (files are never public static).
* Submit — refused with the list of must-gaps; a second or stale submission is a conflict.
* SCSS review queue and decision page; annual review (risk assessment → confirm answers →
  submit); history (the profile's audit events).

Every view is permission → form → service/selector → render; HTMX requests get the partial.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core import uploads
from ctpat.core.errors import ConflictError, DomainError
from ctpat.core.htmx import is_partial_request
from ctpat.core.lists import list_page, paginate
from ctpat.core.views import add_domain_error, domain_errors_as_http
from ctpat.criteria.choices import Category
from ctpat.partners import selectors as partner_selectors

from . import rules, selectors, services
from .choices import ProfileStatus
from .forms import (
    AnswerForm,
    ConfirmUnchangedForm,
    DecisionForm,
    EvidenceUploadForm,
    RiskAssessmentForm,
    SubmitForm,
)

LIST_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 50


def _profile_for_change(request, profile_id: str):
    """The profile, if the viewer may change it (their own company's); 404 otherwise."""
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    if not services.can_answer(request.user, profile):
        raise Http404("No such security profile.")
    return profile


def _overview(profile):
    return selectors.profile_overview(
        partner=profile.partner, profile=profile, today=timezone.localdate()
    )


def _base_context(request, profile, overview=None) -> dict:
    user = request.user
    return {
        "profile": profile,
        "partner": profile.partner,
        "overview": overview or _overview(profile),
        "can_answer": services.can_answer(user, profile)
        and profile.status != ProfileStatus.SUBMITTED,
        "can_submit": services.can_submit(user, profile) and profile.is_open,
        "can_decide": services.can_decide(user) and profile.status == ProfileStatus.SUBMITTED,
        "is_own": user.organization_id == profile.partner.organization_id,
    }


# --- Overview and lists --------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A partner's users: their company's profile. CBP staff: every profile."""
    user = request.user
    if roles.has_perm(user, "profile.view_all"):
        profiles = selectors.profile_list(viewer=user)
        status = request.GET.get("status", "")
        if status in ProfileStatus.values:
            profiles = profiles.filter(status=status)
        return list_page(
            request,
            items=profiles,
            page_size=LIST_PAGE_SIZE,
            template="profiles/list.html",
            context={
                "statuses": ProfileStatus.choices,
                "status": status,
                "queue_count": selectors.review_queue(viewer=user).count(),
            },
        )
    if not roles.has_perm(user, "profile.answer_own"):
        raise PermissionDenied("Security profiles are for partner companies and CBP staff.")
    partner = partner_selectors.partner_for_user(user)
    if partner is None:
        raise Http404("Your organization has no CTPAT account.")
    profile = selectors.profile_for_partner(partner)
    if profile is not None:
        return redirect("profiles:detail", profile_id=profile.public_id)
    overview = selectors.profile_overview(partner=partner, profile=None, today=timezone.localdate())
    return render(request, "profiles/start.html", {"partner": partner, "overview": overview})


@login_required
@require_POST
@domain_errors_as_http
def start(request: HttpRequest) -> HttpResponse:
    partner = partner_selectors.partner_for_user(request.user)
    if partner is None or not services.can_answer(request.user, partner):
        raise PermissionDenied("Only a partner company's users start its security profile.")
    try:
        profile = services.profile_start(actor=request.user, partner=partner)
    except ConflictError:
        profile = selectors.profile_for_partner(partner)
    return redirect("profiles:detail", profile_id=profile.public_id)


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not services.can_decide(request.user):
        raise PermissionDenied("The review queue is for SCSS and CBP program admins.")
    queue = list(selectors.review_queue(viewer=request.user))
    mine = [p for p in queue if p.partner.assigned_scss_id == request.user.pk]
    others = [p for p in queue if p.partner.assigned_scss_id != request.user.pk]
    return render(request, "profiles/queue.html", {"mine": mine, "others": others})


@login_required
@require_GET
@domain_errors_as_http
def detail(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    context = _base_context(request, profile)
    context.update(
        submission=selectors.latest_submission(profile),
        reviews=selectors.annual_review_list(profile)[:5],
    )
    return render(request, "profiles/detail.html", context)


# --- Answers -------------------------------------------------------------------------------------


def _row_context(request, profile, row, form=None, notice: str = "") -> dict:
    can = services.can_answer(request.user, profile) and profile.status != ProfileStatus.SUBMITTED
    if form is None and can:
        initial = {}
        if row.answer is not None:
            initial.update(answer=row.answer.answer, narrative=row.answer.narrative)
        form = AnswerForm(initial=initial, prefix=AnswerForm.prefix_for(row.msc_id))
    return {
        "profile": profile,
        "row": row,
        "form": form,
        "can_answer": can,
        "notice": notice,
        "row_id": AnswerForm.prefix_for(row.msc_id),
    }


@login_required
@require_GET
@domain_errors_as_http
def category(request: HttpRequest, profile_id: str, category: int) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    if category not in Category.values:
        raise Http404("No such category.")
    overview = _overview(profile)
    group = overview.category(category)
    rows = [_row_context(request, profile, row) for row in (group.rows if group else [])]
    context = _base_context(request, profile, overview)
    context.update(
        category_number=category,
        category_label=str(Category(category).label),
        group=group,
        rows=rows,
        categories=overview.categories,
        review=profile.current_review,
    )
    return render(request, "profiles/category.html", context)


@login_required
@require_POST
@domain_errors_as_http
def answer_save(request: HttpRequest, profile_id: str) -> HttpResponse:
    """Save one criterion's answer; HTMX gets the criterion's refreshed block."""
    profile = _profile_for_change(request, profile_id)
    msc_id = request.POST.get("msc_id", "")
    overview = _overview(profile)
    row = overview.row(msc_id)
    if row is None:
        raise Http404("That criterion is not in your company's current criteria.")
    form = AnswerForm(request.POST, prefix=AnswerForm.prefix_for(msc_id))
    if form.is_valid():
        try:
            services.answer_save(
                actor=request.user,
                profile=profile,
                msc_id=msc_id,
                answer=form.cleaned_data["answer"],
                narrative=form.cleaned_data["narrative"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not is_partial_request(request):
                messages.success(request, f"Answer to {msc_id} saved.")
                return redirect(
                    "profiles:category",
                    profile_id=profile.public_id,
                    category=row.criterion.category,
                )
            profile.refresh_from_db()
            row = _overview(profile).row(msc_id)
            return render(
                request,
                "profiles/partials/criterion.html",
                _row_context(request, profile, row, notice=f"Saved: {msc_id}."),
            )
    context = _row_context(request, profile, row, form=form)
    if is_partial_request(request):
        return render(request, "profiles/partials/criterion.html", context)
    messages.error(request, f"The answer to {msc_id} was not saved: {' '.join(_errors(form))}")
    return redirect(
        "profiles:category", profile_id=profile.public_id, category=row.criterion.category
    )


def _errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


@login_required
@require_POST
@domain_errors_as_http
def category_confirm(request: HttpRequest, profile_id: str, category: int) -> HttpResponse:
    """Confirm that every answer in the category still holds (annual review)."""
    profile = _profile_for_change(request, profile_id)
    group = _overview(profile).category(category)
    if group is None:
        raise Http404("No such category for this company.")
    try:
        count = services.answers_reconfirm(
            actor=request.user, profile=profile, msc_ids=[r.msc_id for r in group.rows]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{count} answer(s) confirmed against the current criteria.")
    return redirect("profiles:category", profile_id=profile.public_id, category=category)


# --- Evidence ------------------------------------------------------------------------------------


def _allowed_text() -> str:
    return (
        f"Accepted: {uploads.allowed_description(settings.CTPAT_EVIDENCE_ALLOWED_TYPES)}; at most "
        f"{uploads.human_size(settings.CTPAT_EVIDENCE_MAX_BYTES)}."
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def evidence(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    overview = _overview(profile)
    choices = [(r.msc_id, f"{r.msc_id} — {r.criterion.text[:80]}") for r in overview.rows]
    status = 200
    if request.method == "POST":
        if not services.can_answer(request.user, profile):
            raise PermissionDenied("Only the company's own users add evidence.")
        form = EvidenceUploadForm(
            request.POST, request.FILES, msc_choices=choices, allowed_text=_allowed_text()
        )
        if form.is_valid():
            try:
                item = services.evidence_upload(
                    actor=request.user,
                    profile=profile,
                    uploaded_file=form.cleaned_data["file"],
                    msc_id=form.cleaned_data["msc_id"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(
                    request,
                    f"{item.original_name} uploaded ({item.get_scan_status_display().lower()}).",
                )
                return redirect("profiles:evidence", profile_id=profile.public_id)
        else:
            status = 400
    else:
        form = EvidenceUploadForm(msc_choices=choices, allowed_text=_allowed_text())
    context = _base_context(request, profile, overview)
    context.update(
        form=form,
        items=selectors.evidence_list(profile),
        scanner_configured=bool(uploads.configured_scanner()),
    )
    return render(request, "profiles/evidence.html", context, status=status)


@login_required
@require_GET
@domain_errors_as_http
def evidence_download(request: HttpRequest, profile_id: str, evidence_id: str) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    item = selectors.evidence_get(viewer=request.user, profile=profile, public_id=evidence_id)
    return uploads.download_response(
        item.file, filename=item.original_name, detected=item.detected_type
    )


# --- Submit and decide ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def submit(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    if not services.can_submit(request.user, profile):
        raise PermissionDenied("Only the company's officer submits its security profile.")
    status = 200
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                services.profile_submit(
                    actor=request.user,
                    profile=profile,
                    expected_version=form.cleaned_data["expected_version"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(request, "Submitted. Your SCSS has been told.")
                return redirect("profiles:detail", profile_id=profile.public_id)
        else:
            status = 400
        profile.refresh_from_db()
    else:
        form = SubmitForm(initial={"expected_version": profile.lock_version})
    context = _base_context(request, profile)
    context.update(_submit_state(profile, context["overview"]))
    context.update(form=form)
    return render(request, "profiles/submit.html", context, status=status)


def _submit_state(profile, overview) -> dict:
    """What the Submit page shows before its button: everything that still blocks submission,
    counted exactly as ``services.profile_submit`` counts it."""
    review = selectors.review_being_submitted(profile, timezone.localdate())
    progress = selectors.review_progress(overview, review)
    assessment = overview.assessment
    blockers = bool(
        assessment.nothing_to_assess
        or assessment.must_gaps
        or (progress is not None and not progress.complete)
    )
    return {
        "review": review,
        "progress": progress,
        "ready": profile.is_open and not blockers,
        "nothing_to_assess_message": rules.nothing_to_assess_message(
            profile.partner.get_entity_type_display()
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def annual_review_confirm(request: HttpRequest, profile_id: str) -> HttpResponse:
    """The annual review's "confirm every unchanged answer": the list, then one confirmation."""
    profile = _profile_for_change(request, profile_id)
    status = 200
    if request.method == "POST":
        form = ConfirmUnchangedForm(request.POST)
        if form.is_valid():
            try:
                confirmed = services.annual_review_confirm_unchanged(
                    actor=request.user,
                    profile=profile,
                    msc_ids=form.cleaned_data["msc_ids"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(
                    request,
                    f"{len(confirmed)} answer{'s' if len(confirmed) != 1 else ''} confirmed "
                    "unchanged for this annual review.",
                )
                return redirect("profiles:submit", profile_id=profile.public_id)
        else:
            status = 400
        profile.refresh_from_db()
    else:
        form = None
    context = _base_context(request, profile)
    progress = selectors.review_progress(context["overview"], profile.current_review)
    rows = progress.to_confirm if progress else []
    fresh = ConfirmUnchangedForm(
        initial={
            "expected_version": profile.lock_version,
            "msc_ids": " ".join(r.msc_id for r in rows),
        }
    )
    context.update(
        review=profile.current_review,
        progress=progress,
        rows=rows,
        form=form or fresh,
        fresh_form=fresh,
    )
    return render(request, "profiles/annual_review_confirm.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def decide(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    if not services.can_decide(request.user):
        raise PermissionDenied("Only an SCSS or a CBP program admin decides profiles.")
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.profile_decide(
                    actor=request.user,
                    profile=profile,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(request, "Decision recorded; the company has been told.")
                return redirect("profiles:queue")
        else:
            status = 400
    else:
        form = DecisionForm()
    context = _base_context(request, profile)
    context.update(
        form=form,
        submission=selectors.latest_submission(profile),
        profile_evidence=[e for e in selectors.evidence_list(profile) if not e.msc_id],
    )
    return render(request, "profiles/decide.html", context, status=status)


# --- Annual review and history -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def annual_review(request: HttpRequest, profile_id: str) -> HttpResponse:
    """Step 1: the annual risk assessment; then the categories to confirm; then submit."""
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    status = 200
    form = None
    if request.method == "POST":
        if not services.can_answer(request.user, profile):
            raise PermissionDenied("Only the company's own users carry out its annual review.")
        form = RiskAssessmentForm(request.POST)
        if form.is_valid():
            try:
                services.annual_review_start(
                    actor=request.user, profile=profile, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 409 if isinstance(exc, ConflictError) else 400
            else:
                messages.success(
                    request, "Risk assessment recorded. Now confirm or update each category."
                )
                return redirect("profiles:annual_review", profile_id=profile.public_id)
        else:
            status = 400
        profile.refresh_from_db()
    overview = _overview(profile)
    review = profile.current_review
    if form is None and review is None and services.can_answer(request.user, profile):
        form = RiskAssessmentForm()
    steps = []
    if review is not None:
        for group in overview.categories:
            done = sum(
                1
                for r in group.rows
                if r.level is None or (r.answer and r.answer.answered_at >= review.started_at)
            )
            steps.append({"group": group, "done": done, "total": len(group.rows)})
    context = _base_context(request, profile, overview)
    context.update(
        form=form,
        review=review,
        steps=steps,
        all_confirmed=bool(steps) and all(s["done"] == s["total"] for s in steps),
        progress=selectors.review_progress(overview, review),
        reviews=selectors.annual_review_list(profile),
        window_days=rules.ANNUAL_REVIEW_WINDOW_DAYS,
    )
    return render(request, "profiles/annual_review.html", context, status=status)


@login_required
@require_GET
@domain_errors_as_http
def history(request: HttpRequest, profile_id: str) -> HttpResponse:
    profile = selectors.profile_get(viewer=request.user, public_id=profile_id)
    page, query = paginate(request, selectors.profile_history(profile), HISTORY_PAGE_SIZE)
    context = _base_context(request, profile)
    context.update(
        page_obj=page,
        query_without_page=query,
        submissions=selectors.submission_list(profile),
    )
    return render(request, "profiles/history.html", context)
