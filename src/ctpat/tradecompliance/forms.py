"""Forms of the Trade Compliance pages. They parse and check input; services do the writing."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils import timezone

from ctpat.core.textfields import LongTextField

from . import questionset, rules
from .models import Question, QuestionnaireVersion, TradeComplianceProfile
from .services import (
    DECISION_REASON_MAX_LENGTH,
    FORCED_LABOR_NOTE_MAX_LENGTH,
    FORCED_LABOR_STATEMENT_MAX_LENGTH,
    INFORMATION_TEXT_MAX_LENGTH,
)

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
    (DEBT_NONE, "No: the company has no unpaid final debt to CBP"),
    (DEBT_OWED, "Yes: the company has a final debt to CBP that remains unpaid"),
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
        label=rules.CBP_DEBT_QUESTION,
        help_text="CBP's requirement: “" + rules.CBP_DEBT_WORDING + "” A debt still under "
        "protest, petition or appeal is not a final debt.",
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
    reason = LongTextField(label="Note for the audit trail (optional)", max_length=1000, rows=2)

    @classmethod
    def for_profile(
        cls, profile: TradeComplianceProfile | None, *args, locked: Iterable[str] = (), **kwargs
    ):
        """The form for ``profile``; ``locked`` facts (recorded by CBP, for a company user)
        are shown but cannot be changed."""
        form = cls._for_profile(profile, *args, **kwargs)
        for name in locked:
            field = form.fields[name]
            field.disabled = True
            field.help_text = (
                "Recorded by CBP from its own records: only CBP can change it. If it is wrong, "
                "dispute it below with a note."
            )
        return form

    @classmethod
    def _for_profile(cls, profile: TradeComplianceProfile | None, *args, **kwargs):
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


class ProfileDisputeForm(forms.Form):
    """The company's note disputing the facts CBP recorded."""

    note = LongTextField(
        label="What is wrong with CBP's record, and why",
        max_length=2000,
        rows=4,
    )


class CbpFactClearForm(forms.Form):
    """CBP clears its record of one fact, with the reason."""

    fact = forms.ChoiceField(
        label="Fact", choices=[(k, v.capitalize()) for k, v in rules.CBP_RECORDABLE_FACTS.items()]
    )
    reason = LongTextField(label="Reason", max_length=2000, rows=2)


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


# --- Applications --------------------------------------------------------------------------------


def url_field_name(question: Question) -> str:
    return f"url_{question.code}"


def file_field_name(question: Question) -> str:
    return f"file_{question.code}"


class ApplicationStepForm(forms.Form):
    """The questions of one step: yes/no and written answers, the code of conduct's public
    address, and a file to upload for each document question. The files travel with the
    answers (one multipart form), so uploading a document never loses what was typed."""

    def __init__(self, *args, questions: list[Question], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            stored = answers.get(q.code)
            name = answer_field_name(q)
            label = f"{q.number}. {q.text}"
            if q.answer_type == "yes_no":
                value = stored.yes_no if stored is not None else None
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[(YES, "Yes"), (NO, "No"), (UNANSWERED, "Not answered yet")],
                    required=False,
                    widget=forms.RadioSelect,
                    initial=YES if value is True else NO if value is False else UNANSWERED,
                )
            elif q.answer_type == "text":
                from .rules import ANSWER_TEXT_MAX_LENGTH

                self.fields[name] = LongTextField(
                    label=label,
                    max_length=ANSWER_TEXT_MAX_LENGTH,
                    initial=stored.text if stored is not None else "",
                )
            if q.answer_type == "document":
                self.fields[file_field_name(q)] = forms.FileField(
                    label=f"Choose a file for {q.code}", required=False
                )
            if q.answer_type == "document" and q.code in _public_url_codes():
                self.fields[url_field_name(q)] = forms.CharField(
                    label="Public address (https://…) where the code of conduct is published",
                    required=False,
                    max_length=500,
                    widget=forms.URLInput(attrs={"inputmode": "url"}),
                    initial=stored.public_url if stored is not None else "",
                )
                # No maxlength attribute: a browser would cut a pasted address silently.
                self.fields[url_field_name(q)].widget.attrs.pop("maxlength", None)

    def rows(self) -> list[tuple[Question, forms.BoundField | None, forms.BoundField | None]]:
        rows = []
        for q in self.questions:
            answer = self[answer_field_name(q)] if answer_field_name(q) in self.fields else None
            url = self[url_field_name(q)] if url_field_name(q) in self.fields else None
            rows.append((q, answer, url))
        return rows

    def answers(self) -> dict:
        out = {}
        for q in self.questions:
            name = answer_field_name(q)
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if q.answer_type == "yes_no":
                out[q.code] = ANSWER_VALUES[value or UNANSWERED]
            else:
                out[q.code] = (value or "").strip() or None
        return out

    def file_field(self, question: Question) -> forms.BoundField | None:
        name = file_field_name(question)
        return self[name] if name in self.fields else None

    def files_chosen(self) -> dict:
        """The files chosen for document questions, by question code."""
        return {
            q.code: self.files[file_field_name(q)]
            for q in self.questions
            if q.answer_type == "document" and self.files.get(file_field_name(q))
        }

    def public_urls(self) -> dict:
        return {
            q.code: (self.cleaned_data.get(url_field_name(q)) or "").strip()
            for q in self.questions
            if url_field_name(q) in self.fields
        }


