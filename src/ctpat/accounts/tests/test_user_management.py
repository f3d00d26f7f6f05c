"""CBP program admins revoke a user's API tokens and deactivate users, in the product's pages,
through audited services; tokens and sessions stop at once. SSN-based IOR numbers stay masked
in the Django admin too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctpat.accounts import services
from ctpat.accounts.models import ApiToken
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _api_key(user) -> str:
    _, key = services.api_token_create(actor=user, name="integration")
    return key


def _api_status(client_factory, key: str) -> int:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.get("/api/partners/").status_code


# --- Services ---------------------------------------------------------------------------------


def test_a_cbp_admin_revokes_every_token_of_a_partner_user_at_once(cbp_admin, importer_officer):
    keys = [_api_key(importer_officer), _api_key(importer_officer)]
    assert all(_api_status(None, k) == 200 for k in keys)

    revoked = services.user_api_tokens_revoke(
        actor=cbp_admin, user=importer_officer, reason="Key posted in a public repository"
    )

    assert len(revoked) == 2
    assert all(_api_status(None, k) == 401 for k in keys)
    event = AuditEvent.objects.get(action="user.api_tokens_revoke")
    assert event.object_id == importer_officer.public_id
    assert event.reason == "Key posted in a public repository"
    assert sorted(event.after["revoked_tokens"]) == sorted(revoked)


def test_deactivating_a_user_stops_their_tokens_and_session_at_once(
    login, cbp_admin, importer_officer
):
    key = _api_key(importer_officer)
    session = login(importer_officer)
    assert session.get(reverse("partners:list")).status_code == 200

    services.user_deactivate(actor=cbp_admin, user=importer_officer, reason="Left the company")

    assert _api_status(None, key) == 401
    response = session.get(reverse("partners:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ApiToken.objects.filter(user=importer_officer, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert event.reason == "Left the company"


def test_a_reactivated_user_signs_in_again_but_old_tokens_stay_revoked(
    login, cbp_admin, importer_officer
):
    key = _api_key(importer_officer)
    services.user_deactivate(actor=cbp_admin, user=importer_officer, reason="Left")
    services.user_reactivate(actor=cbp_admin, user=importer_officer, reason="Came back")
    importer_officer.refresh_from_db()
    assert importer_officer.is_active
    assert _api_status(None, key) == 401
    assert login(importer_officer).get(reverse("partners:list")).status_code == 200


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer"])
def test_other_cbp_roles_cannot_revoke_or_deactivate(make_user, cbp_org, importer_officer, role):
    actor = make_user(role, organization=cbp_org)
    with pytest.raises(PermissionDeniedError):
        services.user_api_tokens_revoke(actor=actor, user=importer_officer, reason="x")
    with pytest.raises(PermissionDeniedError):
        services.user_deactivate(actor=actor, user=importer_officer, reason="x")


def test_partner_officers_cannot_deactivate_their_colleagues(make_user, importer, importer_officer):
    colleague = make_user("partner_compliance", organization=importer.organization)
    with pytest.raises(PermissionDeniedError):
        services.user_deactivate(actor=importer_officer, user=colleague, reason="x")


def test_a_reason_is_required_and_self_deactivation_refused(cbp_admin, importer_officer):
    with pytest.raises(DomainError) as exc:
        services.user_deactivate(actor=cbp_admin, user=importer_officer, reason="  ")
    assert exc.value.code == "reason_required"
    with pytest.raises(DomainError) as exc:
        services.user_deactivate(actor=cbp_admin, user=cbp_admin, reason="Testing")
    assert exc.value.code == "cannot_deactivate_self"
    services.user_deactivate(actor=cbp_admin, user=importer_officer, reason="Left")
    with pytest.raises(ConflictError):
        services.user_deactivate(actor=cbp_admin, user=importer_officer, reason="Again")


# --- Pages ------------------------------------------------------------------------------------


def test_a_cbp_admin_finds_a_user_and_deactivates_them_in_the_pages(
    login, cbp_admin, importer_officer
):
    key = _api_key(importer_officer)
    client = login(cbp_admin)
    listing = client.get(reverse("accounts:users"), {"q": importer_officer.username})
    assert importer_officer.username in listing.content.decode()
    detail = reverse("accounts:user_detail", kwargs={"user_id": importer_officer.public_id})
    page = client.get(detail).content.decode()
    assert "integration" in page  # the token's name, never its key
    assert key not in page

    refused = client.post(
        reverse("accounts:user_deactivate", kwargs={"user_id": importer_officer.public_id}),
        {"active-reason": ""},
    )
    assert refused.status_code == 400
    assert "Give the reason" in refused.content.decode()
    importer_officer.refresh_from_db()
    assert importer_officer.is_active

    done = client.post(
        reverse("accounts:user_deactivate", kwargs={"user_id": importer_officer.public_id}),
        {"active-reason": "Left the company"},
        follow=True,
    )
    assert done.status_code == 200
    assert "is deactivated" in done.content.decode()
    assert _api_status(None, key) == 401


def test_a_cbp_admin_revokes_tokens_in_the_pages(login, cbp_admin, importer_officer):
    key = _api_key(importer_officer)
    response = login(cbp_admin).post(
        reverse("accounts:user_tokens_revoke", kwargs={"user_id": importer_officer.public_id}),
        {"revoke-reason": "Leaked key"},
        follow=True,
    )
    assert "Revoked 1 API token of" in response.content.decode()
    assert _api_status(None, key) == 401


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer", "partner_officer"])
def test_only_cbp_admins_reach_the_user_pages(login, make_user, cbp_org, importer, role):
    org = importer.organization if role == "partner_officer" else cbp_org
    user = make_user(role, organization=org)
    target = make_user("partner_compliance", organization=importer.organization)
    client = login(user)
    assert client.get(reverse("accounts:users")).status_code == 403
    url = reverse("accounts:user_deactivate", kwargs={"user_id": target.public_id})
    assert client.post(url, {"active-reason": "x"}).status_code == 403
    target.refresh_from_db()
    assert target.is_active


# --- Django admin -----------------------------------------------------------------------------


def test_the_django_admin_masks_ssn_based_ior_numbers(login, cbp_admin, scss, importer):
    from ctpat.partners.services import identifier_add

    identifier = identifier_add(actor=scss, partner=importer, kind="ior", value="123-45-6789")
    client = login(cbp_admin)
    pages = [
        "/admin/partners/partneridentifier/",
        f"/admin/partners/partneridentifier/{identifier.pk}/change/",
        f"/admin/partners/partner/{importer.pk}/change/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert "***-**-6789" in html, page
        assert "123-45-6789" not in html and "123456789" not in html, page


# --- API --------------------------------------------------------------------------------------


def test_a_cbp_admin_revokes_tokens_and_deactivates_through_the_api(
    api_client, cbp_admin, importer_officer
):
    key = _api_key(importer_officer)
    api = api_client(cbp_admin)
    base = f"/api/users/{importer_officer.public_id}"
    assert api.get(f"{base}/").json()["active_api_tokens"] == 1

    response = api.post(f"{base}/revoke-tokens/", {"reason": "Leaked key"}, format="json")
    assert response.status_code == 200
    assert len(response.json()["revoked_tokens"]) == 1
    assert _api_status(None, key) == 401

    refused = api.post(f"{base}/deactivate/", {}, format="json")
    assert refused.status_code == 400
    response = api.post(f"{base}/deactivate/", {"reason": "Left the company"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    again = api.post(f"{base}/deactivate/", {"reason": "Again"}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize("role", ["scss", "nam", "fld_reviewer"])
def test_other_cbp_roles_get_403_from_the_users_api(
    api_client, make_user, cbp_org, importer_officer, role
):
    api = api_client(make_user(role, organization=cbp_org))
    assert api.get("/api/users/").status_code == 403
    response = api.post(
        f"/api/users/{importer_officer.public_id}/deactivate/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    importer_officer.refresh_from_db()
    assert importer_officer.is_active


def test_a_partner_officer_gets_403_from_the_users_api(api_client, importer_officer, make_user):
    colleague = make_user("partner_compliance", organization=importer_officer.organization)
    api = api_client(importer_officer)
    assert api.get("/api/users/").status_code == 403
    response = api.post(
        f"/api/users/{colleague.public_id}/revoke-tokens/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
