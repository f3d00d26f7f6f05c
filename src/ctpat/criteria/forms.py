"""Forms for the criteria pages. They parse and check input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from ctpat.partners.choices import EntityType

from . import catalog, rules
from .choices import Category, Level, Program, Tag

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CatalogFilterForm(forms.Form):
    """The catalog's filters. "As of" picks the date whose must/should is shown (default today)."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "enterkeyhint": "search", "placeholder": "ID or words"}
        ),
    )
    entity_type = forms.ChoiceField(
        required=False,
        label="Business entity type",
        choices=[("", "Any type"), *EntityType.choices],
    )
    category = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any category"), *((n, f"{n}. {label}") for n, label in Category.choices)],
    )
    level = forms.ChoiceField(
        required=False, label="Must / should", choices=[("", "Must or should"), *Level.choices]
    )
    on = forms.DateField(
        required=False,
        label="Must or should as of",
        widget=DATE_WIDGET,
    )
    tag = forms.ChoiceField(
        required=False, label="Topic", choices=[("", "Any topic"), *Tag.choices]
    )
    program = forms.ChoiceField(required=False, choices=[("", "Any program"), *Program.choices])
    version = forms.CharField(required=False, max_length=24, widget=forms.HiddenInput)

    def as_of(self):
        on = self.cleaned_data.get("on") if self.is_bound and self.is_valid() else None
        return on or timezone.localdate()


class DraftCreateForm(forms.Form):
    label = forms.CharField(
        max_length=120,
        error_messages={
            "required": "Give the new version a label, e.g. 2027-01 (importer).",
            "max_length": "The label can be at most 120 characters long.",
        },
        help_text='How the version will be known, e.g. "2023-01 (importer)".',
    )


class PublishForm(forms.Form):
    label = forms.CharField(
        max_length=120,
        error_messages={
            "required": "The version needs a label.",
            "max_length": "The label can be at most 120 characters long.",
        },
    )
    notes = forms.CharField(
        label="What this version changes and why",
        max_length=catalog.NOTES_MAX_LENGTH,
        error_messages={
            "required": "Say what this version changes and why; members are sent this note.",
            "max_length": f"The note can be at most {catalog.NOTES_MAX_LENGTH} characters long.",
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to the members the changes affect.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Reason (for the audit trail)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CriterionDetailsForm(forms.Form):
    """A criterion's wording and classification (not its ID or its must/should)."""

    text = forms.CharField(
        max_length=catalog.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "The criterion's text is required.",
            "max_length": f"The text can be at most {catalog.TEXT_MAX_LENGTH} characters long.",
        },
    )
    text_is_summary = forms.BooleanField(
        required=False, label="The text is our summary, not CBP's wording"
    )
    guidance = forms.CharField(
        required=False,
        label="Implementation guidance",
        max_length=catalog.GUIDANCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    entity_types = forms.MultipleChoiceField(
        label="Applies to",
        choices=EntityType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one business entity type it applies to."},
    )
    program = forms.ChoiceField(choices=Program.choices)
    tags = forms.MultipleChoiceField(
        required=False, label="Topics", choices=Tag.choices, widget=forms.CheckboxSelectMultiple
    )
    source = forms.CharField(
        required=False,
        max_length=catalog.SOURCE_MAX_LENGTH,
        help_text="Members see it: cite public sources only (title, publisher, date, link), "
        "several separated by ;.",
        error_messages={
            "max_length": f"The source can be at most {catalog.SOURCE_MAX_LENGTH} characters long."
        },
    )
    notes = forms.CharField(
        required=False,
        max_length=catalog.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Inconsistencies between sources, inferences.",
    )


class CriterionEditForm(CriterionDetailsForm):
    reason = forms.CharField(required=False, max_length=1000, label="Reason (for the audit trail)")


LEVEL_ERRORS = {"required": "Choose whether the criterion is a must or a should."}
DATE_ERRORS = {
    "required": "Give the date the level takes effect.",
    "invalid": "Give the date as YYYY-MM-DD, for example 2027-01-01.",
}


class RequirementForm(forms.Form):
    level = forms.ChoiceField(
        choices=Level.choices, widget=forms.RadioSelect, error_messages=LEVEL_ERRORS
    )
    effective_from = forms.DateField(
        label="From",
        error_messages=DATE_ERRORS,
        widget=DATE_WIDGET,
        help_text="The criterion keeps its current level until the day before.",
    )
    reason = forms.CharField(required=False, max_length=1000, label="Reason (for the audit trail)")

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        problem = rules.effective_date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class CriterionAddForm(CriterionDetailsForm):
    msc_id = forms.CharField(
        label="Criterion ID",
        max_length=rules.MSC_ID_MAX_LENGTH,
        error_messages={
            "required": "Give the criterion ID, e.g. 3.10.",
            "max_length": f"The ID can be at most {rules.MSC_ID_MAX_LENGTH} characters long.",
        },
        help_text="Category number, a dot and a number, e.g. 3.10.",
    )
    level = forms.ChoiceField(
        choices=Level.choices, widget=forms.RadioSelect, error_messages=LEVEL_ERRORS
    )
    effective_from = forms.DateField(
        label="In force from", widget=DATE_WIDGET, error_messages=DATE_ERRORS
    )

    field_order = ["msc_id", "text", "text_is_summary", "level", "effective_from"]

    def clean_msc_id(self):
        msc_id = self.cleaned_data["msc_id"].strip()
        problem = rules.msc_id_problem(msc_id)
        if problem:
            raise forms.ValidationError(problem)
        return msc_id

    def clean_effective_from(self):
        return RequirementForm.clean_effective_from(self)


class TableUploadForm(forms.Form):
    """One business entity type's criteria table, uploaded as CSV into a draft version."""

    entity_type = forms.ChoiceField(
        label="Business entity type",
        choices=[("", "— Choose the entity type —"), *EntityType.choices],
        error_messages={"required": "Choose the business entity type the table is for."},
    )
    file = forms.FileField(
        label="Criteria table (CSV)",
        allow_empty_file=True,  # the service refuses it with a clear message
        error_messages={"required": "Choose the CSV file to upload."},
        help_text=(
            "A UTF-8 CSV file in the catalog format described below, at most "
            f"{catalog.TABLE_UPLOAD_MAX_BYTES // 1024} KiB."
        ),
    )
    partial = forms.BooleanField(
        required=False,
        label="This is a partial table: it holds only some of the rows of CBP's table",
        help_text="Members of this type are told that only these rows are loaded.",
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Reason (for the audit trail)",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The reason can be at most 1000 characters long."},
    )
