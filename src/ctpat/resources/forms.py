"""Forms for the resources pages. They parse input; the services check, decide and write."""

from __future__ import annotations

from django import forms

from . import rules
from .choices import AUDIENCE_CHOICES, ResourceKind, ResourceState, Topic
from .filtersets import ORDERING_CHOICES


def style_resource_filter_form(form: forms.Form) -> forms.Form:
    """Fit ResourceFilterSet's form to the list page's filter bar: say what "empty" means."""
    form.fields["q"].label = "Search"
    form.fields["q"].widget = forms.TextInput(
        attrs={"autocomplete": "off", "enterkeyhint": "search", "placeholder": "Words or RES-…"}
    )
    form.fields["kind"].widget.choices = [("", "Any kind"), *ResourceKind.choices]
    form.fields["audience"].widget.choices = [("", "Any audience"), *AUDIENCE_CHOICES]
    form.fields["topic"].widget.choices = [("", "Any topic"), *Topic.choices]
    form.fields["ordering"].widget.choices = [("", "For me first, then A–Z"), *ORDERING_CHOICES]
    form.fields["state"].widget.choices = [("", "Any state"), *ResourceState.choices]
    form.fields["shared"].widget = forms.Select(
        choices=[("", "Shared or not"), ("true", "Shared with my company")]
    )
    return form


class ResourceForm(forms.Form):
    """A resource's content; on edit, the change note is kept with the new revision.

    Title and audiences are checked by the service (not required here), so that one submit
    reports every problem at once.
    """

    title = forms.CharField(max_length=rules.TITLE_MAX_LENGTH, required=False)
    kind = forms.ChoiceField(choices=ResourceKind.choices)
    summary = forms.CharField(
        required=False,
        max_length=rules.SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences shown in the list.",
    )
    body = forms.CharField(
        label="Text",
        required=False,
        max_length=rules.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Plain text; blank lines start a new paragraph.",
    )
    external_url = forms.CharField(
        label="External link",
        required=False,
        max_length=rules.URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text="https://… — shown as a link to the outside page; ctpat never fetches it.",
    )
    audiences = forms.MultipleChoiceField(
        label="For",
        required=False,
        choices=AUDIENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text='"CBP staff" alone keeps the resource internal to CBP.',
    )
    topics = forms.MultipleChoiceField(
        required=False, choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    source = forms.CharField(
        label="Source or citation", required=False, max_length=rules.SOURCE_MAX_LENGTH
    )
    change_note = forms.CharField(
        label="What changed and why",
        required=False,
        max_length=rules.CHANGE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    publish = forms.BooleanField(
        label="Publish now (members see this version at once)", required=False
    )

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "kind",
                "summary",
                "body",
                "external_url",
                "audiences",
                "topics",
                "source",
            )
        }


class NoteForm(forms.Form):
    change_note = forms.CharField(
        label="Note for the revision history",
        required=False,
        max_length=rules.CHANGE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="Why is it retired?",
        max_length=rules.CHANGE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ShareForm(forms.Form):
    clients = forms.MultipleChoiceField(
        label="Clients to share with",
        widget=forms.CheckboxSelectMultiple,
        help_text="Companies with an accepted status verification connection to yours.",
    )
    note = forms.CharField(
        label="Note to your clients",
        required=False,
        max_length=rules.SHARE_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, clients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clients_by_id = {c.public_id: c for c in clients}
        self.fields["clients"].choices = [
            (c.public_id, f"{c.name} ({c.get_entity_type_display()})") for c in clients
        ]

    def chosen_clients(self) -> list:
        return [self.clients_by_id[i] for i in self.cleaned_data["clients"]]
