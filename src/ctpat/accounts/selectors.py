"""Reads of users for the people who manage them (CBP program admins)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ctpat.core.errors import NotFoundError

from . import roles
from .models import ApiToken, User


def user_list(*, viewer, query: str = "") -> QuerySet[User]:
    """Every user for a CBP program admin (``user.manage``); nobody else manages users."""
    if not roles.has_perm(viewer, "user.manage"):
        return User.objects.none()
    users = User.objects.select_related("organization").order_by("organization__name", "username")
    query = (query or "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(organization__name__icontains=query)
            | Q(public_id__iexact=query)
        )
    return users


def user_get(*, viewer, public_id: str) -> User:
    user = user_list(viewer=viewer).filter(public_id=public_id).first()
    if user is None:
        raise NotFoundError("No such user.")
    return user


def user_tokens(*, viewer, user: User) -> QuerySet[ApiToken]:
    """A managed user's tokens (name, prefix, dates; never the key)."""
    if not roles.has_perm(viewer, "user.manage"):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at")
