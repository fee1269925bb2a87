"""The Checkpoint case domain, one module per aggregate."""

from .assessment import (
    Admission,
    AssessmentRule,
    EligibilityAssessment,
    NeedItem,
    NeedLevel,
    NeedsAssessment,
    RuleOutcome,
)
from .audit import AccessLog, DisclosureKind, DisclosureLog
from .case import (
    SUPERVISED_STATES,
    TERMINAL_STATES,
    UNRESOLVED_STATES,
    Case,
    CaseNote,
    CaseShare,
    CaseState,
    CaseTransition,
)
from .compliance import (
    BreachDecisionKind,
    BreachReview,
    ComplianceEvent,
    ComplianceKind,
    ComplianceWarning,
    Outcome,
    OutcomeKind,
)
from .consent import ConsentDocument, ScanType
from .contract import (
    CommunityCondition,
    CommunityKind,
    ConsentMethod,
    Contract,
    OffendingCondition,
    PathwayReferral,
    ReferralStatus,
    RestorativeApproach,
    RestorativeOutcome,
    RestorativePreference,
    VictimCondition,
    VictimWishes,
)
from .directory import Pathway, ServiceProvider
from .offence import Arrest, Offence, OffenceClass, OffenceType
from .person import Ethnicity, Person, Sex, VeteranStatus
from .retention import ErasureRecord, RetentionReview, ReviewStatus
from .scheduling import DeadlineAlert, SweepKind, SweepRun, SweepStatus
from .scheme import ExcludedCategory, RiskBand, Scheme, SchemeVersion
from .staff import StaffProfile, Team
from .supervision import (
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    HoursLogEntry,
    HoursStatus,
    NewOffenceReport,
)

__all__ = [
    "SUPERVISED_STATES",
    "TERMINAL_STATES",
    "UNRESOLVED_STATES",
    "AccessLog",
    "Admission",
    "Appointment",
    "AppointmentKind",
    "AppointmentOutcome",
    "Arrest",
    "AssessmentRule",
    "BreachDecisionKind",
    "BreachReview",
    "Case",
    "CaseNote",
    "CaseShare",
    "CaseState",
    "CaseTransition",
    "CommunityCondition",
    "CommunityKind",
    "ComplianceEvent",
    "ComplianceKind",
    "ComplianceWarning",
    "ConsentDocument",
    "ConsentMethod",
    "Contract",
    "DeadlineAlert",
    "DisclosureKind",
    "DisclosureLog",
    "EligibilityAssessment",
    "ErasureRecord",
    "Ethnicity",
    "ExcludedCategory",
    "HoursLogEntry",
    "HoursStatus",
    "NeedItem",
    "NeedLevel",
    "NeedsAssessment",
    "NewOffenceReport",
    "Offence",
    "OffenceClass",
    "OffenceType",
    "OffendingCondition",
    "Outcome",
    "OutcomeKind",
    "Pathway",
    "PathwayReferral",
    "Person",
    "ReferralStatus",
    "RestorativeApproach",
    "RestorativeOutcome",
    "RestorativePreference",
    "RetentionReview",
    "ReviewStatus",
    "RiskBand",
    "RuleOutcome",
    "ScanType",
    "Scheme",
    "SchemeVersion",
    "ServiceProvider",
    "Sex",
    "StaffProfile",
    "SweepKind",
    "SweepRun",
    "SweepStatus",
    "Team",
    "VeteranStatus",
    "VictimCondition",
    "VictimWishes",
]

# Registers the change history of case data (after every model above is defined).
from . import history  # noqa: F401
