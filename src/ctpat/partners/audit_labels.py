"""Human labels for the audit events of partners and SVI (ctpat.core.audit_labels)."""

ACTIONS = {
    "partner.register": "Partner registered",
    "partner.update": "Company profile updated",
    "partner.transition": "Membership status changed",
    "partner.remove_immediately": "Member removed immediately",
    "partner.assign_scss": "Supply Chain Security Specialist assigned",
    "partner.record_validation": "Validation recorded",
    "partner.svi_settings": "Status verification settings changed",
    "identifier.add": "Business identifier added",
    "identifier.deactivate": "Business identifier deactivated",
    "svi.request": "Status verification connection requested",
    "svi.request_by_number_unmatched": "Connection requested by number, no match",
    "svi.accept": "Status verification connection accepted",
    "svi.auto_accept": "Status verification connection accepted automatically",
    "svi.reject": "Status verification connection declined",
    "svi.cancel": "Status verification request cancelled",
    "svi.disconnect": "Status verification connection ended",
    "svi.certification_request": "Invitation to join CTPAT sent",
}

OBJECT_TYPES = {
    "partners.partneridentifier": "Business identifier",
    "partners.statuschange": "Membership status change",
    "partners.sviconnection": "Status verification connection",
    "partners.certificationrequest": "Invitation to join CTPAT",
    "partners.countryinvitation": "CBP invitation (eligibility by country)",
}
