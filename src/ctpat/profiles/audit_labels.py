"""Human labels for the audit events of security profiles (ctpat.core.audit_labels)."""

ACTIONS = {
    "profiles.profile_start": "Security profile started",
    "profiles.answer_save": "Security profile answer saved",
    "profiles.answer_reconfirm": "Security profile answer confirmed unchanged",
    "profiles.evidence_upload": "Evidence uploaded",
    "profiles.profile_submit": "Security profile submitted to CBP",
    "profiles.profile_decide": "Security profile decided",
    "profiles.annual_review_start": "Annual review started",
    "profiles.annual_review_submit": "Annual review submitted",
    "profiles.annual_review_confirm_unchanged": "Annual review: unchanged answers confirmed",
    "profiles.annual_review_decide": "Annual review decided",
}
