"""Web forms refuse CSRF-less posts and oversized bodies, and write nothing."""

import pytest
from django.test import Client

from ctpat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_post_without_csrf_token_is_refused_and_writes_nothing(importer_officer, importer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer_officer)
    before = AuditEvent.objects.count()
    response = client.post(f"/partners/{importer.public_id}/edit/", {"city": "Hijacked"})
    assert response.status_code == 403
    importer.refresh_from_db()
    assert importer.city != "Hijacked"
    assert AuditEvent.objects.count() == before


def test_an_oversized_form_post_gets_413(login, importer_officer, importer, settings):
    client = login(importer_officer)
    body = "x" * (settings.CTPAT_MAX_REQUEST_BYTES + 1)
    response = client.post(f"/partners/{importer.public_id}/edit/", {"city": body})
    assert response.status_code == 413
    importer.refresh_from_db()
    assert importer.city != body


# --- Bad input is a clear 4xx or a safe redirect, never a server error ----------------------

# ``next`` values Django's redirect() would try to reverse as a view name, or that leave the site.
BAD_NEXT = ["dashboardx", "partners:detail", "no-such-page", "https://evil.example/", "//evil"]


@pytest.mark.parametrize("next_value", BAD_NEXT)
def test_an_svi_action_with_an_unresolvable_next_redirects_to_the_svi_page(
    login, importer_officer, manufacturer_officer, importer, next_value
):
    from ctpat.partners import services
    from ctpat.partners.models import SVIConnection

    connection = services.svi_request(actor=manufacturer_officer, target=importer)
    response = login(importer_officer).post(
        f"/partners/svi/{connection.public_id}/accept/", {"next": next_value}
    )
    assert response.status_code == 302
    assert response["Location"] == "/partners/svi/"
    assert SVIConnection.objects.get(pk=connection.pk).status == "accepted"


@pytest.mark.parametrize("next_value", BAD_NEXT)
def test_a_notification_action_with_an_unresolvable_next_redirects_to_the_list(
    login, importer_officer, next_value
):
    from ctpat.notifications.services import notification_send

    (note,) = notification_send(
        actor=None, recipients=[importer_officer], kind="svi.request", title="Hello", email=False
    )
    client = login(importer_officer)
    response = client.post(f"/notifications/{note.public_id}/read/", {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    note.refresh_from_db()
    assert note.read_at is not None
    response = client.post("/notifications/read-all/", {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


def test_a_good_next_is_still_followed(login, importer_officer, manufacturer_officer, importer):
    from ctpat.partners import services

    connection = services.svi_request(actor=manufacturer_officer, target=importer)
    response = login(importer_officer).post(
        f"/partners/svi/{connection.public_id}/accept/", {"next": "/partners/?page=1"}
    )
    assert response["Location"] == "/partners/?page=1"


@pytest.mark.parametrize("next_value", BAD_NEXT)
def test_the_two_factor_page_with_an_unresolvable_next_goes_to_the_dashboard(
    login, scss, next_value
):
    client = login(scss)  # already verified: the page sends the user on at once
    response = client.get("/accounts/two-factor/verify/", {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_anl_overview_search_finds_by_company_name_and_account_number(login, scss):
    import datetime as dt

    from ctpat.annualnotices.tests.factories import make_member

    wanted, _ = make_member(accepted_on=dt.date(2024, 3, 1), name="Quokka Search Imports")
    make_member(accepted_on=dt.date(2024, 3, 1), name="Other Search Imports")
    client = login(scss)
    for query in ("quokka", wanted.account_number):
        response = client.get("/annual-notifications/", {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Quokka Search Imports" in html
        assert "Other Search Imports" not in html


@pytest.mark.parametrize("bad_date", ["2024-02-30", "2024-13-01", "2024-01-01 25:00:00"])
def test_publishing_a_questionnaire_with_an_impossible_date_is_a_form_error(
    login, cbp_admin, bad_date
):
    from ctpat.tradecompliance.models import QuestionnaireVersion

    before = QuestionnaireVersion.objects.count()
    document = f"format: ctpat-tc-questionnaire/1\nlabel: {bad_date}\nsections: []\n"
    for action in ("check", "publish"):
        response = login(cbp_admin).post(
            "/trade-compliance/questions/publish/", {"document": document, "action": action}
        )
        assert response.status_code == 400
        assert f"&#x27;{bad_date}&#x27; is not a real date" in response.content.decode()
    assert QuestionnaireVersion.objects.count() == before
