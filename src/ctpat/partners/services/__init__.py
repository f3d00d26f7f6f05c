"""Writes for the partner registry. Each is one transaction with one audit event or more.

One module per subject (``registry``, ``svi``, ``invitations``); this package re-exports every
name, private helpers included, so ``services.X`` and ``from ...services import X`` keep
working for callers.
"""

from __future__ import annotations

from ._shared import (
    COMPANY_NAME_MAX,
    IDENTIFIER_NOTE_MAX,
    INVITATION_MESSAGE_MAX,
    SVI_TEXT_MAX,
    _label,
    _user,
)
from .invitations import (
    _invitation_link,
    _invitation_snapshot,
    _open_invitations,
    _registration_invitation,
    country_limits,
    invitation_create,
    invitation_withdraw,
    partner_country_decision,
)
from .registry import (
    EDITABLE_PROFILE_FIELDS,
    PARTNER_FIELDS,
    PARTNER_SELF_TRANSITIONS,
    _apply_status,
    _can_change_partner,
    _check_country,
    _check_effective_date,
    _check_transition_permission,
    _identifier_insert,
    _identifier_snapshot,
    _normalised_identifier,
    _open_case_answered,
    _transition_decision,
    _validate_fields,
    identifier_add,
    identifier_deactivate,
    partner_assign_scss,
    partner_record_validation,
    partner_register,
    partner_transition,
    partner_update_profile,
    partner_update_svi_settings,
    transition_conditions,
)
from .svi import (
    SVI_NUMBER_NO_MATCH,
    _acting_partner,
    _decide,
    _hold_daily_cap,
    _open_connection_between,
    certification_request_send,
    svi_accept,
    svi_cancel,
    svi_disconnect,
    svi_number_requests_today,
    svi_reject,
    svi_request,
    svi_request_by_number,
)
