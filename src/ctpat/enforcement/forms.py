"""Forms of the suspension and appeal pages. They check shape only; the services decide."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

from ctpat.partners.choices import MembershipStatus

from .choices import AppealOutcome, AppealSubject, RequiredAction
from .models import TEXT_MAX_LENGTH

TEXT_HELP = f"At most {TEXT_MAX_LENGTH:,} characters."


def _textarea(rows: int = 5) -> forms.Textarea:
    # data-maxlength: the counter in ctpat.js; no maxlength attribute, so nothing is cut.
    return forms.Textarea(attrs={"rows": rows, "data-maxlength": TEXT_MAX_LENGTH})


def _text_field(label: str, *, required: bool = True, help_text: str = TEXT_HELP, rows: int = 5):
    # A validator, not max_length: max_length would put maxlength on the textarea, and the
    # browser would cut pasted text without a word.
    return forms.CharField(
        label=label,
        required=required,
        widget=_textarea(rows),
        help_text=help_text,
        validators=[
            MaxLengthValidator(
                TEXT_MAX_LENGTH,
                message=f"{label} is longer than {TEXT_MAX_LENGTH:,} characters; shorten it or "
                "attach a document. Nothing was cut.",
            )
        ],
        error_messages={"required": f"{label} is required."},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        # The service checks every file (type, content, size, scan); here only the list shape.
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def documents_field() -> MultipleFileField:
    return MultipleFileField(
        label="Documents (optional)",
        required=False,
        help_text="PDF, image, Word, Excel, CSV or text files; you can choose several.",
    )


class SuspendForm(forms.Form):
    letter = _text_field(
        "The suspension letter (reasons and findings)",
        help_text="The member reads this. " + TEXT_HELP,
        rows=8,
    )
    required_actions = forms.MultipleChoiceField(
        label="Required actions for reinstatement",
        choices=RequiredAction.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_actions = _text_field(
        "Other required actions", required=False, help_text="Anything else the member must do."
    )
    false_information = forms.BooleanField(
        label="The member knowingly gave false or misleading information (6 U.S.C. 967(b)): "
        "30 days to appeal",
        required=False,
    )


class RemoveImmediatelyForm(forms.Form):
    reason = _text_field(
        "The aggravated circumstances that justify an immediate removal",
        help_text="The company's officers read this. " + TEXT_HELP,
    )
    false_information = forms.BooleanField(
        label="Expulsion for knowingly false or misleading information (6 U.S.C. 967(b))",
        required=False,
    )


class AnswerForm(forms.Form):
    note = _text_field("A note to CBP (optional)", required=False, rows=3)
    documents = documents_field()

    def __init__(self, *args, fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.answer_keys = []
        for key, label in fields:
            name = f"answer_{key}"
            self.fields[name] = _text_field(f"Your answer to “{label}”")
            self.answer_keys.append((key, name))
        # Answers first, then the note and the documents.
        order = [name for _, name in self.answer_keys] + ["note", "documents"]
        self.order_fields(order)

    @property
    def answer_fields(self):
        return [self[name] for _, name in self.answer_keys]

    def action_answers(self) -> dict:
        return {key: self.cleaned_data.get(name, "") for key, name in self.answer_keys}


class CaseDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("reinstate", "Reinstate the member"), ("remove", "Remove the member")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose to reinstate or remove the member."},
    )
    reason = _text_field("The reason for the decision", rows=3)


class AppealFileForm(forms.Form):
    decision = forms.ChoiceField(
        label="The decision you appeal",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={
            "required": "Choose the decision you appeal.",
            "invalid_choice": "That decision cannot be appealed now; choose one of the list.",
        },
    )
    grounds = _text_field("The grounds of the appeal", rows=8)
    documents = documents_field()

    def __init__(self, *args, decisions=(), **kwargs):
        decisions = list(decisions)
        """``decisions``: the ``selectors.AppealableDecision``s open for filing."""
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (d.ref, f"{d.label} (appeal by {d.deadline.isoformat()}, {d.paragraph})")
            for d in decisions
        ]
        self.order_fields(["decision", "grounds", "documents"])
        # With one decision open there is nothing to choose (the radio is preselected too).
        self.only_ref = decisions[0].ref if len(decisions) == 1 else None
        if self.only_ref:
            self.fields["decision"].required = False

    def clean_decision(self):
        return self.cleaned_data.get("decision") or self.only_ref


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose upheld, reversed or modified."},
    )
    resulting_status = forms.ChoiceField(
        label="Resulting status (for a modified decision)", required=False, choices=[]
    )
    reason = _text_field("The reason for the decision", rows=4)

    def __init__(self, *args, targets: list[str], subject: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if subject == AppealSubject.TC_APPLICATION:
            # The outcome says what happens to a denied application; no status to pick.
            del self.fields["resulting_status"]
            return
        if subject == AppealSubject.TC_MEMBERSHIP:
            from ctpat.tradecompliance.choices import MembershipStatus as TCMembershipStatus

            labels = dict(TCMembershipStatus.choices)
        else:
            labels = dict(MembershipStatus.choices)
        self.fields["resulting_status"].choices = [("", "- Select -")] + [
            (t, labels[t]) for t in targets
        ]
