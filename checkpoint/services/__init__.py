"""Services: every write to the case domain goes through one of these functions.

Each is atomic, takes keyword-only arguments, names its actor (``by``: a member of staff,
``SYSTEM`` or a ``Participant``; never None), checks that the actor may act
(``checkpoint.permissions``: reach, then role) before anything else, and raises ``CaseError``
subclasses with a message a user can act on. ``__all__`` lists every public service: the
permission test calls each one as every role.
"""

from .access_requests import (
    access_change_request,
    access_request_approve,
    access_request_reject,
    authenticator_reset_request,
    enrolment_complete,
    enrolment_link_claim,
)
from .allocation import case_allocate, caseload_handover, unallocated_alerts
from .appointments import (
    appointment_cancel,
    appointment_record_outcome,
    appointment_reschedule,
    appointment_schedule,
)
from .assessment import (
    assessment_decide,
    assessment_override_rule,
    assessment_record,
    case_offer,
    offer_accept,
    offer_decline,
)
from .compliance import (
    compliance_event_raise,
    compliance_event_resolve,
    compliance_event_withdraw,
    warning_issue,
)
from .consent import consent_document_add, consent_orphans_remove
from .consultation import consultation_record
from .contract import (
    community_set,
    consent_record,
    contract_open,
    contract_sign,
    referral_add,
    victim_condition_set,
    victim_wishes_record,
)
from .contract_copy import contract_copy_send
from .corrections import (
    hours_correct,
    hours_withdraw,
    note_correct,
    note_withdraw,
    person_contact_update,
    referral_correct,
    referral_withdraw,
    restorative_outcome_correct,
)
from .deadlines import deadline_watch
from .decisions import (
    breach_decide,
    breach_refer,
    case_withdraw,
    completion_review_begin,
    completion_sign_off,
    completion_terminate,
    prosecution_refer,
)
from .digest import staff_digest
from .disclosure import disclosure_record
from .errors import (
    CaseError,
    CaseNotFound,
    InvalidInput,
    NeedsConfirmation,
    NotFound,
    NotPermitted,
    RecordNotFound,
    StaleEdit,
    TransitionBlocked,
)
from .intake import OffenceInput, case_open
from .locking import case_lock_expecting
from .needs import NeedInput, needs_assessment_record
from .rearrest import rearrest_confirm, rearrest_dismiss
from .reminders import reminders_set
from .retention import retention_erase, retention_review
from .supervision import (
    gps_tag_complete,
    hours_log,
    hours_verify,
    new_offence_report,
    note_add,
    referral_status_set,
    restorative_outcome_record,
)
from .sweep import compliance_sweep

__all__ = [
    "CaseError",
    "CaseNotFound",
    "InvalidInput",
    "NeedInput",
    "NeedsConfirmation",
    "NotFound",
    "NotPermitted",
    "OffenceInput",
    "RecordNotFound",
    "StaleEdit",
    "TransitionBlocked",
    "access_change_request",
    "access_request_approve",
    "access_request_reject",
    "appointment_cancel",
    "appointment_record_outcome",
    "appointment_reschedule",
    "appointment_schedule",
    "assessment_decide",
    "assessment_override_rule",
    "assessment_record",
    "authenticator_reset_request",
    "breach_decide",
    "breach_refer",
    "case_allocate",
    "case_lock_expecting",
    "case_offer",
    "case_open",
    "case_withdraw",
    "caseload_handover",
    "community_set",
    "completion_review_begin",
    "completion_sign_off",
    "completion_terminate",
    "compliance_event_raise",
    "compliance_event_resolve",
    "compliance_event_withdraw",
    "compliance_sweep",
    "consent_document_add",
    "consent_orphans_remove",
    "consent_record",
    "consultation_record",
    "contract_copy_send",
    "contract_open",
    "contract_sign",
    "deadline_watch",
    "disclosure_record",
    "enrolment_complete",
    "enrolment_link_claim",
    "gps_tag_complete",
    "hours_correct",
    "hours_log",
    "hours_verify",
    "hours_withdraw",
    "needs_assessment_record",
    "new_offence_report",
    "note_add",
    "note_correct",
    "note_withdraw",
    "offer_accept",
    "offer_decline",
    "person_contact_update",
    "prosecution_refer",
    "rearrest_confirm",
    "rearrest_dismiss",
    "referral_add",
    "referral_correct",
    "referral_status_set",
    "referral_withdraw",
    "reminders_set",
    "restorative_outcome_correct",
    "restorative_outcome_record",
    "retention_erase",
    "retention_review",
    "staff_digest",
    "unallocated_alerts",
    "victim_condition_set",
    "victim_wishes_record",
    "warning_issue",
]
