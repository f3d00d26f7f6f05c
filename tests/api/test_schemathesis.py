"""API contract tests generated from our own OpenAPI schema (schemathesis).

Every operation is called with generated valid and invalid requests, as a partner company
officer and as a CBP program admin (token authentication), in-process through the WSGI
application, against a database holding partners, identifiers and SVI connections whose
public ids the generated requests reuse. No operation may answer 5xx, and every answer must
match the schema (status code, content type, body).
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ctpat.core.api.views import PUBLIC_ID_REGEX

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# An oversized body is refused before it is read (413, CTPAT_MAX_REQUEST_BYTES, documented in the
# schema): that is a rejection of invalid data too.
schema.config.checks.negative_data_rejection.expected_statuses.append("413")

# Public ids of the objects in ``api_world``, by the collection they are found in; generated
# path parameters and body references draw from these, so lookups hit real objects.
KNOWN: dict[str, list[str]] = {}

# Examples per operation and role; raise it for a deeper run (e.g. CTPAT_API_FUZZ_EXAMPLES=200).
MAX_EXAMPLES = int(os.environ.get("CTPAT_API_FUZZ_EXAMPLES", "20"))

# Domain rules (identifier formats, the membership state machine, SVI eligibility) cannot all
# be written in a schema, so schema-valid data may rightly be refused with a 4xx.
EXCLUDED_CHECKS = [positive_data_acceptance]


def _collection(path: str) -> str:
    return path.strip("/").split("/")[1]  # "/api/partners/{public_id}/..." -> "partners"


def _could_be_public_id(value) -> bool:
    # Swap only values that already fit the schema: a deliberately invalid (negative) value
    # must stay invalid, or the negative-data check would expect a refusal that cannot come.
    return isinstance(value, str) and re.fullmatch(PUBLIC_ID_REGEX, value) is not None


def _maybe_known(mapping: dict, key: str, collection: str):
    known = KNOWN.get(collection, [])
    if not known or not _could_be_public_id(mapping.get(key)):
        return st.just(mapping)
    return st.sampled_from([*known, mapping[key]]).map(lambda value: {**mapping, key: value})


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not isinstance(path_parameters, dict) or "public_id" not in path_parameters:
        return st.just(path_parameters)
    return _maybe_known(path_parameters, "public_id", _collection(context.operation.path))


# Request bodies that refer to a partner by public id.
PARTNER_REFERENCES = {"/api/identifiers/": "partner", "/api/svi-connections/": "target"}


@schema.hook
def flatmap_body(context, body):
    key = PARTNER_REFERENCES.get(context.operation.path)
    if key is None or not isinstance(body, dict) or key not in body:
        return st.just(body)
    return _maybe_known(body, key, "partners")


@pytest.fixture
def in_process_requests():
    """Let in-process requests share the test's transaction.

    The WSGI handler closes "old" connections when a request starts and finishes; inside the
    test's transaction that would close the connection on PostgreSQL. Django's test client
    disconnects the same receiver around each request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db, make_partner, make_user, cbp_admin):
    """Three certified partners, one pending and one accepted SVI link, users with tokens."""
    from ctpat.accounts.services import api_token_create, totp_device_create_confirmed
    from ctpat.core.models import AuditEvent
    from ctpat.partners import services

    acme = make_partner(
        name="Acme Contract Imports", entity_type="importer", country="US", status="certified"
    )
    widgets = make_partner(
        name="Contract Widget Works",
        entity_type="foreign_manufacturer",
        country="MX",
        status="certified",
    )
    carrier = make_partner(
        name="Contract Carrier Lines", entity_type="sea_carrier", country="MX", status="validated"
    )
    applicant = make_partner(
        name="Contract Applicant Co", entity_type="exporter", country="US", status="applicant"
    )
    acme_officer = make_user("partner_officer", organization=acme.organization)
    widgets_officer = make_user("partner_officer", organization=widgets.organization)
    accepted = services.svi_request(actor=acme_officer, target=widgets)
    services.svi_accept(actor=widgets_officer, connection=accepted)
    pending = services.svi_request(actor=widgets_officer, target=carrier)
    services.partner_update_svi_settings(
        actor=widgets_officer, partner=widgets, auto_accept=False, share_more=True
    )

    # A security profile, so the evidence endpoints (multipart uploads) meet a real record.
    from ctpat.profiles.services import profile_start

    acme_profile = profile_start(actor=acme_officer, partner=acme)

    totp_device_create_confirmed(actor=None, user=cbp_admin)
    keys = {
        "partner_officer": api_token_create(actor=acme_officer, name="contract")[1],
        "cbp_admin": api_token_create(actor=cbp_admin, name="contract")[1],
    }
    KNOWN.clear()
    KNOWN.update(
        {
            "partners": [p.public_id for p in (acme, widgets, carrier, applicant)],
            "identifiers": [i.public_id for p in (acme, widgets) for i in p.identifiers.all()],
            "svi-connections": [accepted.public_id, pending.public_id],
            "security-profiles": [acme_profile.public_id],
            "audit-events": list(
                AuditEvent.objects.filter(organization=acme.organization).values_list(
                    "public_id", flat=True
                )[:5]
            ),
        }
    )
    yield keys
    KNOWN.clear()


@pytest.fixture(params=["partner_officer", "cbp_admin"])
def auth_headers(request, api_world, in_process_requests):
    return {"Authorization": f"Token {api_world[request.param]}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    # CI replays the same examples every run (a red build is then the code's doing, not the
    # draw's); a developer's run draws new ones and so keeps finding new cases.
    derandomize=os.environ.get("CI", "").lower() == "true",
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_schema_and_never_answers_5xx(case, auth_headers):
    case.call_and_validate(headers=auth_headers, excluded_checks=EXCLUDED_CHECKS)
