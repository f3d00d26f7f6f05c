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
