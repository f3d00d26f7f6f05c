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
        help_text='How the version will be known, e.g. "2023-01 (importer)".',
    )


class PublishForm(forms.Form):
    label = forms.CharField(max_length=120)
    notes = forms.CharField(
        label="What this version changes and why",
        max_length=catalog.NOTES_MAX_LENGTH,
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
        max_length=catalog.TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
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
    )
    program = forms.ChoiceField(choices=Program.choices)
    tags = forms.MultipleChoiceField(
        required=False, label="Topics", choices=Tag.choices, widget=forms.CheckboxSelectMultiple
    )
    source = forms.CharField(required=False, max_length=catalog.SOURCE_MAX_LENGTH)
    notes = forms.CharField(
        required=False,
        max_length=catalog.NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Inconsistencies between sources, inferences.",
    )


class CriterionEditForm(CriterionDetailsForm):
    reason = forms.CharField(required=False, max_length=1000, label="Reason (for the audit trail)")


class RequirementForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices, widget=forms.RadioSelect)
    effective_from = forms.DateField(
        label="From",
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
        help_text="Category number, a dot and a number, e.g. 3.10.",
    )
    level = forms.ChoiceField(choices=Level.choices, widget=forms.RadioSelect)
    effective_from = forms.DateField(label="In force from", widget=DATE_WIDGET)

    field_order = ["msc_id", "text", "text_is_summary", "level", "effective_from"]

    def clean_msc_id(self):
        msc_id = self.cleaned_data["msc_id"].strip()
        problem = rules.msc_id_problem(msc_id)
        if problem:
            raise forms.ValidationError(problem)
        return msc_id

    def clean_effective_from(self):
        return RequirementForm.clean_effective_from(self)
