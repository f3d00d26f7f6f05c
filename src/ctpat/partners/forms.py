"""Forms for the partner pages. They parse and check input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from ctpat.core.countries import country_choices

from . import rules
from .choices import EntityType, IdentifierKind, MembershipStatus
from .filtersets import TIER_CHOICES
from .identifiers import IDENTIFIER_FORMATS, IdentifierError, validate_identifier
from .services import EDITABLE_PROFILE_FIELDS


class SingleSelectMultiple(forms.Select):
    """A one-choice <select> for a multiple-choice filter (``?entity_type=importer``)."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        return getlist(name) if getlist else data.get(name)


def style_partner_filter_form(form: forms.Form) -> forms.Form:
    """Fit PartnerFilterSet's form to the list page's one-row filter bar."""
    form.fields["q"].label = "Search"
    form.fields["q"].help_text = ""
    form.fields["q"].widget = forms.TextInput(
        attrs={
            "autocomplete": "off",
            "enterkeyhint": "search",
            "placeholder": "Name, account or identifier",
        }
    )
    form.fields["entity_type"].widget = SingleSelectMultiple(
        choices=[("", "Any type"), *EntityType.choices]
    )
    form.fields["status"].label = "Status"
    form.fields["status"].widget = SingleSelectMultiple(
        choices=[("", "Any status"), *MembershipStatus.choices]
    )
    form.fields["tier"].label = "Tier"
    # django-filter adds its own "---------" choice; the menus say what an empty choice means.
    form.fields["tier"].widget.choices = [("", "Any tier"), *TIER_CHOICES]
    form.fields["country"].widget.choices = [("", "Any country"), *country_choices()]
    return form


# --- Registration --------------------------------------------------------------------------


def identifier_groups(entity_type: str) -> list[dict]:
    """The entity type's identifier requirements as form groups (one any-of group each)."""
    if entity_type not in rules.REQUIRED_IDENTIFIERS:
        return []
    reasons = rules.missing_identifiers(entity_type, []).reasons
    groups = []
    for index, (group, reason) in enumerate(
        zip(rules.required_identifiers(entity_type), reasons, strict=True)
    ):
        groups.append({"index": index, "kinds": group, "requirement": reason})
    return groups


def _value_help(kind: str) -> str:
    return f"Format: {IDENTIFIER_FORMATS[kind]}."


