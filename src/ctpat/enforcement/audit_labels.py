"""Human labels for the audit events of suspension cases and appeals (ctpat.core.audit_labels)."""

ACTIONS = {
    "enforcement.case_open": "Suspension case opened",
    "enforcement.case_close": "Suspension case closed",
    "enforcement.answer_submit": "Suspension answered",
    "enforcement.appeal_file": "Appeal filed",
    "enforcement.appeal_decide": "Appeal decided",
    "enforcement.appeal_reminder": "Appeal decision reminder sent",
    "enforcement.daily_run": "Appeal reminder job ran",
    # Written by tradecompliance.appeal_outcomes when an appeal decides a Trade Compliance
    # decision (labelled here, with the appeals they belong to).
    "tradecompliance.membership_appeal_restore": (
        "Trade Compliance membership status set by an appeal decision"
    ),
    "tradecompliance.application_appeal_reopen": (
        "Trade Compliance application denial set aside on appeal"
    ),
}

OBJECT_TYPES = {
    "enforcement.suspensioncase": "Suspension case",
    "enforcement.suspensionanswer": "Answer to a suspension",
    "enforcement.appeal": "Appeal",
    "enforcement.enforcementdocument": "Suspension or appeal document",
    "enforcement.appealdailyrun": "Appeal reminder job run",
}
