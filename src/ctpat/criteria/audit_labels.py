"""Human labels for the audit events of the criteria catalogue (ctpat.core.audit_labels)."""

ACTIONS = {
    "criteria.catalog_load": "Criteria catalogue loaded",
    "criteria.draft_create": "Criteria draft created",
    "criteria.draft_discard": "Criteria draft discarded",
    "criteria.criterion_add": "Criterion added",
    "criteria.criterion_update": "Criterion changed",
    "criteria.criterion_remove": "Criterion removed",
    "criteria.criterion_set_requirement": "Criterion's must/should set",
    "criteria.version_publish": "Criteria version published",
    "criteria.members_notify": "Members told about new criteria",
    "criteria.table_import": "Criteria table imported into a draft",
    "criteria.citations_update": "Criteria citations updated to public sources",
    "criteria.tables_mark_partial": "Entity-type criteria tables marked partial",
}
