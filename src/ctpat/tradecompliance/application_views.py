"""Trade Compliance application pages.

* The company: a company officer launches the application once the readiness check allows it
  (its reasons are shown otherwise); the company's users fill the steps (eligibility, IOR
  selection, internal controls, forced labor, MOU, review) — every step saves as a draft, by
  HTMX or a plain post; the officer signs the MOU and submits; the company answers CBP's
  questions and sees the decision and its Trade Compliance account number.
* CBP: the application queue (filters, pages, CSV), assignment to a National Account Manager,
  requests for information, approval and denial, moving an application to new questions.

Thin views: permission → form → service/selector → render. Refusals come back as form errors
(400), 403 or 404 pages, or 409 for a conflict (a second submission from another tab).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.accounts.models import User
from ctpat.core import uploads
from ctpat.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ctpat.core.htmx import is_partial_request, render_page_or_partial
from ctpat.core.lists import CsvExport, list_page
from ctpat.core.views import domain_errors_as_http, require_perm
from ctpat.partners import selectors as partner_selectors
from ctpat.partners.choices import IdentifierKind

from . import rules, selectors, services
from .choices import ApplicationStatus
from .forms import (
    ApplicationStepForm,
    AssignForm,
    DocumentUploadForm,
    InformationRequestForm,
    IorSelectionForm,
    MouSignatureForm,
    QueueFilterForm,
    ReasonForm,
    ResponseForm,
)

QUEUE_PAGE_SIZE = 25


def _detail_url(application) -> str:
    return reverse(
        "tradecompliance:application_detail", kwargs={"application_id": application.public_id}
    )


def _step_url(application, step: str) -> str:
    return reverse(
        "tradecompliance:application_step",
        kwargs={"application_id": application.public_id, "step": step},
    )


def _conflict(request: HttpRequest, application, exc: DomainError) -> HttpResponse:
    """A refused action on a page that is out of date: the message, with a way back (409)."""
    return render(
        request,
        "tradecompliance/application_conflict.html",
        {"application": application, "message": exc.message, "code": exc.code},
        status=409,
    )


def _get(request: HttpRequest, application_id: str, action: str = "view"):
    return selectors.application_get(viewer=request.user, public_id=application_id, action=action)


# --- The list: the company's applications, or CBP's queue ----------------------------------------


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if roles.has_perm(user, "tradecompliance.application_view_all"):
        return _queue(request)
    require_perm(user, "tradecompliance.application_edit")
    partner = partner_selectors.partner_for_user(user)
    if partner is None:
        return render(request, "tradecompliance/readiness_no_partner.html")
    readiness = selectors.readiness_for(partner)
    applications = selectors.application_list(viewer=user).filter(partner=partner)
    open_application = selectors.application_open_for(partner)
    membership = getattr(partner, "tc_membership", None) if _has_membership(partner) else None
    return render(
        request,
        "tradecompliance/application_list.html",
        {
            "partner": partner,
            "applications": applications,
            "open_application": open_application,
            "membership": membership,
            "readiness": readiness,
            "reasons": readiness.reasons_with_questions(),
            "can_start": roles.has_perm(user, "tradecompliance.application_start")
            and open_application is None
            and membership is None,
        },
    )


def _has_membership(partner) -> bool:
    from .models import TradeComplianceMembership

    return TradeComplianceMembership.objects.filter(partner=partner).exists()


def _queue(request: HttpRequest) -> HttpResponse:
    nams = selectors.nam_users()
    form = QueueFilterForm(
        request.GET or None,
        nams=nams,
        statuses=[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT],
        ages=selectors.QUEUE_AGE_CHOICES,
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "status": form.cleaned_data.get("status") or "",
            "nam": form.cleaned_data.get("nam") or "",
            "older_than_days": form.cleaned_data.get("older_than"),
        }
    applications = selectors.application_queue(viewer=request.user, **filters)
    if form.is_bound and not form.is_valid():
        applications = applications.none()
    today = timezone.localdate()

    def page_rows(page_items):
        conflicts = selectors.applications_with_ior_conflicts(page_items)
        return [
            (a, (today - a.submitted_at.date()).days if a.submitted_at else None, a.pk in conflicts)
            for a in page_items
        ]

    return list_page(
        request,
        items=applications,
        page_size=QUEUE_PAGE_SIZE,
        template="tradecompliance/application_queue.html",
        rows=page_rows,
        export=CsvExport(
            "ctpat-tc-applications",
            QUEUE_CSV_HEADER,
            lambda items: (_queue_csv_row(a, today) for a in items),
        ),
        context={"form": form},
    )


QUEUE_CSV_HEADER = [
    "application",
    "company",
    "partner_id",
    "status",
    "submitted_on",
    "days_since_submission",
    "national_account_manager",
    "questionnaire_version",
    "account_number",
]


def _queue_csv_row(a, today) -> tuple:
    return (
        a.public_id,
        a.partner.name,
        a.partner.public_id,
        a.get_status_display(),
        a.submitted_at.date().isoformat() if a.submitted_at else "",
        (today - a.submitted_at.date()).days if a.submitted_at else "",
        (a.assigned_nam.get_full_name() or a.assigned_nam.get_username()) if a.assigned_nam else "",
        a.version.number,
        a.membership.account_number if a.membership else "",
    )


@login_required
@require_POST
def application_start(request: HttpRequest) -> HttpResponse:
    """The company officer launches Trade Compliance (DOMAIN.md §2.2)."""
    require_perm(request.user, "tradecompliance.application_start")
    partner = partner_selectors.partner_for_user(request.user)
    if partner is None:
        raise Http404("Your organization has no CTPAT account.")
    try:
        application = services.application_start(actor=request.user, partner=partner)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("tradecompliance:applications")
    messages.success(request, "Your Trade Compliance application is started. It saves as you go.")
    return redirect(_step_url(application, rules.STEP_ELIGIBILITY))


# --- The steps -----------------------------------------------------------------------------------


def _step_context(request, application, step: str, **forms_) -> dict:
    user = request.user
    questions = selectors.application_questions(application)
    answers = selectors.application_answers(application)
    section = rules.STEP_SECTIONS.get(step)
    step_questions = [q for q in questions if section and q.section.key == section]
    editable = (
        services.can_edit_application(user, application)
        and application.status in rules.EDITABLE_STATUSES
    )
    offers = selectors.reuse_offers(application, step_questions) if editable else {}
    missing = selectors.application_missing(application)
    missing_by_step: dict[str, list] = {}
    for item in missing:
        missing_by_step.setdefault(item.step, []).append(item)
    index = rules.APPLICATION_STEPS.index(step)
    steps = [
        {
            "key": key,
            "label": rules.STEP_LABELS[key],
            "url": _step_url(application, key),
            "state": "current"
            if i == index
            else ("complete" if key != rules.STEP_REVIEW and key not in missing_by_step else ""),
            "missing": len(missing_by_step.get(key, [])),
        }
        for i, key in enumerate(rules.APPLICATION_STEPS)
    ]
    context = {
        "application": application,
        "step": step,
        "step_label": rules.STEP_LABELS[step],
        "steps": steps,
        "step_number": index + 1,
        "step_count": len(rules.APPLICATION_STEPS),
        "previous_url": _step_url(application, rules.APPLICATION_STEPS[index - 1])
        if index > 0
        else "",
        "next_url": _step_url(application, rules.APPLICATION_STEPS[index + 1])
        if index + 1 < len(rules.APPLICATION_STEPS)
        else "",
        "editable": editable,
        "is_officer": services.is_company_officer(user, application.partner),
        "missing": missing,
        "missing_by_step": [
            (rules.STEP_LABELS[key], missing_by_step[key])
            for key in rules.APPLICATION_STEPS
            if key in missing_by_step
        ],
        "step_missing": missing_by_step.get(step, []),
        "section": next((q.section for q in step_questions), None),
        "offers": offers,
        "answers": answers,
        "notice": forms_.pop("notice", ""),
    }
    if section and step != rules.STEP_MOU:
        form = forms_.get("form") or ApplicationStepForm(questions=step_questions, answers=answers)
        by_code = (
            selectors.application_documents_by_code(application)
            if any(q.answer_type == "document" for q in step_questions)
            else {}
        )
        documents = {
            q.code: by_code.get(q.code, []) for q in step_questions if q.answer_type == "document"
        }
        context["rows"] = [
            {
                "question": q,
                "field": field,
                "url_field": url_field,
                "answer": answers.get(q.code),
                "offers": offers.get(q.code, []),
                "documents": documents.get(q.code),
                "file_field": form.file_field(q),
                "upload_form": forms_.get("upload_form")
                if forms_.get("upload_code") == q.code
                else DocumentUploadForm(initial={"code": q.code}, auto_id=f"upload-{q.code}-%s"),
            }
            for q, field, url_field in form.rows()
        ]
        context["form"] = form
        context["max_upload"] = uploads.human_size(services.application_document_max_bytes())
        context["allowed_types"] = uploads.allowed_description(services.APPLICATION_DOCUMENT_TYPES)
    elif step == rules.STEP_IORS:
        identifiers = application.partner.identifiers.filter(
            kind=IdentifierKind.IOR, is_active=True
        )
        context["form"] = forms_.get("form") or IorSelectionForm(
            identifiers=identifiers,
            selected=application.ior_numbers.values_list("value", flat=True),
        )
    elif step == rules.STEP_MOU:
        context["mou_questions"] = step_questions
        context["form"] = forms_.get("form") or MouSignatureForm(
            questions=step_questions,
            initial={
                "acknowledged": [
                    q.code
                    for q in step_questions
                    if answers.get(q.code) and answers[q.code].acknowledged
                ],
                "signer_name": application.mou_signer_name,
            },
        )
    else:
        documents = selectors.application_documents_by_code(application)
        context["review"] = [
            (
                s,
                [
                    (q, answers.get(q.code), documents.get(q.code, []))
                    for q in questions
                    if q.section_id == s.pk
                ],
            )
            for s in selectors.questionnaire_sections(application.version)
        ]
        context["iors"] = list(application.ior_numbers.all())
    return context


def _render_step(request, application, step, status=200, **forms_):
    return render_page_or_partial(
        request,
        "tradecompliance/application_step.html",
        "tradecompliance/partials/application_step_form.html",
        _step_context(request, application, step, **forms_),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def application_step(request: HttpRequest, application_id: str, step: str) -> HttpResponse:
    application = _get(request, application_id)
    if step not in rules.APPLICATION_STEPS:
        raise Http404("No such step.")
    if request.method == "GET":
        return _render_step(request, application, step)
    if not services.can_edit_application(request.user, application):
        raise PermissionDenied("Only the company's own users fill in its application.")
    section = rules.STEP_SECTIONS.get(step)
    uploaded = ""
    try:
        if step == rules.STEP_IORS:
            form = IorSelectionForm(
                request.POST,
                identifiers=application.partner.identifiers.filter(
                    kind=IdentifierKind.IOR, is_active=True
                ),
            )
            if not form.is_valid():
                return _render_step(request, application, step, status=400, form=form)
            services.application_iors_select(
                actor=request.user,
                application=application,
                ior_numbers=form.cleaned_data["ior_numbers"],
            )
        elif step == rules.STEP_MOU:
            questions = [
                q for q in selectors.application_questions(application) if q.section.key == "mou"
            ]
            form = MouSignatureForm(request.POST, questions=questions)
            if not form.is_valid():
                return _render_step(request, application, step, status=400, form=form)
            try:
                services.application_sign_mou(
                    actor=request.user,
                    application=application,
                    signer_name=form.cleaned_data["signer_name"],
                    acknowledged=form.cleaned_data["acknowledged"],
                )
            except DomainError as exc:
                if isinstance(exc, PermissionDeniedError | ConflictError):
                    raise
                _add_errors(form, exc)
                return _render_step(request, application, step, status=400, form=form)
        elif section:
            form, result = _save_step_answers(request, application, section)
            if result is None or result.file_errors:
                return _render_step(request, application, step, status=400, form=form)
            uploaded = ", ".join(d.original_name for d in result.documents)
        else:
            raise Http404("Nothing to save on this step.")
    except ConflictError as exc:
        return _conflict(request, application, exc)
    application.refresh_from_db()
    notice = "Saved."
    if uploaded:
        notice = f"Saved, and {uploaded} is uploaded."
    if is_partial_request(request):
        return _render_step(request, application, step, notice=notice)
    messages.success(request, notice)
    index = rules.APPLICATION_STEPS.index(step)
    if request.POST.get("next") and index + 1 < len(rules.APPLICATION_STEPS):
        return redirect(_step_url(application, rules.APPLICATION_STEPS[index + 1]))
    return redirect(_step_url(application, step))


FILE_NOT_UPLOADED = (
    "The file was not uploaded because an answer on this page needs correcting; your typed "
    "answers are kept below. Correct the answer, choose the file again and upload it."
)


def _save_step_answers(request, application, section: str):
    """Save the answers (and chosen files) posted from a question step's form: the step's own
    save, and also an upload, a removal or a reuse sent from the same form, so nothing typed
    is lost. Returns the bound form and ``services.StepSaveResult``, or None when nothing could
    be saved (the form then carries the errors)."""
    questions = [
        q for q in selectors.application_questions(application) if q.section.key == section
    ]
    form = ApplicationStepForm(request.POST, request.FILES, questions=questions, answers={})
    if not form.is_valid():
        if form.files_chosen():
            form.add_error(None, FILE_NOT_UPLOADED)
        return form, None
    try:
        result = services.application_step_save(
            actor=request.user,
            application=application,
            answers=form.answers(),
            public_urls=form.public_urls(),
            files=form.files_chosen(),
        )
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | ConflictError):
            raise
        _add_errors(form, exc, prefix=True)
        if form.files_chosen():
            form.add_error(None, FILE_NOT_UPLOADED)
        return form, None
    for code, message in result.file_errors.items():
        form.add_error(
            f"file_{code}",
            f"{message} Your answers are saved; choose another file for {code}.",
        )
    return form, result


def _step_of(application, code: str) -> str:
    question = next(
        (q for q in selectors.application_questions(application) if q.code == code), None
    )
    return (
        next((s for s, sec in rules.STEP_SECTIONS.items() if sec == question.section.key), None)
        if question
        else None
    ) or rules.STEP_FORCED_LABOR


def _posted_step(request) -> str:
    step = request.POST.get("step", "")
    return step if step in rules.STEP_SECTIONS and step != rules.STEP_MOU else ""


def _add_errors(form, exc: DomainError, *, prefix: bool = False) -> None:
    for name, errors in (exc.fields or {}).items():
        candidates = [name, f"q_{name}", f"url_{name}"] if prefix else [name]
        target = next((c for c in candidates if c in form.fields), None)
        if name in {"FL-CODE"} and f"url_{name}" in form.fields:
            target = f"url_{name}"
        for message in errors:
            form.add_error(target, message)
    if not exc.fields:
        form.add_error(None, exc.message)


@login_required
@require_POST
@domain_errors_as_http
def application_document_upload(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _get(request, application_id)
    if not services.can_edit_application(request.user, application):
        raise PermissionDenied("Only the company's own users fill in its application.")
    code = request.POST.get("code", "")
    form = DocumentUploadForm(request.POST, request.FILES, auto_id=f"upload-{code[:40]}-%s")
    question = next(
        (q for q in selectors.application_questions(application) if q.code == code), None
    )
    step = (
        next((s for s, sec in rules.STEP_SECTIONS.items() if sec == question.section.key), None)
        if question
        else None
    ) or rules.STEP_FORCED_LABOR
    if form.is_valid():
        try:
            services.application_document_upload(
                actor=request.user,
                application=application,
                code=form.cleaned_data["code"],
                uploaded_file=request.FILES.get("file"),
            )
        except ConflictError as exc:
            return _conflict(request, application, exc)
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError):
                raise
            form.add_error("file", exc.message)
        else:
            messages.success(request, f"The document for {code} is uploaded.")
            return redirect(_step_url(application, step))
    return _render_step(request, application, step, status=400, upload_form=form, upload_code=code)


@login_required
@require_GET
@domain_errors_as_http
def application_document(request: HttpRequest, application_id: str, document_id: str):
    """Download a document: only for those who may see the application."""
    application = _get(request, application_id)
    document = selectors.application_document_get(
        viewer=request.user, application=application, public_id=document_id
    )
    return uploads.download_response(
        document.file, filename=document.original_name, detected=document.file_type
    )


@login_required
@require_POST
@domain_errors_as_http
def application_document_remove(request: HttpRequest, application_id: str, document_id: str):
    application = _get(request, application_id)
    document = selectors.application_document_get(
        viewer=request.user, application=application, public_id=document_id
    )
    step = _posted_step(request) or _step_of(application, document.code)
    try:
        if _posted_step(request):
            # Sent from the step's form: its typed answers are saved first.
            form, result = _save_step_answers(request, application, rules.STEP_SECTIONS[step])
            if result is None or result.file_errors:
                return _render_step(request, application, step, status=400, form=form)
        services.application_document_remove(actor=request.user, document=document)
    except ConflictError as exc:
        return _conflict(request, application, exc)
    messages.success(request, f"{document.original_name} is removed.")
    return redirect(_step_url(application, step))


@login_required
@require_POST
@domain_errors_as_http
def application_reuse(request: HttpRequest, application_id: str) -> HttpResponse:
    """Accept the security-profile answer offered for a question."""
    application = _get(request, application_id)
    # The "use this answer" button of a step form carries "<code>|<msc id>".
    code, _, msc_id = request.POST.get("reuse", "").partition("|")
    step = _posted_step(request)
    try:
        if step:
            # Sent from the step's form: its other typed answers are saved first.
            form, result = _save_step_answers(request, application, rules.STEP_SECTIONS[step])
            if result is None or result.file_errors:
                return _render_step(request, application, step, status=400, form=form)
        services.application_answer_reuse(
            actor=request.user, application=application, code=code, msc_id=msc_id
        )
    except ConflictError as exc:
        return _conflict(request, application, exc)
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{code} is answered with your security-profile answer.")
    step = request.POST.get("step", "")
    return redirect(_step_url(application, step if step in rules.APPLICATION_STEPS else "review"))


@login_required
@require_POST
@domain_errors_as_http
def application_submit(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _get(request, application_id)
    try:
        services.application_submit(actor=request.user, application=application)
    except ConflictError as exc:
        return _conflict(request, application, exc)
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise
        context = _step_context(request, application, rules.STEP_REVIEW)
        context["submit_error"] = exc
        context["submit_error_fields"] = [
            (rules.STEP_LABELS.get(key, key.replace("_", " ").capitalize()), msgs)
            for key, msgs in exc.fields.items()
        ]
        return render(request, "tradecompliance/application_step.html", context, status=400)
    messages.success(request, "Your application is submitted to CBP.")
    return redirect(_detail_url(application))


# --- The application page ------------------------------------------------------------------------


def _detail_context(request, application, **forms_) -> dict:
    user = request.user
    is_cbp = roles.has_perm(user, "tradecompliance.application_view_all")
    can_review = services.can_review_application(user, application)
    open_statuses = rules.OPEN_STATUSES
    current = selectors.questionnaire_current()
    nams = selectors.nam_users()
    return {
        "application": application,
        "is_cbp": is_cbp,
        "is_own": user.organization_id == application.partner.organization_id,
        "is_officer": services.is_company_officer(user, application.partner),
        "can_edit": services.can_edit_application(user, application)
        and application.status in rules.EDITABLE_STATUSES,
        "can_review": can_review and application.status in {"under_review", "response_submitted"},
        "can_assign": application.status in rules.ASSIGNABLE_STATUSES
        and (
            roles.has_perm(user, "tradecompliance.application_assign_any")
            or (
                # A NAM takes up an unassigned application; only an admin re-assigns one.
                roles.has_perm(user, "tradecompliance.application_self_assign")
                and application.assigned_nam_id is None
            )
        ),
        "can_assign_any": roles.has_perm(user, "tradecompliance.application_assign_any"),
        "can_upgrade": can_review
        and application.status in open_statuses - {"submitted"}
        and current is not None
        and current.pk != application.version_id,
        "current_version": current,
        "can_withdraw": services.is_company_officer(user, application.partner)
        and application.status in open_statuses,
        "rounds": list(selectors.application_information_requests(application)),
        "open_round": selectors.open_information_request(application)
        if application.status == "information_requested"
        else None,
        "timeline": list(selectors.application_timeline(application)),
        "iors": list(application.ior_numbers.all()),
        # CBP sees which other company claims the same IOR numbers; the company does not.
        "ior_conflicts": selectors.application_ior_conflicts(application) if is_cbp else [],
        "missing": selectors.application_missing(application)
        if application.status in rules.EDITABLE_STATUSES
        else [],
        "assign_form": forms_.get("assign_form") or AssignForm(nams=nams),
        "rfi_form": forms_.get("rfi_form") or InformationRequestForm(),
        "response_form": forms_.get("response_form") or ResponseForm(),
        "deny_form": forms_.get("deny_form") or ReasonForm(auto_id="deny-%s"),
        "upgrade_form": forms_.get("upgrade_form") or ReasonForm(auto_id="upgrade-%s"),
        "withdraw_form": forms_.get("withdraw_form") or ReasonForm(auto_id="withdraw-%s"),
        "first_step_url": _step_url(application, rules.STEP_ELIGIBILITY),
        "review_url": _step_url(application, rules.STEP_REVIEW),
        "max_upload": uploads.human_size(services.application_document_max_bytes()),
        "allowed_types": uploads.allowed_description(services.APPLICATION_DOCUMENT_TYPES),
    }


@login_required
@require_GET
@domain_errors_as_http
def application_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    application = _get(request, application_id)
    return render(
        request, "tradecompliance/application_detail.html", _detail_context(request, application)
    )


def _action(request, application_id: str, run, *, form_name: str, form, success: str):
    """Run a CBP or company action from the application page: its form errors in place (400),
    a conflict as 409, a refusal as 403/404."""
    application = _get(request, application_id)
    if form.is_valid():
        try:
            run(application, form.cleaned_data)
        except ConflictError as exc:
            return _conflict(request, application, exc)
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError | NotFoundError):
                raise
            for name, errors in exc.fields.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect(_detail_url(application))
    application.refresh_from_db()
    return render(
        request,
        "tradecompliance/application_detail.html",
        _detail_context(request, application, **{form_name: form}),
        status=400,
    )


@login_required
@require_POST
@domain_errors_as_http
def application_assign(request: HttpRequest, application_id: str) -> HttpResponse:
    require_perm(request.user, "tradecompliance.application_view_all")

    def run(application, data):
        nam = User.objects.filter(public_id=data["nam"]).first() if data.get("nam") else None
        if nam is None and not roles.has_perm(
            request.user, "tradecompliance.application_assign_any"
        ):
            nam = request.user
        services.application_assign(actor=request.user, application=application, nam=nam)

    post = request.POST.copy()
    if not post.get("nam") and roles.has_perm(
        request.user, "tradecompliance.application_self_assign"
    ):
        post["nam"] = request.user.public_id
    return _action(
        request,
        application_id,
        run,
        form_name="assign_form",
        form=AssignForm(post, nams=selectors.nam_users()),
        success="The application is assigned.",
    )


@login_required
@require_POST
@domain_errors_as_http
def application_request_information(request: HttpRequest, application_id: str) -> HttpResponse:
    return _action(
        request,
        application_id,
        lambda application, data: services.application_request_information(
            actor=request.user, application=application, questions=data.get("questions", "")
        ),
        form_name="rfi_form",
        form=InformationRequestForm(request.POST),
        success="Your questions are sent to the company.",
    )


@login_required
@require_POST
@domain_errors_as_http
def application_respond(request: HttpRequest, application_id: str) -> HttpResponse:
    files = request.FILES.getlist("documents")

    def run(application, data):
        try:
            services.application_respond(
                actor=request.user,
                application=application,
                response=data.get("response", ""),
                files=files,
            )
        except DomainError as exc:
            if exc.code == "incomplete":
                raise DomainError(
                    exc.message + " Complete the application's steps, then send your response.",
                    code=exc.code,
                    fields={"response": [m for msgs in exc.fields.values() for m in msgs]},
                ) from exc
            if "file" in exc.fields:
                raise DomainError(
                    exc.message, code=exc.code, fields={"response": exc.fields["file"]}
                ) from exc
            raise

    return _action(
        request,
        application_id,
        run,
        form_name="response_form",
        form=ResponseForm(request.POST),
        success="Your response is sent to CBP.",
    )


@login_required
@require_POST
@domain_errors_as_http
def application_approve(request: HttpRequest, application_id: str) -> HttpResponse:
    return _action(
        request,
        application_id,
        lambda application, data: services.application_approve(
            actor=request.user, application=application, notes=data.get("reason", "")
        ),
        form_name="deny_form",
        form=ReasonForm(request.POST, auto_id="deny-%s"),
        success="The application is approved: the company is a Trade Compliance member.",
    )


@login_required
@require_POST
@domain_errors_as_http
def application_deny(request: HttpRequest, application_id: str) -> HttpResponse:
    return _action(
        request,
        application_id,
        lambda application, data: services.application_deny(
            actor=request.user, application=application, reason=data.get("reason", "")
        ),
        form_name="deny_form",
        form=ReasonForm(request.POST, auto_id="deny-%s"),
        success="The application is denied; the company is told the reasons.",
    )


@login_required
@require_POST
@domain_errors_as_http
def application_withdraw(request: HttpRequest, application_id: str) -> HttpResponse:
    return _action(
        request,
        application_id,
        lambda application, data: services.application_withdraw(
            actor=request.user, application=application, reason=data.get("reason", "")
        ),
        form_name="withdraw_form",
        form=ReasonForm(request.POST, auto_id="withdraw-%s"),
        success="Your application is withdrawn.",
    )


@login_required
@require_POST
@domain_errors_as_http
def application_upgrade(request: HttpRequest, application_id: str) -> HttpResponse:
    return _action(
        request,
        application_id,
        lambda application, data: services.application_request_questionnaire_upgrade(
            actor=request.user, application=application, reason=data.get("reason", "")
        ),
        form_name="upgrade_form",
        form=ReasonForm(request.POST, auto_id="upgrade-%s"),
        success="The application now answers the current questions; the company is told.",
    )


# --- Answer once: the reuse report ---------------------------------------------------------------


@login_required
@require_GET
@domain_errors_as_http
def reuse_report(request: HttpRequest, partner_id: str) -> HttpResponse:
    """How many of the company's application questions were answered from its security profile,
    and which (the company's own users and CBP)."""
    partner = selectors.readiness_partner_get(viewer=request.user, public_id=partner_id)
    rows = selectors.reuse_report(viewer=request.user, partner=partner)
    return render(request, "tradecompliance/reuse_report.html", {"partner": partner, "rows": rows})
