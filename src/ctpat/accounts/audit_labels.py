"""Human labels for the audit events of accounts (ctpat.core.audit_labels)."""

ACTIONS = {
    "organization.create": "Organization created",
    "user.create": "User created",
    "user.set_role": "User's role changed",
    "user.api_tokens_revoke": "User's API tokens revoked",
    "user.deactivate": "User deactivated",
    "user.reactivate": "User reactivated",
    "api_token.create": "API token created",
    "api_token.revoke": "API token revoked",
    "two_factor.start": "Two-factor set-up started",
    "two_factor.provision": "Authenticator provisioned",
    "two_factor.confirm": "Two-factor authentication set up",
    "two_factor.confirm_failed": "Two-factor set-up code refused",
    "invitation.create": "Invitation created",
    "invitation.use": "Invitation used",
    "invitation.withdraw": "Invitation withdrawn",
}

OBJECT_TYPES = {
    "accounts.apitoken": "API token",
}
