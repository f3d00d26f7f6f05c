"""Human labels for the audit events of Trade Compliance (ctpat.core.audit_labels)."""

ACTIONS = {
    "tradecompliance.questionnaire_publish": "Trade Compliance questionnaire published",
    "tradecompliance.profile_update": "Trade Compliance profile updated",
    "tradecompliance.profile_cbp_fact_clear": "CBP's record of an eligibility fact cleared",
    "tradecompliance.profile_dispute": "Company disputed CBP's record of its facts",
    "tradecompliance.readiness_check": "Trade Compliance readiness checked",
    "tradecompliance.membership_grant": "Trade Compliance membership granted",
    "tradecompliance.membership_transition": "Trade Compliance membership status changed",
    "tradecompliance.application_start": "Trade Compliance application started",
    "tradecompliance.application_answers_save": "Application answers saved",
    "tradecompliance.application_answer_reuse": "Answer reused from the security profile",
    "tradecompliance.application_iors_select": "Importer of record numbers selected",
    "tradecompliance.application_sign_mou": "Memorandum of understanding signed",
    "tradecompliance.application_submit": "Application submitted",
    "tradecompliance.application_withdraw": "Application withdrawn",
    "tradecompliance.application_assign": "Application assigned to a NAM",
    "tradecompliance.application_request_information": "More information requested",
    "tradecompliance.application_respond": "Company answered CBP's questions",
    "tradecompliance.application_approve": "Application approved",
    "tradecompliance.application_deny": "Application denied",
    "tradecompliance.application_questionnaire_upgrade": "Application moved to a new questionnaire",
    "tradecompliance.application_document_upload": "Application document uploaded",
    "tradecompliance.application_document_remove": "Application document removed",
    "tradecompliance.forced_labor_submit": "Forced-labor requirements submitted",
    "tradecompliance.forced_labor_met": "Forced-labor requirements found met",
    "tradecompliance.forced_labor_return": "Forced-labor submission returned",
    "tradecompliance.forced_labor_open": "Forced-labor obligation opened for an existing member",
    "tradecompliance.questionnaire_sources_correct": "Questionnaire citations corrected",
}

OBJECT_TYPES = {
    "tradecompliance.application": "Trade Compliance application",
    "tradecompliance.forcedlaborobligation": "Forced-labor obligation",
    "tradecompliance.forcedlabordocument": "Forced-labor document",
    "tradecompliance.questionnaireversion": "Trade Compliance questionnaire version",
}
