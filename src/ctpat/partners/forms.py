"""Forms for the partner pages. They parse and check input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from ctpat.core.countries import country_choices
from ctpat.core.textfields import LongTextField

from . import eligibility, rules, services
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

    name = forms.CharField(
        label="Company legal name",
        max_length=200,
        error_messages={"required": "The company's legal name is required."},
    )
    entity_type = forms.ChoiceField(
        label="Business entity type",
        choices=[("", "- Select -"), *EntityType.choices],
        error_messages={"required": "The business entity type is required."},
    )
    country = forms.ChoiceField(
        label="Country",
        choices=[("", "- Select -"), *country_choices()],
        error_messages={"required": "The country is required."},
        help_text="For a manufacturer, the country where it is incorporated; for every other "
        "type, the country of the staffed business office that applies. Each type can join "
        "only from the countries CBP names for it: foreign manufacturers from Mexico or "
        "Canada (elsewhere only by CBP invitation); the rule for the chosen type is shown "
        "with its identifiers below.",
    )
    invitation = forms.ChoiceField(
        label="CBP invitation (optional)",
        required=False,
        help_text="Only for a foreign manufacturer outside Mexico and Canada or a foreign-based "
        "port or terminal operator that CBP invited. Without a choice, an open invitation for "
        "the same company name, type and country is used.",
    )
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

    def __init__(self, *args, entity_type: str = "", viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        from . import selectors

        self.country_rule = (
            eligibility.country_rule(entity_type, services.country_limits())
            if entity_type in eligibility.COUNTRY_RULES
            else None
        )
        open_invitations = (
            selectors.invitation_open_choices(viewer=viewer) if viewer is not None else []
        )
        self.fields["invitation"].choices = [
            ("", "- None -"),
            *(
                (
                    i.public_id,
                    f"{i.public_id}: {i.company_name} ({i.get_entity_type_display()}, "
                    f"{i.country_name})",
                )
                for i in open_invitations
            ),
        ]
        if len(self.fields["invitation"].choices) == 1:
            self.fields["invitation"].widget = forms.HiddenInput()
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
        self._check_country(data)
        return data

    def _check_country(self, data) -> None:
        """The country rule, reported with the other errors (the service checks it again)."""
        from . import selectors

        entity_type, country = data.get("entity_type"), data.get("country")
        if not entity_type or not country:
            return
        invited = bool(data.get("invitation")) or selectors.invitation_open_for(
            name=data.get("name", ""), entity_type=entity_type, country=country
        )
        decision = eligibility.entity_country_decision(
            entity_type, country, invited=invited, unconfirmed_limits=services.country_limits()
        )
        if not decision.allowed:
            self.add_error("country", " ".join(decision.reasons))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        profile = {f: data.get(f, "") for f in EDITABLE_PROFILE_FIELDS}
        return {
            "name": data["name"],
            "entity_type": data["entity_type"],
            "country": data["country"],
            "identifiers": data["identifiers"],
            "invitation": data.get("invitation", ""),
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
    # Counted, and refused in a sentence when too long (never cut); see core.textfields.
    reason = LongTextField(
        label="Reason for deactivating",
        max_length=500,
        rows=2,
        required=True,
        error_messages={"required": "Say why the identifier is deactivated."},
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


class SVINumberRequestForm(forms.Form):
    number = forms.CharField(
        label="Account number",
        max_length=40,
        help_text="The CTPAT account number (CT- followed by 10 letters and digits) that your "
        "business partner gave you. Only an exact number of a certified member can be "
        "connected; its name is shown once it accepts.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "The account number is required."},
    )
    message = forms.CharField(label="Message (optional)", max_length=500, required=False)


# --- CBP invitations -------------------------------------------------------------------------


class InvitationForm(forms.Form):
    """CBP invites a company from outside its type's countries (eligibility.INVITATION_TYPES)."""

    partner = forms.CharField(
        label="Account number of a registered company (optional)",
        max_length=24,
        required=False,
        help_text="Leave empty for a company that is not registered yet; its name, type and "
        "country below must then match its registration.",
    )
    company_name = forms.CharField(label="Company name", max_length=200, required=False)
    entity_type = forms.ChoiceField(
        label="Business entity type",
        required=False,
        choices=[
            ("", "- Select -"),
            *((t, EntityType(t).label) for t in sorted(eligibility.INVITATION_TYPES)),
        ],
    )
    country = forms.ChoiceField(
        label="Country", required=False, choices=[("", "- Select -"), *country_choices()]
    )
    reason = forms.CharField(
        label="Reason for the invitation",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "The reason for the invitation is required."},
    )

    def clean(self):
        data = super().clean()
        if not data.get("partner"):
            if not (data.get("company_name") or "").strip():
                self.add_error("company_name", "The company name is required.")
            if not data.get("entity_type"):
                self.add_error("entity_type", "The business entity type is required.")
            if not data.get("country"):
                self.add_error("country", "The country is required.")
        return data


class InvitationWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawing",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "The reason for withdrawing the invitation is required."},
    )
