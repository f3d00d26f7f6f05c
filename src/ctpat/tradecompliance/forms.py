"""Forms of the Trade Compliance pages. They parse and check input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from . import questionset
from .models import Question, QuestionnaireVersion, TradeComplianceProfile

YES, NO, UNANSWERED = "yes", "no", ""
ANSWER_CHOICES = [(YES, "Yes"), (NO, "No"), (UNANSWERED, "Not answered yet")]
ANSWER_VALUES = {YES: True, NO: False, UNANSWERED: None}


def answer_field_name(question: Question) -> str:
    return f"q_{question.code}"


class EligibilityAnswersForm(forms.Form):
    """The eligibility questions of one questionnaire version, each Yes / No / not answered."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=24)

    def __init__(
        self,
        *args,
        version: QuestionnaireVersion,
        questions: list[Question],
        answers: dict[str, bool] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.version = version
        self.questions = questions
        self.fields["version"].initial = version.public_id
        answers = answers or {}
        for question in questions:
            stored = answers.get(question.code)
            self.fields[answer_field_name(question)] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=ANSWER_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=YES if stored is True else NO if stored is False else UNANSWERED,
            )

    def clean_version(self):
        value = self.cleaned_data["version"]
        if value != self.version.public_id:
            raise forms.ValidationError(
                "CBP has published new questions since this page was opened. Review the "
                "questions below and save again."
            )
        return value

    def rows(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[answer_field_name(q)]) for q in self.questions]

    def answers(self) -> dict[str, bool | None]:
        return {
            q.code: ANSWER_VALUES[self.cleaned_data.get(answer_field_name(q)) or UNANSWERED]
            for q in self.questions
        }


DEBT_UNKNOWN, DEBT_NONE, DEBT_OWED = "", "no", "yes"
DEBT_CHOICES = [
    (DEBT_NONE, "No: the company owes CBP nothing"),
    (DEBT_OWED, "Yes: the company owes CBP a debt"),
    (DEBT_UNKNOWN, "Not declared yet"),
]
DEBT_VALUES = {DEBT_UNKNOWN: None, DEBT_NONE: False, DEBT_OWED: True}


class TradeComplianceProfileForm(forms.Form):
    """The company's self-declared facts the eligibility rule needs."""

    import_history_start = forms.DateField(
        label="Date of the company's first import",
        required=False,
        help_text="When the company first imported into the United States as Importer of "
        "Record. Trade Compliance needs at least two years of import history.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    has_cbp_debt = forms.ChoiceField(
        label="Does the company owe CBP any debt?",
        help_text="For example unpaid duties, fees, penalties or liquidated damages.",
        choices=DEBT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    is_non_resident_canadian = forms.BooleanField(
        label="The company is a non-resident Canadian importer",
        help_text="Only for Canadian companies that import into the United States as Importer of "
        "Record without a U.S. establishment.",
        required=False,
    )
    reason = forms.CharField(
        label="Note for the audit trail (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )

    @classmethod
    def for_profile(cls, profile: TradeComplianceProfile | None, *args, **kwargs):
        initial = {"has_cbp_debt": DEBT_UNKNOWN}
        if profile is not None:
            initial = {
                "import_history_start": profile.import_history_start,
                "has_cbp_debt": {None: DEBT_UNKNOWN, False: DEBT_NONE, True: DEBT_OWED}[
                    profile.has_cbp_debt
                ],
                "is_non_resident_canadian": profile.is_non_resident_canadian,
            }
        return cls(*args, initial=initial, **kwargs)

    def clean_import_history_start(self):
        value = self.cleaned_data.get("import_history_start")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError("The first import cannot be in the future.")
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "import_history_start": data.get("import_history_start"),
            "has_cbp_debt": DEBT_VALUES[data.get("has_cbp_debt") or DEBT_UNKNOWN],
            "is_non_resident_canadian": bool(data.get("is_non_resident_canadian")),
            "reason": data.get("reason", "").strip(),
        }


# Larger than any real question set, well under the request-size limit.
DOCUMENT_MAX_LENGTH = 500_000


class PublishQuestionnaireForm(forms.Form):
    """A CBP program admin's new question set, in the format of ``questionset.py``."""

    document = forms.CharField(
        label="Question set (YAML)",
        help_text="Start from the current version's YAML download, change it, paste it here. "
        "The format is described in tradecompliance/questionset.py.",
        max_length=DOCUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        strip=False,
    )

    def clean_document(self):
        text = self.cleaned_data["document"]
        try:
            self.question_set = questionset.loads(text)
        except questionset.QuestionSetError as exc:
            raise forms.ValidationError(exc.problems) from exc
        return text
