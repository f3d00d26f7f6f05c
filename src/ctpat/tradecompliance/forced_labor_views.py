"""Pages of an existing member's forced-labor obligation (DOMAIN.md §7.4).

* the obligation page: status (met / open / overdue, computed), the deadline and the public
  sources, the submission and its documents, CBP's decisions; for the member's officer the
  submit form (statement, code of conduct address, FL-CODE / FL-EVIDENCE files in one multipart
  form), for a NAM or program admin the decision form;
* a document download through the selector's tenant check.

Every view is permission → form → service/selector → render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ctpat.core import uploads
from ctpat.core.errors import DomainError
from ctpat.core.views import add_domain_error, domain_errors_as_http

from . import citations, selectors, services
from .forms import ForcedLaborDecisionForm, ForcedLaborSubmitForm

# Where the dates come from, as users see it: CBP's Handbook (not retrievable in full) and the
# public reports of CBP's 1 Aug 2022 announcement.
FORCED_LABOR_SOURCES = citations.FORCED_LABOR_OBLIGATION_CITATIONS


def _page(
    request, obligation, *, submit_form=None, decision_form=None, file_errors=None, status=200
):
    user = request.user
    view = selectors.forced_labor_for(obligation.membership, today=timezone.localdate())
    can_submit = obligation.state == "open" and services.can_submit_forced_labor(user, obligation)
    can_decide = obligation.state != "met" and services.can_decide_forced_labor(user)
    documents = list(selectors.forced_labor_documents(obligation))
    return render(
        request,
        "tradecompliance/forced_labor.html",
        {
            "obligation": obligation,
            "membership": obligation.membership,
            "view": view,
            "documents": documents,
            "document_codes": services.FORCED_LABOR_DOCUMENT_CODES,
            "can_submit": can_submit,
            "can_decide": can_decide,
            "submit_form": submit_form
            or ForcedLaborSubmitForm(
                initial={
                    "statement": obligation.statement,
                    "code_of_conduct_url": obligation.code_of_conduct_url,
                }
            ),
            "decision_form": decision_form or ForcedLaborDecisionForm(),
            "file_errors": file_errors or {},
            "sources": FORCED_LABOR_SOURCES,
            "allowed_types": uploads.allowed_description(services.APPLICATION_DOCUMENT_TYPES),
            "max_upload": uploads.human_size(services.application_document_max_bytes()),
        },
        status=status,
    )


@login_required
@require_GET
@domain_errors_as_http
def forced_labor(request: HttpRequest, obligation_id: str) -> HttpResponse:
    obligation = selectors.forced_labor_obligation_get(viewer=request.user, public_id=obligation_id)
    return _page(request, obligation)


def _status_of(exc: DomainError) -> int:
    from ctpat.core.errors import ConflictError

    return 409 if isinstance(exc, ConflictError) else 400


@login_required
@require_POST
@domain_errors_as_http
def forced_labor_submit(request: HttpRequest, obligation_id: str) -> HttpResponse:
    obligation = selectors.forced_labor_obligation_get(viewer=request.user, public_id=obligation_id)
    form = ForcedLaborSubmitForm(request.POST)
    files = {code: request.FILES.getlist(code) for code in services.FORCED_LABOR_DOCUMENT_CODES}
    if not form.is_valid():
        return _page(request, obligation, submit_form=form, status=400)
    try:
        services.forced_labor_submit(
            actor=request.user,
            obligation=obligation,
            statement=form.cleaned_data["statement"],
            code_of_conduct_url=form.cleaned_data["code_of_conduct_url"],
            files=files,
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        file_errors = {k: v for k, v in (exc.fields or {}).items() if k not in form.fields}
        if exc.code.startswith("upload_"):
            file_errors.setdefault("files", [exc.message])
        return _page(
            request, obligation, submit_form=form, file_errors=file_errors, status=_status_of(exc)
        )
    messages.success(request, "The forced-labor evidence is sent to CBP.")
    return redirect("tradecompliance:forced_labor", obligation_id=obligation.public_id)


@login_required
@require_POST
@domain_errors_as_http
def forced_labor_decide(request: HttpRequest, obligation_id: str) -> HttpResponse:
    obligation = selectors.forced_labor_obligation_get(viewer=request.user, public_id=obligation_id)
    form = ForcedLaborDecisionForm(request.POST)
    if not form.is_valid():
        return _page(request, obligation, decision_form=form, status=400)
    met = form.cleaned_data["decision"] == "met"
    try:
        services.forced_labor_decide(
            actor=request.user, obligation=obligation, met=met, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _page(request, obligation, decision_form=form, status=_status_of(exc))
    messages.success(
        request,
        "The requirements are recorded as met." if met else "The submission is returned.",
    )
    return redirect("tradecompliance:forced_labor", obligation_id=obligation.public_id)


@login_required
@require_GET
@domain_errors_as_http
def forced_labor_document(request: HttpRequest, obligation_id: str, fl_document_id: str):
    obligation = selectors.forced_labor_obligation_get(viewer=request.user, public_id=obligation_id)
    document = selectors.forced_labor_document_get(
        viewer=request.user, obligation=obligation, public_id=fl_document_id
    )
    return uploads.download_response(
        document.file, filename=document.original_name, detected=document.file_type
    )
