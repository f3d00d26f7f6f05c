"""The Trade Compliance question set names only public sources (issue 7): the shipped YAML, the
pages and CBP's YAML download; migration 0009 corrects the stored sources of earlier installs."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from ctpat.core.citations import NON_PUBLIC_SOURCE_DOMAINS
from ctpat.tradecompliance import questionset

FORBIDDEN = ("DOMAIN", "shared/", "seed/", *NON_PUBLIC_SOURCE_DOMAINS)


def _forbidden_in(text: str) -> list[str]:
    lowered = text.casefold()
    return [marker for marker in FORBIDDEN if marker.casefold() in lowered]


def test_shipped_yaml_names_no_internal_material():
    text = questionset.SHIPPED_QUESTION_SET.read_text(encoding="utf-8")
    assert _forbidden_in(text) == []


def test_question_set_with_internal_source_notes_is_refused():
    text = questionset.SHIPPED_QUESTION_SET.read_text(encoding="utf-8").replace(
        'source: "Trade Compliance Portal 3.0 Manual', 'source: "DOMAIN.md §2.2 Portal Manual', 1
    )
    with pytest.raises(questionset.QuestionSetError) as caught:
        questionset.loads(text)
    assert any("sections[0].questions[0].source" in p for p in caught.value.problems)


@pytest.fixture
def version(db):
    from ctpat.tradecompliance import selectors

    return selectors.questionnaire_current()


def test_pages_and_yaml_download_name_no_internal_material(version, client, login, scss):
    urls = [
        reverse("tradecompliance:preview"),
        reverse("tradecompliance:preview_version", kwargs={"version_id": version.public_id}),
    ]
    for url in urls:
        assert _forbidden_in(client.get(url).content.decode()) == [], url
    download = login(scss).get(reverse("tradecompliance:preview") + "?format=yaml")
    assert download.status_code == 200 and "sources:" in download.content.decode()
    assert _forbidden_in(download.content.decode()) == []
    api = client.get(f"/api/tc-questionnaires/{version.public_id}/")
    assert _forbidden_in(api.content.decode()) == []


def test_migration_rewrites_stored_internal_notes(version):
    apps = (
        MigrationLoader(connection)
        .project_state(("tradecompliance", "0009_public_question_sources"))
        .apps
    )
    Section = apps.get_model("tradecompliance", "QuestionnaireSection")
    Question = apps.get_model("tradecompliance", "Question")
    AuditEvent = apps.get_model("core", "AuditEvent")
    # An install loaded before: its notes name the brief and consultants.
    Section.objects.filter(version_id=version.pk, key="forced_labor").update(
        sources=["cmtradelaw.com 2022/11, DOMAIN.md §2.4"]
    )
    Question.objects.filter(version_id=version.pk, code="FL-CODE").update(
        source="cmtradelaw.com 2022/11 (DOMAIN.md §2.4)"
    )
    text_before = Question.objects.get(version_id=version.pk, code="FL-CODE").text
    migration = importlib.import_module(
        "ctpat.tradecompliance.migrations.0009_public_question_sources"
    )
    migration.rewrite_sources(apps, None)
    shipped = questionset.read()
    section = Section.objects.get(version_id=version.pk, key="forced_labor")
    question = Question.objects.get(version_id=version.pk, code="FL-CODE")
    assert section.sources == list(
        next(s for s in shipped.sections if s.key == "forced_labor").sources
    )
    assert question.source == next(q for q in shipped.questions() if q.code == "FL-CODE").source
    assert question.text == text_before
    event = AuditEvent.objects.get(action="tradecompliance.questionnaire_sources_correct")
    assert event.after == {"sections": ["forced_labor"], "questions": ["FL-CODE"]}
    # Nothing left to correct: a second run records nothing.
    migration.rewrite_sources(apps, None)
    assert (
        AuditEvent.objects.filter(action="tradecompliance.questionnaire_sources_correct").count()
        == 1
    )
