"""The write path: ``@service`` functions and the audit event each one records.

Every write in ctpat is a function decorated with ``@service``. It runs in one database
transaction, must receive a keyword-only ``actor`` (a user, or ``None`` for the system), and
must call ``audit_record`` at least once; otherwise the transaction is rolled back. Side effects
(e-mail, tasks) are queued with ``transaction.on_commit``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from .context import (
    ServiceFrame,
    current_request_info,
    current_service,
    pop_service,
    push_service,
    service_stack,
)
from .models import AuditEvent

F = TypeVar("F", bound=Callable[..., Any])


class MissingAuditEventError(RuntimeError):
    pass


def service(func: F) -> F:
    """Run ``func`` as an audited service: one transaction, at least one audit event."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "actor" not in kwargs:
            raise TypeError(f"{func.__qualname__} needs a keyword-only actor=")
        frame = ServiceFrame(name=f"{func.__module__}.{func.__qualname__}")
        with transaction.atomic():
            token = push_service(frame)
            try:
                result = func(*args, **kwargs)
                if not frame.events:
                    raise MissingAuditEventError(
                        f"{frame.name} wrote no audit event; every service must record one."
                    )
            finally:
                pop_service(token)
        return result

    wrapper.is_service = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return getattr(value, "public_id", None) or str(value.pk)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model | None, fields: list[str] | tuple[str, ...]) -> dict | None:
    """A JSON-safe copy of ``fields`` of ``obj`` for the before/after of an audit event."""
    if obj is None:
        return None
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            related = getattr(obj, name)
            data[name] = _jsonable(related) if related is not None else None
        else:
            data[name] = _jsonable(getattr(obj, name))
    return data


def _actor_label(user) -> str:
    """The actor's name at the time, stored with the event so the log never looks it up:
    "Full Name (username)", the user name alone when no name is set, "system" for no user."""
    if user is None:
        return "system"
    username = user.get_username()
    full_name = (user.get_full_name() or "").strip()
    label = f"{full_name} ({username})" if full_name and full_name != username else username
    return label[:200]


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model,
    organization=None,
    counterparty=None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one audit event inside the running service's transaction."""
    frame = current_service()
    if frame is None:
        raise MissingAuditEventError("audit_record must be called inside a @service function.")
    info = current_request_info()
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=actor_user,
        actor_label=_actor_label(actor_user),
        actor_organization=getattr(actor_user, "organization", None),
        organization=organization,
        counterparty=counterparty,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=getattr(obj, "public_id", None) or str(obj.pk),
        object_repr=str(obj)[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason or "",
        service=frame.name[:255],
        source=info.source,
        ip_address=info.ip_address,
        request_id=info.request_id,
    )
    # Verify the payload is JSON-serialisable now, not at commit time.
    json.dumps([event.before, event.after])
    event.save()
    # An outer service that delegates to inner ones has recorded their events too.
    for running in service_stack():
        running.events.append(event)
    return event


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
