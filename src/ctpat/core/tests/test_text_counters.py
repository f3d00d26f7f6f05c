"""Every long-text field in every app shows a character count and carries no ``maxlength``
(browsers cut pasted text at it silently); over-long text is refused with a sentence."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.validators import MaxLengthValidator
from django.template.loader import render_to_string
from django.urls import reverse

import ctpat
from ctpat.core.templatetags.ctpat_text import field_text_limit, widget_attrs_for_page
from ctpat.core.textfields import LongTextField
from ctpat.partners.models import PartnerIdentifier


def _form_classes():
    """Every form class declared in a ``ctpat.<app>.forms`` module."""
    for info in pkgutil.iter_modules(ctpat.__path__):
        try:
            module = importlib.import_module(f"ctpat.{info.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                yield module.__name__, name, cls


def _textarea_fields():
    rows = []
    for module, name, cls in _form_classes():
        for field_name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field.widget, forms.Textarea):
                rows.append(pytest.param(module, name, field_name, id=f"{name}.{field_name}"))
    return rows


TEXTAREAS = _textarea_fields()


def test_the_scan_finds_the_textareas_of_several_apps():
    apps = {module for module, *_ in (p.values for p in TEXTAREAS)}
    assert {"ctpat.profiles.forms", "ctpat.partners.forms", "ctpat.criteria.forms"} <= apps
    assert {"ctpat.resources.forms", "ctpat.enforcement.forms"} <= apps


@pytest.mark.parametrize(("module", "form_name", "field_name"), TEXTAREAS)
def test_every_textarea_has_a_limit_and_renders_with_a_counter_and_no_maxlength(
    module, form_name, field_name
):
    cls = getattr(importlib.import_module(module), form_name)
    field = cls.base_fields[field_name]
    bound = forms.Form().__class__  # a throwaway form that holds only this field
    holder = type("Holder", (bound,), {field_name: field})()
    limit = field_text_limit(holder[field_name])
    assert limit, f"{form_name}.{field_name} has no character limit"

    html = render_to_string("includes/form_field.html", {"field": holder[field_name]})

    assert f'<div class="usa-character-count" data-maxlength="{limit}">' in html
    assert "usa-character-count__field" in html
    assert f"id_{field_name}-info" in html
    assert f"{limit} characters allowed" in html
    assert " maxlength=" not in html


def test_a_text_input_with_max_length_renders_without_maxlength():
    class NameForm(forms.Form):
        name = forms.CharField(max_length=20)

    html = render_to_string("includes/form_field.html", {"field": NameForm()["name"]})

    assert 'name="name"' in html
    assert "maxlength" not in html
    assert "usa-character-count" not in html


def test_the_limit_comes_from_max_length_a_validator_or_data_maxlength():
    class LimitsForm(forms.Form):
        a = forms.CharField(max_length=30, widget=forms.Textarea)
        b = forms.CharField(widget=forms.Textarea, validators=[MaxLengthValidator(40)])
        c = forms.CharField(widget=forms.Textarea(attrs={"data-maxlength": 50}))
        d = forms.CharField(widget=forms.Textarea)
        e = forms.CharField(max_length=60)

    form = LimitsForm()
    assert [field_text_limit(form[n]) for n in "abcde"] == [30, 40, 50, None, None]


def test_the_counter_status_follows_the_typed_text():
    class NoteForm(forms.Form):
        note = LongTextField(max_length=10, label="The note")

    html = render_to_string(
        "includes/form_field.html", {"field": NoteForm({"note": "x" * 13})["note"]}
    )
    assert "3 characters over limit" in html
    assert "usa-character-count__status--invalid" in html
    html = render_to_string(
        "includes/form_field.html", {"field": NoteForm({"note": "x" * 4})["note"]}
    )
    assert "6 characters left" in html


def test_widget_attrs_for_page_adds_the_counter_description_once():
    attrs = widget_attrs_for_page(
        {"id": "id_note", "maxlength": "5", "aria-describedby": "id_note_helptext"}, 5
    )
    assert "maxlength" not in attrs
    assert attrs["aria-describedby"] == "id_note_helptext id_note-info"
    assert widget_attrs_for_page(attrs, 5)["aria-describedby"] == attrs["aria-describedby"]


def test_an_over_long_identifier_deactivation_reason_is_refused_in_a_sentence_and_kept(
    login, scss, importer
):
    identifier = importer.identifiers.get(kind="bond")
    typed = "Replaced by a new continuous bond, see the file." + "x" * 652  # 700 characters

    response = login(scss).post(
        reverse("partners:identifier_deactivate", args=[importer.public_id, identifier.public_id]),
        {"reason": typed},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Reason for deactivating is too long: it has 700 characters and at most 500" in page
    assert typed in page  # what was typed comes back
    assert " maxlength=" not in page
    assert 'class="usa-character-count" data-maxlength="500"' in page
    assert "200 characters over limit" in page
    assert PartnerIdentifier.objects.get(pk=identifier.pk).is_active
