"""Issue 7: an over-long API token name is refused with a clear message, never cut."""

from __future__ import annotations

import pytest

from ctpat.accounts.models import ApiToken
from ctpat.accounts.services import TOKEN_NAME_MAX_LENGTH, api_token_create
from ctpat.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_token_name_over_the_limit_is_refused_not_cut(make_partner, make_user):
    partner = make_partner(name="Token Co", entity_type="importer")
    user = make_user("partner_officer", organization=partner.organization)
    with pytest.raises(DomainError) as exc:
        api_token_create(actor=user, name="t" * (TOKEN_NAME_MAX_LENGTH + 1))
    assert exc.value.code == "too_long"
    assert f"at most {TOKEN_NAME_MAX_LENGTH}" in exc.value.fields["name"][0]
    assert not ApiToken.objects.exists()
    token, _ = api_token_create(actor=user, name="t" * TOKEN_NAME_MAX_LENGTH)
    assert token.name == "t" * TOKEN_NAME_MAX_LENGTH
