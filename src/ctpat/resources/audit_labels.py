"""Human labels for the audit events of the resources library (ctpat.core.audit_labels)."""

ACTIONS = {
    "resource.create": "Resource created",
    "resource.revise": "Resource revised",
    "resource.publish": "Resource published",
    "resource.retire": "Resource retired",
    "resource.share": "Resource shared with a client",
}