class PartnerRegisterForm(forms.Form):
    """A new CTPAT account. Identifier fields follow ``rules.required_identifiers``."""

    name = forms.CharField(label="Company legal name", max_length=200)
    entity_type = forms.ChoiceField(
        label="Business entity type", choices=[("", "- Select -"), *EntityType.choices]
    )
    country = forms.ChoiceField(label="Country", choices=[("", "- Select -"), *country_choices()])
    dba_name = forms.CharField(label="Doing business as (DBA)", max_length=200, required=False)
    city = forms.CharField(max_length=120, required=False)
    address = forms.CharField(label="Street address", max_length=300, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    primary_contact_name = forms.CharField(
        label="Primary contact name", max_length=200, required=False
    )
    primary_contact_email = forms.EmailField(label="Primary contact e-mail", required=False)
    primary_contact_phone = forms.CharField(
        label="Primary contact phone", max_length=40, required=False
    )
    extra_identifier_kind = forms.ChoiceField(
        label="Other identifier (optional)",
        required=False,
        choices=[("", "- None -"), *IdentifierKind.choices],
    )
    extra_identifier_value = forms.CharField(
        label="Other identifier number", max_length=40, required=False
    )

    def __init__(self, *args, entity_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity_type"].widget.attrs.update(
            {
                "hx-get": reverse("partners:create_identifier_fields"),
                "hx-target": "#identifier-fields",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        self.groups = identifier_groups(entity_type)
        for group in self.groups:
            i, kinds = group["index"], group["kinds"]
            if len(kinds) == 1:
                self.fields[f"identifier_{i}_kind"] = forms.ChoiceField(
                    choices=[(kinds[0], IdentifierKind(kinds[0]).label)],
                    initial=kinds[0],
                    widget=forms.HiddenInput,
                )
                label, help_text = IdentifierKind(kinds[0]).label, _value_help(kinds[0])
            else:
                self.fields[f"identifier_{i}_kind"] = forms.ChoiceField(
                    label="Kind of identifier",
                    choices=[(k, IdentifierKind(k).label) for k in kinds],
                )
                label = "Identifier number"
                help_text = "Choose the kind of identifier, then enter its number."
            self.fields[f"identifier_{i}_value"] = forms.CharField(
                label=label, max_length=40, required=False, help_text=help_text
            )
            group["kind_field"] = f"identifier_{i}_kind"
            group["value_field"] = f"identifier_{i}_value"

    def group_fields(self) -> list[dict]:
        return [
            {**g, "kind": self[g["kind_field"]], "value": self[g["value_field"]]}
            for g in self.groups
        ]

    def clean(self):
        data = super().clean()
        pairs = [(g["kind_field"], g["value_field"]) for g in self.groups]
        pairs.append(("extra_identifier_kind", "extra_identifier_value"))
        identifiers = []
        for kind_field, value_field in pairs:
            kind, value = data.get(kind_field), (data.get(value_field) or "").strip()
            if not value:
                continue
            if not kind:
                self.add_error(kind_field, "Choose the kind of identifier.")
                continue
            try:
                validate_identifier(kind, value)
            except IdentifierError as exc:
                self.add_error(value_field, exc.message)
                continue
            identifiers.append((kind, value))
        data["identifiers"] = identifiers
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        profile = {f: data.get(f, "") for f in EDITABLE_PROFILE_FIELDS}
        return {
            "name": data["name"],
            "entity_type": data["entity_type"],
            "country": data["country"],
            "identifiers": data["identifiers"],
            **profile,
        }


# --- Profile, identifiers, status ----------------------------------------------------------


class PartnerProfileForm(forms.Form):
    dba_name = forms.CharField(label="Doing business as (DBA)", max_length=200, required=False)
    city = forms.CharField(max_length=120, required=False)
    address = forms.CharField(label="Street address", max_length=300, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    primary_contact_name = forms.CharField(
        label="Primary contact name", max_length=200, required=False
    )
    primary_contact_email = forms.EmailField(label="Primary contact e-mail", required=False)
    primary_contact_phone = forms.CharField(
        label="Primary contact phone", max_length=40, required=False
    )
    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the partner's history.",
    )

    def changes(self) -> dict:
        return {f: self.cleaned_data.get(f, "") for f in EDITABLE_PROFILE_FIELDS}


class IdentifierAddForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of identifier", choices=[("", "- Select -"), *IdentifierKind.choices]
    )
    value = forms.CharField(label="Number", max_length=40)
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)


class IdentifierDeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Reason for deactivating", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransitionForm(forms.Form):
    """Any status is accepted here so that the rules, not the form, explain a refusal."""

    target = forms.ChoiceField(label="New status", choices=MembershipStatus.choices)
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to suspend, remove, withdraw, return an application or lower a tier.",
    )

    def __init__(self, *args, current: str, targets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(MembershipStatus.choices)
        offered = [("", "- Select -")]
        for target in targets:
            label = str(labels[target])
            if rules.reason_required(current, target):
                label += " (reason required)"
            offered.append((target, label))
        self.fields["target"].widget.choices = offered


# --- Status verification (SVI) -------------------------------------------------------------


class SVISearchForm(forms.Form):
    q = forms.CharField(
        label="Company name or account number",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SVIRequestForm(forms.Form):
    target = forms.CharField(max_length=24, widget=forms.HiddenInput)
    message = forms.CharField(label="Message (optional)", max_length=500, required=False)


class SVIRejectForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", max_length=500, required=False)


class SVISettingsForm(forms.Form):
    auto_accept = forms.BooleanField(
        label="Accept connection requests from certified members automatically", required=False
    )
    share_more = forms.BooleanField(
        label="Share our current tier and primary contact with connected companies",
        required=False,
    )
    directory_listed = forms.BooleanField(
        label="List our company name in the directory so certified members can ask to connect",
        required=False,
    )


class CertificationRequestForm(forms.Form):
    company_name = forms.CharField(label="Company name", max_length=200)
    email = forms.EmailField(label="E-mail address")
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
