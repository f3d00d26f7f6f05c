"""Annual Notification Letter pages.

* CBP: who is due, overdue, filed on time or late, suspended — filterable (HTMX), paginated,
  CSV export; each membership's letter history; a letter with acknowledge / return.
* Partner: the next due date, the reminders received, the filing form, past letters.
* CBP program admins: the pilot migration (upload → preview / error report → confirm).

Every view is permission → form → service/selector → render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctpat.accounts import roles
from ctpat.core.errors import DomainError
from ctpat.core.htmx import render_page_or_partial
from ctpat.core.lists import csv_response, paginate
from ctpat.core.views import add_domain_error, domain_errors_as_http
from ctpat.tradecompliance import selectors as tc_selectors

from . import conf, pilot, selectors, services
from .forms import (
    LetterForm,
    OverviewFilterForm,
    PilotUploadForm,
    ReviewForm,
    add_letter_problems,
    change_formset,
    letter_content,
)

OVERVIEW_PAGE_SIZE = 25
IMPORT_PAGE_SIZE = 20


def _require(user, code: str) -> None:
    if not roles.has_perm(user, code):
        raise PermissionDenied("You do not have permission to see this page.")


# --- CBP overview ----------------------------------------------------------------------------


def _overview_rows(request, today):
    form = OverviewFilterForm(request.GET or None)
    status = query = forced_labor = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        query = form.cleaned_data["q"].strip()
        forced_labor = form.cleaned_data["forced_labor"]
    rows = selectors.schedules_overview(
        viewer=request.user, today=today, status=status, query=query, forced_labor=forced_labor
    )
    for row in rows:
        row.forced_labor = tc_selectors.forced_labor_for(row.membership, today=today)
    return form, rows


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """CBP: every member's ANL state. A partner's users go to their own page."""
    if not roles.has_perm(request.user, "anl.view_all"):
        _require(request.user, "anl.own")
        return redirect("annualnotices:mine")
    today = timezone.localdate()
    form, rows = _overview_rows(request, today)
    if request.GET.get("export") == "csv":
        return csv_response(
            f"ctpat-anl-{today.isoformat()}.csv",
            [
                "account_number",
                "company",
                "membership_status",
                "origin",
                "accepted_on",
                "next_due_on",
                "next_status",
                "last_filed_due_on",
                "last_filed_status",
                "forced_labor_obligation",
            ],
            (
                [
                    r.membership.account_number,
                    r.membership.partner.name,
                    r.membership.status,
                    r.membership.origin,
                    r.membership.accepted_on.isoformat(),
                    r.current.due_on.isoformat(),
                    "ended" if r.ended else r.current.status,
                    (last.due_on.isoformat() if (last := selectors.latest_filed(r)) else ""),
                    last.status if last else "",
                    r.forced_labor.status.value,
                ]
                for r in rows
            ),
        )
    page, query = paginate(request, rows, OVERVIEW_PAGE_SIZE)
    for item in page:
        item.last_filed = selectors.latest_filed(item)
    context = {
        "form": form,
        "page_obj": page,
        "query_without_page": query,
        "counts": selectors.status_counts(viewer=request.user, today=today),
        "can_import": roles.has_perm(request.user, "anl.pilot_import"),
        "today": today,
        "schedule": conf.schedule(),
    }
    return render_page_or_partial(
        request,
        "annualnotices/overview.html",
        "annualnotices/partials/overview_table.html",
        context,
    )


@login_required
@require_GET
@domain_errors_as_http
def membership(request: HttpRequest, membership_id: str) -> HttpResponse:
    """One membership's schedule and letter history (CBP, or the member's own users)."""
    item = selectors.membership_get(viewer=request.user, public_id=membership_id)
    today = timezone.localdate()
    schedule = selectors.membership_schedule(item, today=today)
    is_cbp = roles.has_perm(request.user, "anl.view_all")
    return render(
        request,
        "annualnotices/membership.html",
        {
            "item": schedule,
            "is_cbp": is_cbp,
            "forced_labor": tc_selectors.forced_labor_for(item, today=today),
        },
    )


# --- Partner ---------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The partner's own page: next due date, reminders, the form, past letters."""
    _require(request.user, "anl.own")
    own = selectors.membership_for_user(request.user)
    context = {"membership": own, "reminders": selectors.reminders_for(request.user)}
    if own is not None:
        context["item"] = selectors.membership_schedule(own, today=timezone.localdate())
        context["forced_labor"] = tc_selectors.forced_labor_for(own)
        context["can_file"] = roles.has_perm(request.user, "anl.file")
    return render(request, "annualnotices/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    """The filing form for the current period: save a draft, or sign and file."""
    _require(request.user, "anl.own")
    own = selectors.membership_for_user(request.user)
    if own is None:
        return redirect("annualnotices:mine")
    today = timezone.localdate()
    item = selectors.membership_schedule(own, today=today)
    period = item.to_file
    letter = period.letter
    can_file = roles.has_perm(request.user, "anl.file")
    status = 200
    if request.method == "POST":
        form = LetterForm(request.POST)
        formset = change_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            content = letter_content(form, formset)
            filing = request.POST.get("action") == "file"
            try:
                if filing:
                    if not can_file:
                        raise PermissionDenied("Only a company officer signs and files.")
                    letter = services.anl_letter_file(
                        actor=request.user,
                        membership=own,
                        period=period.period,
                        content=content,
                        signed_name=form.cleaned_data["signed_name"],
                    )
                else:
                    letter = services.anl_letter_save_draft(
                        actor=request.user,
                        membership=own,
                        period=period.period,
                        content=content,
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 400
            else:
                if filing:
                    messages.success(request, "The letter is filed. Thank you.")
                    return redirect("annualnotices:letter", letter_id=letter.public_id)
                messages.success(request, "The draft is saved.")
                return redirect("annualnotices:file")
        else:
            # Report every problem at once: the letter's own rules (signature included) too,
            # not only the fields the form itself refused.
            add_letter_problems(form, formset, filing=request.POST.get("action") == "file")
            status = 400
    else:
        form = LetterForm(initial=LetterForm.initial_for(letter, request.user))
        formset = change_formset(letter=letter)
    return render(
        request,
        "annualnotices/file.html",
        {
            "form": form,
            "formset": formset,
            "item": item,
            "period": period,
            "letter": letter,
            "can_file": can_file,
        },
        status=status,
    )


# --- A letter ---------------------------------------------------------------------------------


@login_required
@require_GET
@domain_errors_as_http
def letter(request: HttpRequest, letter_id: str) -> HttpResponse:
    item = selectors.letter_get(viewer=request.user, public_id=letter_id)
    schedule = selectors.membership_schedule(item.membership, today=timezone.localdate())
    period = next((p for p in schedule.history if p.letter and p.letter.pk == item.pk), None)
    return render(
        request,
        "annualnotices/letter.html",
        {
            "letter": item,
            "period": period,
            "can_review": selectors.can_review(request.user) and item.status == "filed",
            "review_form": ReviewForm(),
        },
    )


def _review(request: HttpRequest, letter_id: str, *, returning: bool) -> HttpResponse:
    _require(request.user, "anl.review")
    item = selectors.letter_get(viewer=request.user, public_id=letter_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if returning:
                services.anl_letter_return(
                    actor=request.user, letter=item, reasons=form.cleaned_data["note"]
                )
                messages.success(request, "The letter is returned to the company.")
            else:
                services.anl_letter_acknowledge(
                    actor=request.user, letter=item, note=form.cleaned_data["note"]
                )
                messages.success(request, "The letter is acknowledged.")
            return redirect("annualnotices:letter", letter_id=item.public_id)
        except DomainError as exc:
            add_domain_error(form, exc)
    schedule = selectors.membership_schedule(item.membership, today=timezone.localdate())
    period = next((p for p in schedule.history if p.letter and p.letter.pk == item.pk), None)
    return render(
        request,
        "annualnotices/letter.html",
        {"letter": item, "period": period, "can_review": True, "review_form": form},
        status=400,
    )


@login_required
@require_POST
@domain_errors_as_http
def letter_acknowledge(request: HttpRequest, letter_id: str) -> HttpResponse:
    return _review(request, letter_id, returning=False)


@login_required
@require_POST
@domain_errors_as_http
def letter_return(request: HttpRequest, letter_id: str) -> HttpResponse:
    return _review(request, letter_id, returning=True)


# --- Pilot migration -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pilot_imports(request: HttpRequest) -> HttpResponse:
    _require(request.user, "anl.pilot_import")
    status = 200
    if request.method == "POST":
        form = PilotUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = pilot.pilot_import_check(
                    actor=request.user, uploaded_file=form.cleaned_data["file"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 400
            else:
                return redirect("annualnotices:pilot_import", import_id=record.public_id)
        else:
            status = 400
    else:
        form = PilotUploadForm()
    page, query = paginate(
        request, selectors.pilot_import_list(viewer=request.user), IMPORT_PAGE_SIZE
    )
    return render(
        request,
        "annualnotices/pilot_imports.html",
        {
            "form": form,
            "page_obj": page,
            "query_without_page": query,
            "max_bytes": pilot.max_bytes(),
            "columns": pilot.COLUMNS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_http
def pilot_import(request: HttpRequest, import_id: str) -> HttpResponse:
    """The preview (or error report) of an upload; POST confirms it."""
    _require(request.user, "anl.pilot_import")
    record = selectors.pilot_import_get(viewer=request.user, public_id=import_id)
    error = ""
    if request.method == "POST":
        try:
            record = pilot.pilot_import_commit(actor=request.user, pilot_import=record)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                f"{len(record.memberships)} participant(s) are now Trade Compliance members.",
            )
            return redirect("annualnotices:pilot_import", import_id=record.public_id)
    return render(
        request,
        "annualnotices/pilot_import.html",
        {"record": record, "error": error},
        status=409 if error else 200,
    )


@login_required
@require_GET
@domain_errors_as_http
def pilot_import_errors(request: HttpRequest, import_id: str) -> HttpResponse:
    _require(request.user, "anl.pilot_import")
    record = selectors.pilot_import_get(viewer=request.user, public_id=import_id)
    return csv_response(
        f"{record.public_id}-errors.csv",
        ["row", "column", "message"],
        ([e["row"], e["column"], e["message"]] for e in record.errors),
    )
