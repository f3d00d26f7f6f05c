"""Human labels for the audit events of notifications and e-mail (ctpat.core.audit_labels)."""

ACTIONS = {
    "notification.send": "Notification sent",
    "notification.deduplicated": "Repeated notification skipped",
    "notification.read": "Notification marked read",
    "notification.unread": "Notification marked unread",
    "notification.read_all": "All notifications marked read",
    "email.queue": "E-mail queued",
    "email.deduplicated": "Repeated e-mail skipped",
    "email.sent": "E-mail sent",
    "email.retry_scheduled": "E-mail failed, retry scheduled",
    "email.failed": "E-mail failed for good",
    "email.requeue": "E-mail queued again",
}

OBJECT_TYPES = {
    "notifications.outboundemail": "E-mail",
}
