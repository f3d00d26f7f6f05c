"""API token authentication against hashed tokens: ``Authorization: Token <key>`` or the
standard ``Authorization: Bearer <key>`` (RFC 6750), the same key either way."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_token

LAST_USED_RESOLUTION = timedelta(minutes=5)


class HashedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"
    # Scheme names are case-insensitive (RFC 9110 section 11.1).
    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header is malformed. Send 'Authorization: Token <key>' or "
                "'Authorization: Bearer <key>'."
            )
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(
                "The API token contains characters that no token has."
            ) from exc
        token = (
            ApiToken.objects.select_related("user", "user__organization")
            .filter(key_digest=hash_token(key))
            .first()
        )
        if token is None or not token.is_usable:
            raise exceptions.AuthenticationFailed(
                "The API token is not valid: it is unknown, expired or revoked."
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(
                "The account this API token belongs to is inactive."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            # Bookkeeping, not a change of record: deliberately not an audited service write.
            models.QuerySet.update(ApiToken.objects.filter(pk=token.pk), last_used_at=now)
        return (user, token)

    def authenticate_header(self, request):
        return self.keyword
