"""Domain errors with stable machine codes, shared by services, views and the API."""

from __future__ import annotations


class DomainError(Exception):
    """A request the program's rules refuse. ``code`` is stable; ``message`` is for people."""

    status_code = 400

    def __init__(self, message: str, *, code: str = "invalid", fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}


class PermissionDeniedError(DomainError):
    status_code = 403

    def __init__(self, message: str = "You do not have permission to do this.", **kw):
        kw.setdefault("code", "permission_denied")
        super().__init__(message, **kw)


class NotFoundError(DomainError):
    status_code = 404

    def __init__(self, message: str = "Not found.", **kw):
        kw.setdefault("code", "not_found")
        super().__init__(message, **kw)


class ConflictError(DomainError):
    status_code = 409

    def __init__(self, message: str, **kw):
        kw.setdefault("code", "conflict")
        super().__init__(message, **kw)


class UnauditedWriteError(RuntimeError):
    """Raised when code tries to write an audited model outside a service."""
