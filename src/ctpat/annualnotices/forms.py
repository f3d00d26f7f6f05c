"""Forms of the ANL pages. They parse and check input; services do the writing."""

from __future__ import annotations

from django import forms

from ctpat.core.textfields import LongTextField

from .choices import ChangeType, PeriodStatus
from .models import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NOTE_MAX_LENGTH, PHONE_MAX_LENGTH
from .services import CONTENT_FIELDS, MAX_CHANGES, ChangeSpec, LetterContent, letter_problems

# Blank change rows offered below the ones already listed.
BLANK_CHANGE_ROWS = 2


class LetterForm(forms.Form):
    """The letter's content; the signature is typed when filing."""

    certifies_compliance = forms.BooleanField(
        required=False,
        label="The company certifies that it continues to meet the CTPAT Trade Compliance "
        "requirements, as listed in the Trade Compliance Handbook.",
    )
    no_changes = forms.BooleanField(
        required=False,
        label="There were no business or organizational changes since the last letter.",
    )
    compliance_contact_name = forms.CharField(
        label="Compliance contact: name", max_length=NAME_MAX_LENGTH, required=False
    )
    compliance_contact_email = forms.EmailField(label="Compliance contact: e-mail", required=False)
    compliance_contact_phone = forms.CharField(
        label="Compliance contact: phone", max_length=PHONE_MAX_LENGTH, required=False
    )
    officer_name = forms.CharField(
        label="Company officer: name", max_length=NAME_MAX_LENGTH, required=False
    )
    officer_title = forms.CharField(
        label="Company officer: title", max_length=NAME_MAX_LENGTH, required=False
    )
    officer_email = forms.EmailField(label="Company officer: e-mail", required=False)
    signed_name = forms.CharField(
        label="Signature: type your full name",
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text="Typing your name signs the letter as a company officer.",
    )

    @classmethod
    def initial_for(cls, letter, user) -> dict:
        defaults = {"officer_name": user.get_full_name(), "officer_email": user.email}
        if letter is None:
            return defaults
        fields = [name for name in cls.base_fields if name != "signed_name"]
        values = {name: getattr(letter, name) for name in fields}
        # A letter the reminder job opened is still empty: offer the officer's own details.
        return {name: values[name] or defaults.get(name, values[name]) for name in fields}


class ChangeForm(forms.Form):
    change_type = forms.ChoiceField(
        label="Kind of change", choices=[("", "- Select -"), *ChangeType.choices], required=False
    )
    description = LongTextField(label="What changed", max_length=DESCRIPTION_MAX_LENGTH, rows=2)
    effective_on = forms.DateField(
        label="Effective date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(k) for k in ("change_type", "description", "effective_on"))


ChangeFormSet = forms.formset_factory(
    ChangeForm, extra=0, max_num=MAX_CHANGES, validate_max=True, absolute_max=MAX_CHANGES + 5
)


def change_formset(data=None, letter=None) -> forms.BaseFormSet:
    initial = []
    if letter is not None and letter.pk:
        initial = [
            {
                "change_type": c.change_type,
                "description": c.description,
                "effective_on": c.effective_on,
            }
            for c in letter.changes.all()
        ]
    formset = ChangeFormSet(data, prefix="changes", initial=initial)
    if data is None:
        formset.extra = BLANK_CHANGE_ROWS
    return formset


def letter_content(form: LetterForm, formset) -> LetterContent:
    data = form.cleaned_data
    changes = tuple(
        ChangeSpec(
            f.cleaned_data.get("change_type") or "",
            f.cleaned_data.get("description") or "",
            f.cleaned_data.get("effective_on"),
        )
        for f in formset.forms
        if not f.is_blank()
    )
    return LetterContent(
        certifies_compliance=data["certifies_compliance"],
        no_changes=data["no_changes"],
        compliance_contact_name=data["compliance_contact_name"],
        compliance_contact_email=data["compliance_contact_email"],
        compliance_contact_phone=data["compliance_contact_phone"],
        officer_name=data["officer_name"],
        officer_title=data["officer_title"],
        officer_email=data["officer_email"],
        changes=changes,
    )


def add_letter_problems(form: LetterForm, formset, *, filing: bool) -> None:
    """Add the letter's own problems (``services.letter_problems``) to a form the browser sent
    with errors, for the fields that have none yet, so every error shows at once."""
    cleaned = getattr(form, "cleaned_data", {}) or {}
    values = {}
    for name in CONTENT_FIELDS:
        if name in {"certifies_compliance", "no_changes"}:
            values[name] = bool(cleaned.get(name, form.data.get(name)))
        else:
            values[name] = cleaned.get(name, form.data.get(name, "")) or ""
    changes = tuple(
        ChangeSpec(
            f.cleaned_data.get("change_type") or "",
            f.cleaned_data.get("description") or "",
            f.cleaned_data.get("effective_on"),
        )
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and not f.errors and not f.is_blank()
    )
    content = LetterContent(**values, changes=changes)
    signed = cleaned.get("signed_name", form.data.get("signed_name", ""))
    _, problems = letter_problems(content, for_filing=filing, signed_name=signed)
    for name, messages in problems.items():
        if name in form.fields and not form.errors.get(name):
            for message in messages:
                form.add_error(name, message)
        elif name not in form.fields:
            for message in messages:
                form.add_error(None, message)


class ReviewForm(forms.Form):
    note = LongTextField(
        label="Note or reasons",
        max_length=NOTE_MAX_LENGTH,
        rows=3,
        help_text="To return the letter, say what the company must correct.",
    )


STATUS_FILTER_CHOICES = [
    ("", "Any"),
    (PeriodStatus.DUE_SOON, "Due soon"),
    (PeriodStatus.OVERDUE, "Overdue"),
    (PeriodStatus.UPCOMING, "Upcoming"),
    (PeriodStatus.FILED_ON_TIME, "Last letter filed on time"),
    (PeriodStatus.FILED_LATE, "Last letter filed late"),
    ("suspended", "Membership suspended"),
]


# tradecompliance.rules.ForcedLaborStatus: "met" includes the members who met it at application.
FORCED_LABOR_FILTER_CHOICES = [
    ("", "Any"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("met", "Met"),
]


class OverviewFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=STATUS_FILTER_CHOICES, required=False)
    forced_labor = forms.ChoiceField(
        label="Forced-labor obligation", choices=FORCED_LABOR_FILTER_CHOICES, required=False
    )
    q = forms.CharField(label="Company or account number", max_length=100, required=False)


class PilotUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of pilot participants",
        help_text="UTF-8 CSV with the columns company_name, ior_numbers, accepted_on.",
    )
