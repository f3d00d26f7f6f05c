import pytest
from django.utils import timezone

from ctpat.accounts.authentication import HashedTokenAuthentication
from ctpat.accounts.models import ApiToken, hash_token
from ctpat.accounts.services import api_token_create, api_token_revoke, user_create
from ctpat.core.errors import ConflictError, DomainError, PermissionDeniedError
from ctpat.core.models import AuditEvent


def test_given_a_partner_org_when_a_cbp_role_is_given_then_refused(importer, cbp_admin):
    with pytest.raises(DomainError) as err:
        user_create(
            actor=cbp_admin,
            organization=importer.organization,
            username="x1",
            email="x1@example.test",
            role="scss",
            password="a-long-enough-pass-99",
        )
    assert err.value.code == "role_does_not_fit_organization"


def test_given_a_weak_password_then_refused_with_the_policy_message(importer, cbp_admin):
    with pytest.raises(DomainError) as err:
        user_create(
            actor=cbp_admin,
            organization=importer.organization,
            username="x2",
            email="x2@example.test",
            role="partner_officer",
            password="short",
        )
    assert err.value.code == "weak_password"
    assert "too short" in err.value.message


def test_given_a_duplicate_username_then_conflict(importer_officer, cbp_admin, importer):
    with pytest.raises(ConflictError):
        user_create(
            actor=cbp_admin,
            organization=importer.organization,
            username=importer_officer.username.upper(),
            email="d@example.test",
            role="partner_officer",
            password="a-long-enough-pass-99",
        )


def test_given_a_partner_user_when_creating_users_then_permission_denied(
    importer_officer, importer
):
    with pytest.raises(PermissionDeniedError):
        user_create(
            actor=importer_officer,
            organization=importer.organization,
            username="x3",
            email="x3@example.test",
            role="partner_compliance",
            password="a-long-enough-pass-99",
        )


def test_given_a_new_token_then_only_its_digest_is_stored(importer_officer):
    token, key = api_token_create(actor=importer_officer, name="ERP integration")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_digest == hash_token(key)
    assert key not in {stored.key_digest, stored.key_prefix, stored.name}
    assert AuditEvent.objects.filter(action="api_token.create", object_id=token.public_id)


def test_given_a_revoked_token_then_authentication_fails(importer_officer, rf):
    from rest_framework.exceptions import AuthenticationFailed

    token, key = api_token_create(actor=importer_officer, name="t")
    request = rf.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")
    user, _ = HashedTokenAuthentication().authenticate(request)
    assert user == importer_officer
    api_token_revoke(actor=importer_officer, token=token)
    with pytest.raises(AuthenticationFailed):
        HashedTokenAuthentication().authenticate(request)


def test_given_an_expired_token_then_authentication_fails(importer_officer, rf):
    from rest_framework.exceptions import AuthenticationFailed

    from ctpat.core.services import audit_record, service

    token, key = api_token_create(actor=importer_officer, name="t", days_valid=1)

    @service
    def expire(*, actor):
        token.expires_at = timezone.now() - timezone.timedelta(seconds=1)
        token.save(update_fields=["expires_at"])
        audit_record(actor=actor, action="test.expire", obj=token)

    expire(actor=None)
    with pytest.raises(AuthenticationFailed):
        HashedTokenAuthentication().authenticate(rf.get("/", HTTP_AUTHORIZATION=f"Token {key}"))


def test_given_a_cbp_user_without_2fa_when_creating_a_token_then_refused(cbp_org, make_user):
    user = make_user("nam", organization=cbp_org)
    with pytest.raises(PermissionDeniedError) as err:
        api_token_create(actor=user, name="t")
    assert err.value.code == "two_factor_required"


@pytest.mark.parametrize("days", [0, -1, 366], ids=["zero", "negative", "over-a-year"])
def test_given_token_validity_out_of_range_then_refused(importer_officer, days):
    with pytest.raises(DomainError):
        api_token_create(actor=importer_officer, name="t", days_valid=days)
