"""Forms of the security-profile pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from . import rules
from .choices import Answer, Decision


class AnswerForm(forms.Form):
    """One criterion's answer; the prefix keeps the controls of each criterion apart (the
    criterion ID is posted as a plain ``msc_id`` field next to it)."""

    answer = forms.ChoiceField(choices=Answer.choices, widget=forms.RadioSelect, label="Answer")
    narrative = forms.CharField(
        required=False,
        max_length=rules.NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How your company meets this (narrative)",
        help_text="Required for Not applicable: say why it does not apply.",
    )

    @staticmethod
    def prefix_for(msc_id: str) -> str:
        return "c" + msc_id.replace(".", "-")


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label="Evidence file", allow_empty_file=True)
    msc_id = forms.ChoiceField(label="Supports criterion", required=False)

    def __init__(self, *args, msc_choices=(), allowed_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["msc_id"].choices = [("", "— The profile as a whole —"), *msc_choices]
        if allowed_text:
            self.fields["file"].help_text = allowed_text


class SubmitForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        required=False,
        max_length=rules.RETURN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reasons (required when returning)",
        help_text="What the company must change; it is sent to the company.",
    )


class RiskAssessmentForm(forms.Form):
    """The annual risk assessment that starts the annual review (DOMAIN.md §3.1)."""

    risks_reviewed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.RISK_TEXT_MAX_LENGTH,
        label="Risks reviewed and conclusions",
        help_text="E.g. country and partner risks, forced-labor risk, incidents in the year.",
    )
    supply_chain_changes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.RISK_TEXT_MAX_LENGTH,
        label="Changes in the supply chain since the last review",
    )
    assessed_on = forms.DateField(
        label="Date of the assessment", widget=forms.DateInput(attrs={"type": "date"})
    )
    assessed_by_name = forms.CharField(
        max_length=rules.ASSESSED_BY_MAX_LENGTH, label="Carried out by (name and title)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
