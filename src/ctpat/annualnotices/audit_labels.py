"""Human labels for the audit events of Annual Notification Letters (ctpat.core.audit_labels)."""

ACTIONS = {
    "anl.letter_open": "Annual Notification Letter opened for filing",
    "anl.letter_draft": "Annual Notification Letter draft saved",
    "anl.letter_file": "Annual Notification Letter filed",
    "anl.letter_acknowledge": "Annual Notification Letter acknowledged",
    "anl.letter_return": "Annual Notification Letter returned for changes",
    "anl.letter_overdue": "Annual Notification Letter overdue",
    "anl.suspension_started": "Suspended for a missing Annual Notification Letter",
    "anl.enforce_nothing": "Daily letter check: nothing to do",
    "anl.daily_run": "Daily Annual Notification Letter job ran",
    "anl.pilot_import_check": "Pilot participants file checked",
    "anl.pilot_import_commit": "Pilot participants imported",
}

OBJECT_TYPES = {
    "annualnotices.anldailyrun": "Daily Annual Notification Letter run",
}
