"""Context that travels with a write: who asked, from where, inside which service.

Services run inside ``service_scope``; audited models refuse to be saved outside one, so no
write can skip the audit trail (see ``ctpat.core.models.AuditedModel``).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field


@dataclass
class RequestInfo:
    source: str = "system"  # web | api | cli | system
    ip_address: str | None = None
    request_id: str = ""


@dataclass
class ServiceFrame:
    name: str
    events: list = field(default_factory=list)


_request_info: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "ctpat_request_info", default=None
)
_SYSTEM = RequestInfo()
_service_stack: contextvars.ContextVar[tuple[ServiceFrame, ...]] = contextvars.ContextVar(
    "ctpat_service_stack", default=()
)


def current_request_info() -> RequestInfo:
    return _request_info.get() or _SYSTEM


def set_request_info(info: RequestInfo) -> contextvars.Token:
    return _request_info.set(info)


def reset_request_info(token: contextvars.Token) -> None:
    _request_info.reset(token)


def current_service() -> ServiceFrame | None:
    stack = _service_stack.get()
    return stack[-1] if stack else None


def service_stack() -> tuple[ServiceFrame, ...]:
    return _service_stack.get()


def push_service(frame: ServiceFrame) -> contextvars.Token:
    return _service_stack.set(_service_stack.get() + (frame,))


def pop_service(token: contextvars.Token) -> None:
    _service_stack.reset(token)
