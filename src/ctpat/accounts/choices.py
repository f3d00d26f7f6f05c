from django.db import models


class OrganizationKind(models.TextChoices):
    PARTNER = "partner", "Trade partner company"
    CBP = "cbp", "CBP office"
    AUDIT_FIRM = "audit_firm", "Third-party audit firm"
    MRA_CUSTOMS = "mra_customs", "Foreign customs administration (MRA partner)"


class Role(models.TextChoices):
    CBP_ADMIN = "cbp_admin", "CBP program admin"
    SCSS = "scss", "Supply Chain Security Specialist"
    NAM = "nam", "National Account Manager"
    FLD_REVIEWER = "fld_reviewer", "Forced Labor Division reviewer"
    PARTNER_OFFICER = "partner_officer", "Partner company officer"
    PARTNER_COMPLIANCE = "partner_compliance", "Partner compliance user"
    AUDITOR = "auditor", "Third-party auditor"
    MRA_REVIEWER = "mra_reviewer", "MRA customs reviewer"
