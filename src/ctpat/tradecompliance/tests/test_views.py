"""Trade Compliance pages: the public question set, the readiness check, publishing versions."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.urls import reverse
from django.utils.html import escape

from ctpat.core.models import AuditEvent
from ctpat.testing import make_partner
from ctpat.tradecompliance import questionset, selectors, services
from ctpat.tradecompliance.models import QuestionnaireVersion, ReadinessAnswers

pytestmark = pytest.mark.django_db

PREVIEW = reverse("tradecompliance:preview")
READINESS = reverse("tradecompliance:readiness")
PUBLISH = reverse("tradecompliance:publish")


def readiness_url(partner) -> str:
    return reverse("tradecompliance:readiness_partner", kwargs={"partner_id": partner.public_id})


def answers_url(partner) -> str:
    return reverse("tradecompliance:readiness_answers", kwargs={"partner_id": partner.public_id})


def profile_url(partner) -> str:
    return reverse("tradecompliance:readiness_profile", kwargs={"partner_id": partner.public_id})


def all_answers(codes, value="yes") -> dict:
    return {f"q_{code}": value for code in codes}


def publish_version_2(cbp_admin) -> QuestionnaireVersion:
    document = questionset.as_document(questionset.read())
    document["label"] = "2026-01: forced-labor validation questions"
    document["sections"][2]["questions"].append(
        {
            "code": "FL-AUDITS",
            "text": "Describe the unannounced third-party social-compliance audits of suppliers.",
            "answer": "text",
            "source": "CBP Virtual Trade Week FAQ",
            "confidence": "I",
            "msc": ["3.9"],
        }
    )
    return services.questionnaire_version_publish(
        actor=cbp_admin, question_set=questionset.parse(document)
    )


# --- The public question set ---------------------------------------------------------------------


def test_anyone_can_read_every_question_and_the_guidance_without_logging_in(client, current):
    response = client.get(PREVIEW)

    assert response.status_code == 200
    html = response.content.decode()
    questions = list(current.questions.all())
    assert len(questions) == 35
    for question in questions:
        assert escape(question.text) in html, question.code
        assert question.code in html
    for section in current.sections.all():
        assert escape(section.title) in html
        first_sentence = section.guidance.split(".")[0]
        assert escape(first_sentence) in html, section.key
    assert "Handbook guidance" in html
    assert "Also asked in CTPAT Security as Minimum Security Criteria 3.9" in html
    assert html.count("<h1") == 1


def test_the_question_page_has_a_version_selector_print_button_and_download(client, current):
    html = client.get(PREVIEW).content.decode()

    assert 'name="version"' in html and f'value="{current.public_id}" selected' in html
    assert "data-tc-print" in html
    assert "tradecompliance/tradecompliance.css" in html
    assert (
        f"{reverse('tradecompliance:preview_version', args=[current.public_id])}?format=yaml"
        in (html)
    )
    assert "Current version" in html


def test_the_page_carries_no_inline_script_or_style(client, current):
    html = client.get(PREVIEW).content.decode()

    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_older_versions_stay_readable_and_say_which_version_is_current(client, current, cbp_admin):
    newer = publish_version_2(cbp_admin)

    old = client.get(reverse("tradecompliance:preview_version", args=[current.public_id]))
    new = client.get(PREVIEW)

    assert old.status_code == 200 and new.status_code == 200
    assert "Older version" in old.content.decode()
    assert "FL-AUDITS" not in old.content.decode()
    assert new.context["version"] == newer
    assert "New in this version" in new.content.decode()
    assert "1 new question" in new.content.decode()


def test_choosing_a_version_in_the_selector_goes_to_its_page(client, current):
    response = client.get(PREVIEW, {"version": current.public_id})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "tradecompliance:preview_version", args=[current.public_id]
    )


@pytest.mark.parametrize("version_id", ["TCQV-0000000000", "MSCV-ABC", "bad\x00id"])
def test_an_unknown_version_is_not_found(client, current, version_id):
    assert client.get(PREVIEW, {"version": version_id}).status_code == 404
    assert client.get(f"/trade-compliance/questions/{version_id}/").status_code == 404


def test_the_question_set_downloads_as_yaml_in_the_publishable_format(client, current):
    url = reverse("tradecompliance:preview_version", args=[current.public_id])

    response = client.get(url, {"format": "yaml"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert "ctpat-tc-questions-v1.yaml" in response["Content-Disposition"]
    assert questionset.loads(response.content.decode()) == questionset.read()


def test_the_question_page_does_not_accept_posts(client, current):
    assert client.post(PREVIEW).status_code == 405


# --- Readiness -----------------------------------------------------------------------------------


def test_readiness_needs_a_log_in(client):
    response = client.get(READINESS)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_partner_user_sees_what_their_company_is_missing(
    login, validated_importer, validated_compliance, current
):
    response = login(validated_compliance).get(READINESS)

    assert response.status_code == 200
    assert response.context["partner"] == validated_importer
    html = response.content.decode()
    assert "Not ready to apply yet" in html
    for code in (
        "import_history_not_declared",
        "cbp_debt_not_declared",
        "eligibility_questions_unanswered",
    ):
        assert f'data-reason="{code}"' in html
    assert "What to do:" in html
    assert "self-declared" in html
    # The compliance user answers the questions; only the officer changes the facts.
    assert 'name="q_ELIG-01"' in html
    assert 'name="has_cbp_debt"' not in html


def test_a_ready_company_is_told_it_may_apply(
    login, validated_importer, validated_officer, make_ready
):
    make_ready(validated_importer, validated_officer)

    html = login(validated_officer).get(READINESS).content.decode()

    assert "Ready to apply" in html
    assert "data-reason=" not in html


def test_the_page_says_when_the_program_opens(
    login, validated_importer, validated_officer, make_ready, settings
):
    make_ready(validated_importer, validated_officer)
    settings.CTPAT_TC_PROGRAM_OPENS_ON = dt.date(2999, 1, 1)

    html = login(validated_officer).get(READINESS).content.decode()

    assert 'data-reason="program_not_open"' in html
    assert "apply from 2999-01-01" in html


def test_an_exporter_is_told_it_is_not_eligible_and_is_offered_no_forms(login, make_user):
    exporter = make_partner(
        name="Maple Exports", entity_type="exporter", country="US", status="validated"
    )
    officer = make_user("partner_officer", organization=exporter.organization)

    html = login(officer).get(READINESS).content.decode()

    assert "Not eligible for Trade Compliance" in html
    assert "only for U.S. and non-resident Canadian importers" in html
    assert "<form" not in html.split('id="tc-readiness"')[1]


def test_partner_users_reach_their_own_company_by_its_id(
    login, validated_importer, validated_officer
):
    response = login(validated_officer).get(readiness_url(validated_importer))

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["partner_officer", "partner_compliance"])
def test_another_company_s_users_get_404_even_with_an_svi_connection(
    login, make_user, validated_importer, validated_officer, role
):
    from ctpat.partners import services as partner_services

    other = make_partner(
        name="Connected Co", entity_type="importer", country="US", status="certified"
    )
    other_officer = make_user("partner_officer", organization=other.organization)
    connection = partner_services.svi_request(actor=other_officer, target=validated_importer)
    partner_services.svi_accept(actor=validated_officer, connection=connection)
    outsider = make_user(role, organization=other.organization)
    client = login(outsider)

    assert client.get(readiness_url(validated_importer)).status_code == 404
    assert client.post(answers_url(validated_importer), {}).status_code == 404
    assert client.post(profile_url(validated_importer), {}).status_code == 404


@pytest.mark.parametrize("role", ["auditor", "mra_reviewer"])
def test_auditors_and_mra_reviewers_have_no_readiness_page(
    login, make_user, validated_importer, role
):
    client = login(make_user(role))

    assert client.get(READINESS).status_code == 403
    assert client.get(readiness_url(validated_importer)).status_code == 404


@pytest.mark.parametrize("role", ["cbp_admin", "scss", "nam", "fld_reviewer"])
def test_cbp_staff_see_any_partner_s_readiness(login, cbp_org, make_user, validated_importer, role):
    client = login(make_user(role, organization=cbp_org))

    listing = client.get(READINESS)
    detail = client.get(readiness_url(validated_importer))

    assert listing.status_code == 200
    assert validated_importer.name in listing.content.decode()
    assert detail.status_code == 200
    assert detail.context["partner"] == validated_importer
    # CBP reads the answers; it never gives them.
    assert 'name="q_ELIG-01"' not in detail.content.decode()


def test_saving_answers_with_htmx_returns_the_refreshed_panel(
    login, validated_importer, validated_compliance, eligibility_codes
):
    data = all_answers(eligibility_codes)
    data["q_ELIG-04"] = "no"
    data["q_ELIG-05"] = ""
    data["version"] = selectors.questionnaire_current().public_id

    response = login(validated_compliance).post(
        answers_url(validated_importer), data, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates][
        0
    ] == "tradecompliance/partials/readiness_panel.html"
    html = response.content.decode()
    assert "Your answers are saved." in html
    assert 'data-reason="eligibility_answer_no"' in html
    assert "Question 4: Does the company have a valid continuous importation bond?" in html
    stored = ReadinessAnswers.objects.get(partner=validated_importer).answers
    assert stored["ELIG-04"] is False and "ELIG-05" not in stored and len(stored) == 12


def test_saving_answers_without_javascript_redirects_back(
    login, validated_importer, validated_compliance, eligibility_codes, current
):
    data = {**all_answers(eligibility_codes), "version": current.public_id}

    response = login(validated_compliance).post(answers_url(validated_importer), data)

    assert response.status_code == 302 and response["Location"] == READINESS


def test_answers_to_questions_that_changed_meanwhile_are_not_saved(
    login, validated_importer, validated_compliance, eligibility_codes, current, cbp_admin
):
    page_version = current.public_id
    publish_version_2(cbp_admin)
    data = {**all_answers(eligibility_codes), "version": page_version}

    response = login(validated_compliance).post(answers_url(validated_importer), data)

    assert response.status_code == 400
    assert "CBP has published new questions" in response.content.decode()
    assert not ReadinessAnswers.objects.exists()


def test_cbp_cannot_answer_for_a_company(
    login, scss, validated_importer, eligibility_codes, current
):
    data = {**all_answers(eligibility_codes), "version": current.public_id}

    assert login(scss).post(answers_url(validated_importer), data).status_code == 403
    assert not ReadinessAnswers.objects.exists()


def test_the_officer_declares_the_facts(login, validated_importer, validated_officer):
    response = login(validated_officer).post(
        profile_url(validated_importer),
        {"import_history_start": "2015-09-01", "has_cbp_debt": "no"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "The company&#x27;s facts are saved." in response.content.decode()
    profile = selectors.profile_for(validated_importer)
    assert profile.import_history_start == dt.date(2015, 9, 1)
    assert profile.has_cbp_debt is False
    assert not profile.is_non_resident_canadian


def test_a_future_first_import_is_shown_as_a_field_error(
    login, validated_importer, validated_officer
):
    response = login(validated_officer).post(
        profile_url(validated_importer),
        {"import_history_start": "2999-01-01", "has_cbp_debt": "no"},
    )

    assert response.status_code == 400
    assert "The first import cannot be in the future." in response.content.decode()
    assert selectors.profile_for(validated_importer) is None


def test_a_compliance_user_cannot_change_the_facts(login, validated_importer, validated_compliance):
    response = login(validated_compliance).post(
        profile_url(validated_importer), {"has_cbp_debt": "no"}
    )

    assert response.status_code == 403


def test_cbp_records_the_facts_with_a_note(login, scss, validated_importer):
    response = login(scss).post(
        profile_url(validated_importer),
        {"has_cbp_debt": "yes", "reason": "Unpaid bill in ACE."},
    )

    assert response.status_code == 302
    assert response["Location"] == readiness_url(validated_importer)
    event = AuditEvent.objects.get(action="tradecompliance.profile_update")
    assert event.actor == scss and event.reason == "Unpaid bill in ACE."


# --- Publishing a version ------------------------------------------------------------------------


def test_a_cbp_admin_checks_then_publishes_a_new_version(login, cbp_admin, current):
    client = login(cbp_admin)
    document = questionset.as_document(questionset.read())
    document["label"] = "2026-03: one more question"
    document["sections"][3]["questions"].append(
        {
            "code": "MOU-CONTACT",
            "text": "Name the company's Trade Compliance contact.",
            "answer": "text",
            "source": "test",
            "confidence": "K",
        }
    )
    text = questionset.dump(questionset.parse(document))

    checked = client.post(PUBLISH, {"document": text, "action": "check"})
    assert checked.status_code == 200
    assert "It would be published as version 2" in checked.content.decode()
    assert QuestionnaireVersion.objects.count() == 1

    published = client.post(PUBLISH, {"document": text, "action": "publish"})
    version = selectors.questionnaire_current()
    assert version.number == 2
    assert published.status_code == 302
    assert published["Location"] == reverse(
        "tradecompliance:preview_version", args=[version.public_id]
    )


def test_a_bad_question_set_is_refused_with_its_problems(login, cbp_admin, current):
    document = questionset.as_document(questionset.read())
    document["sections"][2]["questions"][0]["msc"] = ["8.1"]

    response = login(cbp_admin).post(
        PUBLISH, {"document": yaml.safe_dump(document), "action": "publish"}
    )

    assert response.status_code == 400
    assert "MSC 8.1 is in category 8" in response.content.decode()
    assert QuestionnaireVersion.objects.count() == 1


@pytest.mark.parametrize("role", ["scss", "nam"])
def test_other_cbp_roles_cannot_publish(login, cbp_org, make_user, role):
    assert login(make_user(role, organization=cbp_org)).get(PUBLISH).status_code == 403


def test_partners_cannot_publish(login, importer_officer):
    assert login(importer_officer).get(PUBLISH).status_code == 403