def _public_url_codes():
    from .rules import PUBLIC_URL_QUESTION_CODES

    return PUBLIC_URL_QUESTION_CODES


class IorSelectionForm(forms.Form):
    ior_numbers = forms.MultipleChoiceField(
        label="Importer of Record numbers the membership will cover",
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": "Select at least one Importer of Record number."},
    )

    def __init__(self, *args, identifiers, selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ior_numbers"].choices = [(i.value, i.display_value) for i in identifiers]
        self.fields["ior_numbers"].initial = list(selected)


class MouSignatureForm(forms.Form):
    acknowledged = forms.MultipleChoiceField(
        label="Statements of the Memorandum of Understanding",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    signer_name = forms.CharField(
        label="Your full name (your typed signature)", max_length=200, required=False
    )

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledged"].choices = [
            (q.code, f"{q.number}. {q.text}")
            for q in questions
            if q.answer_type == "acknowledgement"
        ]


class DocumentUploadForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=questionset.CODE_MAX_LENGTH)
    file = forms.FileField(label="Choose a file", required=False)


class ReasonForm(forms.Form):
    reason = LongTextField(label="Reason", max_length=DECISION_REASON_MAX_LENGTH, rows=3)


class InformationRequestForm(forms.Form):
    questions = LongTextField(
        label="Your questions to the company", max_length=INFORMATION_TEXT_MAX_LENGTH
    )


class ResponseForm(forms.Form):
    response = LongTextField(label="Your response to CBP", max_length=INFORMATION_TEXT_MAX_LENGTH)


class AssignForm(forms.Form):
    nam = forms.ChoiceField(label="National Account Manager")

    def __init__(self, *args, nams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", "- Select -")] + [
            (u.public_id, u.get_full_name() or u.get_username()) for u in nams
        ]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, label="Status")
    nam = forms.ChoiceField(required=False, label="National Account Manager")
    older_than = forms.TypedChoiceField(
        required=False, label="Submitted", coerce=int, empty_value=None
    )

    def __init__(self, *args, nams, statuses, ages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *statuses]
        self.fields["nam"].choices = [
            ("", "Anyone"),
            ("unassigned", "Not assigned"),
            *[(u.public_id, u.get_full_name() or u.get_username()) for u in nams],
        ]
        self.fields["older_than"].choices = [("", "Any time")] + [
            (str(days), f"{days}+ days ago") for days in ages
        ]


class ForcedLaborSubmitForm(forms.Form):
    """The member officer's statement on the forced-labor requirements; the files (FL-CODE,
    FL-EVIDENCE) travel in the same multipart form and are checked by the service."""

    statement = LongTextField(
        label="How the company meets the forced-labor requirements",
        max_length=FORCED_LABOR_STATEMENT_MAX_LENGTH,
        rows=6,
        help_text="Supply-chain mapping, code of conduct, evidence it is carried out, supplier "
        "due diligence and training, remediation, and sharing of best practices.",
    )
    code_of_conduct_url = forms.CharField(
        label="Public address of the code of conduct (optional)",
        required=False,
        max_length=500,
        help_text="An https:// address where the company publishes its code of conduct.",
    )


class ForcedLaborDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("met", "The requirements are met"), ("return", "Return to the company")],
        widget=forms.RadioSelect,
    )
    note = LongTextField(
        label="Note or reason",
        max_length=FORCED_LABOR_NOTE_MAX_LENGTH,
        rows=3,
        help_text="Required when returning the submission, or when marking the requirements "
        "met without a submission.",
    )
