"""Writes for Trade Compliance. Each is one transaction with its audit event.

* ``questionnaire_version_publish`` — a CBP program admin publishes a new question set version.
* ``tc_profile_update`` — the company officer (self-declared) or CBP records the facts the
  eligibility rule needs that the partner registry does not hold.
* ``readiness_answers_save`` — a partner's users save their answers to the eligibility
  questions; the audit event keeps the answers, every input of the rule and its decision, so
  the check can be reproduced later.
* ``membership_grant`` / ``membership_transition`` — CBP's Trade Compliance membership.
* ``application_*`` — the application: a company officer starts it (when the readiness check
  allows), the company's users fill it in, the officer signs the MOU and submits; CBP assigns a
  National Account Manager, who asks for information (as many rounds as needed) and approves
  (granting the membership) or denies. One NAM owns a review: a NAM takes up only an unassigned
  application, and only a program admin re-assigns one (a NAM not assigned cannot act on it).
  Eligibility is decided again at submission and at approval, and approval refuses IOR numbers
  deactivated since the company chose them. Each step is a row of the application's timeline
  (``ApplicationStep``) and an audit event; the people concerned are notified.

The services live in one module per subject (``questionnaire``, ``profile``, ``membership``,
``application``, ``application_review``, ``forced_labor``); this package re-exports every
name, private helpers included, so ``services.X`` and ``from ...services import X`` keep
working for callers.
"""

from __future__ import annotations

from ._shared import (
    _clean_optional_text,
    _clean_required_text,
    _is_own,
)
from .application import (
    APPLICATION_DOCUMENT_TYPES,
    AUDIT_ANSWER_EXCERPT_LENGTH,
    DECISION_REASON_MAX_LENGTH,
    INFORMATION_TEXT_MAX_LENGTH,
    SIGNER_NAME_MAX_LENGTH,
    STORAGE_PREFIX,
    StepSaveResult,
    _application_link,
    _audit_application,
    _check_answer,
    _checked_files,
    _delete_stored,
    _locked_application,
    _move,
    _notify,
    _officers,
    _record_step,
    _require_editor,
    _require_officer,
    _require_reviewer,
    _store_document,
    _store_documents,
    _user,
    application_answer_reuse,
    application_answers_save,
    application_document_max_bytes,
    application_document_remove,
    application_document_upload,
    application_iors_select,
    application_sign_mou,
    application_start,
    application_step_save,
    can_edit_application,
    can_review_application,
    is_company_officer,
)
from .application_review import (
    _missing_error,
    _record_response,
    application_approve,
    application_assign,
    application_deny,
    application_request_information,
    application_request_questionnaire_upgrade,
    application_respond,
    application_submit,
    application_withdraw,
)
from .forced_labor import (
    _ENDED_MEMBERSHIP,
    FORCED_LABOR_DOCUMENT_CODES,
    FORCED_LABOR_FIELDS,
    FORCED_LABOR_NOTE_MAX_LENGTH,
    FORCED_LABOR_STATEMENT_MAX_LENGTH,
    FORCED_LABOR_STORAGE_PREFIX,
    _forced_labor_link,
    _forced_labor_reviewers,
    _locked_obligation,
    _notify_forced_labor,
    _store_forced_labor_documents,
    can_decide_forced_labor,
    can_submit_forced_labor,
    forced_labor_decide,
    forced_labor_submit,
)
from .membership import (
    MEMBERSHIP_FIELDS,
    Grant,
    _active_iors,
    _forced_labor_obligations_open,
    _ior_identifiers,
    _next_account_numbers,
    _refuse_held_iors,
    _require_membership_manager,
    membership_grant,
    membership_grant_many,
    membership_transition,
)
from .profile import (
    DISPUTE_NOTE_MAX_LENGTH,
    EARLIEST_IMPORT_HISTORY_START,
    PROFILE_FIELDS,
    _records_for_cbp,
    _with_recorded,
    can_change_profile,
    readiness_answers_save,
    tc_profile_cbp_fact_clear,
    tc_profile_dispute,
    tc_profile_update,
)
from .questionnaire import (
    _stored_question_set,
    questionnaire_as_question_set,
    questionnaire_version_publish,
)
