"""Forms of the security-profile pages. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from . import rules
from .choices import Answer, Decision


class AnswerForm(forms.Form):
    """One criterion's answer; the prefix keeps the controls of each criterion apart (the
    criterion ID is posted as a plain ``msc_id`` field next to it)."""

    answer = forms.ChoiceField(
        choices=Answer.choices,
        widget=forms.RadioSelect,
        label="Answer",
        error_messages={
            "required": "Choose an answer: Yes, Yes – best practice, No or Not applicable.",
            "invalid_choice": "Choose an answer: Yes, Yes – best practice, No or Not applicable.",
        },
    )
    narrative = forms.CharField(
        required=False,
        max_length=rules.NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How your company meets this (narrative)",
        help_text="Required for Not applicable: say why it does not apply.",
        error_messages={
            "max_length": f"The narrative can be at most {rules.NARRATIVE_MAX_LENGTH} "
            "characters long."
        },
    )

    def clean(self):
        data = super().clean()
        for field, message in rules.answer_problems(
            data.get("answer", ""), data.get("narrative", "")
        ).items():
            if field == "narrative" and field not in self.errors:
                self.add_error(field, message)
        return data

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
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "The page is missing the profile version; reload it and try again.",
            "invalid": "The page's profile version is not valid; reload it and try again.",
            "min_value": "The page's profile version is not valid; reload it and try again.",
        },
    )


class ConfirmUnchangedForm(SubmitForm):
    """The annual review's "confirm every unchanged answer": the IDs the officer was shown."""

    msc_ids = forms.CharField(
        widget=forms.HiddenInput,
        max_length=4000,
        error_messages={
            "required": "The page is missing the list of answers to confirm; reload it.",
            "max_length": "The list of answers to confirm is too long; reload the page.",
        },
    )

    def clean_msc_ids(self) -> list[str]:
        return self.cleaned_data["msc_ids"].split()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to approve the profile or return it for changes.",
            "invalid_choice": "Choose whether to approve the profile or return it for changes.",
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=rules.RETURN_REASON_MAX_LENGTH,
        error_messages={
            "max_length": f"The reasons can be at most {rules.RETURN_REASON_MAX_LENGTH} "
            "characters long."
        },
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reasons (required when returning)",
        help_text="What the company must change; it is sent to the company.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "The reasons for returning the profile are required.")
        return data


class RiskAssessmentForm(forms.Form):
    """The annual risk assessment that starts the annual review (DOMAIN.md §3.1); the service
    checks the date against the review window."""

    risks_reviewed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.RISK_TEXT_MAX_LENGTH,
        label="Risks reviewed and conclusions",
        help_text="E.g. country and partner risks, forced-labor risk, incidents in the year.",
        error_messages={
            "required": "Describe the risks reviewed and what you concluded.",
            "max_length": f"The risks reviewed can be at most {rules.RISK_TEXT_MAX_LENGTH} "
            "characters long.",
        },
    )
    supply_chain_changes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=rules.RISK_TEXT_MAX_LENGTH,
        label="Changes in the supply chain since the last review",
        error_messages={
            "max_length": f"The supply-chain changes can be at most {rules.RISK_TEXT_MAX_LENGTH} "
            "characters long."
        },
    )
    assessed_on = forms.DateField(
        label="Date of the assessment",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Give the date of the assessment.",
            "invalid": "Give the date of the assessment as a date, for example 2026-12-01.",
        },
    )
    assessed_by_name = forms.CharField(
        max_length=rules.ASSESSED_BY_MAX_LENGTH,
        label="Carried out by (name and title)",
        error_messages={
            "required": "Say who carried out the assessment.",
            "max_length": f"The name can be at most {rules.ASSESSED_BY_MAX_LENGTH} characters "
            "long.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
