"""Every refusal in the web UI is a styled page with a way back; the API keeps JSON errors."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ctpat.core.models import AuditEvent

pytestmark = pytest.mark.django_db

EDIT_PAGE = "/partners/{}/edit/"


def _is_styled_refusal(response, *, status: int) -> str:
    """The response is our base.html page with a USWDS alert and a link home; its text."""
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="en">' in body and "usa-header" in body, "not the site's layout"
    assert 'href="/"' in body and "Go to the dashboard" in body
    return body


def test_an_oversized_web_post_is_a_styled_413_naming_both_sizes_and_the_way_back(
    login, importer_officer, importer, settings
):
    settings.CTPAT_MAX_REQUEST_BYTES = 1024 * 1024
    client = login(importer_officer)
    url = EDIT_PAGE.format(importer.public_id)
    before = AuditEvent.objects.count()
    response = client.post(
        url, {"city": "x" * (2 * 1024 * 1024)}, HTTP_REFERER=f"http://testserver{url}"
    )
    body = _is_styled_refusal(response, status=413)
    assert "usa-alert--error" in body
    assert "this page accepts at most 1 MiB" in body and "What you sent is 2 MiB" in body
    assert "nothing was saved" in body
    assert f'href="http://testserver{url}"' in body and "Go back to the previous page" in body
    # Headers the inner middleware would have set are there all the same.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert AuditEvent.objects.count() == before
    # The signed-in header, with the notifications bell, is there as on every other page.
    assert "Notifications, 0 unread" in body and "Sign out" in body


def test_a_foreign_referer_is_not_offered_as_the_way_back(login, importer_officer, importer):
    client = login(importer_officer)
    response = client.post(
        EDIT_PAGE.format(importer.public_id),
        {"city": "x" * (2 * 1024 * 1024)},
        HTTP_REFERER="https://evil.example/phish",
    )
    body = _is_styled_refusal(response, status=413)
    assert "evil.example" not in body and "Go back to the previous page" not in body


def test_an_oversized_api_body_stays_a_json_413(api_client, importer_officer):
    response = api_client(importer_officer).post(
        "/api/partners/", "x" * (2 * 1024 * 1024), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_form_text_over_djangos_memory_limit_is_a_styled_413(
    login, importer_officer, importer, settings
):
    # The body is under the request limit, but its form fields exceed
    # DATA_UPLOAD_MAX_MEMORY_SIZE: Django raises RequestDataTooBig while reading the form.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client = login(importer_officer)
    response = client.post(EDIT_PAGE.format(importer.public_id), {"city": "y" * 4096})
    body = _is_styled_refusal(response, status=413)
    assert "larger than the 2 KiB this site accepts in one form" in body
    importer.refresh_from_db()
    assert importer.city != "y" * 4096


def test_too_many_form_fields_is_a_styled_400_naming_the_limit(
    login, importer_officer, importer, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client = login(importer_officer)
    response = client.post(
        EDIT_PAGE.format(importer.public_id), {f"field{i}": "v" for i in range(20)}
    )
    body = _is_styled_refusal(response, status=400)
    assert "more than 5 fields" in body and "The form has too many fields" in body


def test_too_many_files_is_a_styled_400_naming_the_limit(
    login, importer_officer, importer, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    client = login(importer_officer)
    files = [SimpleUploadedFile(f"f{i}.txt", b"hello") for i in range(3)]
    response = client.post(EDIT_PAGE.format(importer.public_id), {"file": files})
    body = _is_styled_refusal(response, status=400)
    assert "more than 1 files" in body or "more than 1 file" in body
    assert "Too many files at once" in body


def test_an_unreadable_multipart_body_is_a_styled_400(login, importer_officer, importer):
    client = login(importer_officer)
    response = client.post(
        EDIT_PAGE.format(importer.public_id),
        data=b"--nothing--",
        content_type="multipart/form-data",  # no boundary: the parser cannot read it
    )
    body = _is_styled_refusal(response, status=400)
    assert "The upload could not be read" in body


def test_a_failed_csrf_check_is_a_styled_403_with_advice(importer_officer, importer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer_officer)
    url = EDIT_PAGE.format(importer.public_id)
    response = client.post(url, {"city": "Hijacked"}, HTTP_REFERER=f"http://testserver{url}")
    body = _is_styled_refusal(response, status=403)
    assert "Your form could not be sent" in body and "reload the page" in body
    assert "Go back to the previous page" in body


@pytest.mark.parametrize(
    ("status", "heading"),
    [(404, "Page not found"), (403, "You do not have access to this page")],
    ids=["not found", "forbidden"],
)
def test_404_and_403_are_styled_pages(status, heading, login, importer_officer, cbp_admin):
    client = login(importer_officer)
    url = "/no-such-page/" if status == 404 else "/audit/"
    response = client.get(url)
    body = _is_styled_refusal(response, status=status)
    assert heading in body


def test_the_generic_400_page_is_styled(rf):
    from ctpat.core.views import error_400

    request = rf.get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = error_400(request, exception=ValueError("bad"))
    body = _is_styled_refusal(response, status=400)
    assert "Bad request" in body


def test_the_500_page_is_styled_without_a_request():
    from ctpat.core.views import error_500

    response = error_500(None)
    body = _is_styled_refusal(response, status=500)
    assert "Something went wrong" in body


def test_an_api_path_reaching_the_400_handler_gets_json(rf):
    from ctpat.core.views import error_400

    response = error_400(rf.post("/api/partners/"), exception=ValueError("bad"))
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["code"] == "bad_request"


def test_a_refusal_to_an_htmx_request_is_marked_for_swapping_into_the_page(
    login, importer_officer, importer
):
    client = login(importer_officer)
    response = client.post(
        EDIT_PAGE.format(importer.public_id),
        {"city": "x" * (2 * 1024 * 1024)},
        HTTP_HX_REQUEST="true",
    )
    _is_styled_refusal(response, status=413)
    assert response["X-Ctpat-Refusal"] == "1"
    assert response["HX-Retarget"] == response["HX-Reselect"] == "#main-content"
    assert response["HX-Reswap"] == "outerHTML"
