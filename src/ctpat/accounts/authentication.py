"""API token authentication against hashed tokens (``Authorization: Token <key>``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_token

LAST_USED_RESOLUTION = timedelta(minutes=5)


class HashedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Invalid token header: use 'Authorization: Token <key>'."
            )
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = (
            ApiToken.objects.select_related("user", "user__organization")
            .filter(key_digest=hash_token(key))
            .first()
        )
        if token is None or not token.is_usable:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            # Bookkeeping, not a change of record: deliberately not an audited service write.
            models.QuerySet.update(ApiToken.objects.filter(pk=token.pk), last_used_at=now)
        return (user, token)

    def authenticate_header(self, request):
        return self.keyword
