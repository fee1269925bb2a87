"""Case data in the admin: read-only, with state changes only as transition actions.

The transition buttons come from django-fsm-2's ``FSMAdminMixin``; every button opens a small
form (at least a reason) and the action is carried out by the same service the screens use,
so the admin writes the same history rows and obeys the same guards and permissions.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django_fsm.admin import FSMAdminMixin

from checkpoint import access, services
from checkpoint.models import (
    AccessLog,
    Appointment,
    Arrest,
    AssessmentRule,
    BreachReview,
    Case,
    CaseAllocation,
    CaseNote,
    CaseShare,
    CaseState,
    CaseTransition,
    CommunityCondition,
    ComplianceEvent,
    ComplianceWarning,
    ConsentDocument,
    Contract,
    EligibilityAssessment,
    HoursLogEntry,
    NeedItem,
    NeedsAssessment,
    NewOffenceReport,
    Offence,
    OffendingCondition,
    Outcome,
    PathwayReferral,
    Person,
    RearrestMatch,
    VictimCondition,
    VictimWishes,
)

from .base import CaseDataAdmin, ReadOnlyInline


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class SignContractForm(forms.Form):
    starts_on = forms.DateField(help_text="The contract starts on this date.")


def _decide(decision):
    def call(case, user, data):
        if decision == "terminate" and case.state == CaseState.COMPLETION_REVIEW:
            return services.completion_terminate(case_id=case.pk, by=user, reasons=data["reason"])
        return services.breach_decide(
            case_id=case.pk, by=user, decision=decision, reasons=data["reason"]
        )

    return call


# transition name -> (form, service call)
TRANSITIONS = {
    "decide_eligible": (
        ReasonForm,
        lambda c, u, d: services.assessment_decide(
            case_id=c.pk, by=u, eligible=True, reason=d["reason"]
        ),
    ),
    "decide_ineligible": (
        ReasonForm,
        lambda c, u, d: services.assessment_decide(
            case_id=c.pk, by=u, eligible=False, reason=d["reason"]
        ),
    ),
    "make_offer": (ReasonForm, lambda c, u, d: services.case_offer(case_id=c.pk, by=u)),
    "accept_offer": (ReasonForm, lambda c, u, d: services.offer_accept(case_id=c.pk, by=u)),
    "decline_offer": (
        RequiredReasonForm,
        lambda c, u, d: services.offer_decline(case_id=c.pk, by=u, reason=d["reason"]),
    ),
    "sign_contract": (
        SignContractForm,
        lambda c, u, d: services.contract_sign(case_id=c.pk, by=u, starts_on=d["starts_on"]),
    ),
    "withdraw": (
        RequiredReasonForm,
        lambda c, u, d: services.case_withdraw(case_id=c.pk, by=u, reason=d["reason"]),
    ),
    "refer_breach": (
        RequiredReasonForm,
        lambda c, u, d: services.breach_refer(case_id=c.pk, by=u, recommendation=d["reason"]),
    ),
    "continue_contract": (RequiredReasonForm, _decide("continue")),
    "vary_contract": (RequiredReasonForm, _decide("vary")),
    "terminate": (RequiredReasonForm, _decide("terminate")),
    "begin_completion_review": (
        ReasonForm,
        lambda c, u, d: services.completion_review_begin(case_id=c.pk, by=u),
    ),
    "sign_off": (
        ReasonForm,
        lambda c, u, d: services.completion_sign_off(case_id=c.pk, by=u, reason=d["reason"]),
    ),
    "refer_for_prosecution": (
        RequiredReasonForm,
        lambda c, u, d: services.prosecution_refer(case_id=c.pk, by=u, reason=d["reason"]),
    ),
}


class TransitionInline(ReadOnlyInline):
    model = CaseTransition
    fields = ["at", "transition", "from_state", "to_state", "by", "reason"]
    readonly_fields = fields
    show_change_link = False


class AssessmentInline(ReadOnlyInline):
    model = EligibilityAssessment
    fields = ["assessed_on", "assessed_by", "scheme_version", "is_eligible"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["state"]
    fsm_forms = {name: form for name, (form, _call) in TRANSITIONS.items()}
    list_display = ["reference", "state", "team", "navigator", "prosecution_deadline", "created_at"]
    list_filter = ["state", "team", "scheme_version"]
    search_fields = ["reference"]
    list_select_related = ["team", "navigator"]
    inlines = [AssessmentInline, TransitionInline]

    def get_queryset(self, request):
        return access.cases_visible_to(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # cases are opened by a decision maker's assessment, not in the admin

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Nothing is editable here; the POST only carries a transition button."""

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        # Only the transitions above: any other name in the URL (a typo, or a model method
        # such as "delete") raised AttributeError or ValueError in django-fsm-2, a 500.
        if transition_name not in TRANSITIONS:
            raise Http404("No such transition")
        return super().fsm_transition_view(request, object_id, transition_name, **kwargs)

    def get_help_text(self, transition):
        return (transition.method.__doc__ or "").strip()

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        _form, call = TRANSITIONS[transition_name]
        try:
            call(obj, request.user, dict(kwargs or {}))
        except services.CaseError as err:
            detail = "; ".join(err.problems)
            self.message_user(request, f"{err.message} {detail}".strip(), messages.ERROR)
            return False
        self.message_user(
            request,
            f"Done: {self.get_fsm_label(_transition(obj, transition_name))}.",
            messages.SUCCESS,
        )
        return True


def _transition(obj, name):
    return next(iter(getattr(obj, name)._django_fsm.transitions.values()))


class OffenceInline(ReadOnlyInline):
    model = Offence
    fields = ["offence_type", "committed_on", "gravity_score", "has_victim"]
    readonly_fields = fields


@admin.register(Arrest)
class ArrestAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["custody_reference", "arrested_at", "station"]
    search_fields = ["custody_reference"]
    inlines = [OffenceInline]


@admin.register(Person)
class PersonAdmin(CaseDataAdmin):
    case_lookup = "cases"
    list_display = ["family_name", "given_name", "date_of_birth"]
    search_fields = ["family_name", "given_name", "pnc_id"]


class RuleInline(ReadOnlyInline):
    model = AssessmentRule
    fields = ["label", "outcome", "reason", "override_justification", "overridden_by"]
    readonly_fields = fields
    show_change_link = False


@admin.register(EligibilityAssessment)
class EligibilityAssessmentAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["case", "assessed_on", "assessed_by", "is_eligible", "scheme_version"]
    inlines = [RuleInline]


class NeedItemInline(ReadOnlyInline):
    model = NeedItem
    fields = ["pathway", "level", "notes"]
    readonly_fields = fields
    show_change_link = False


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["case", "assessed_on", "assessed_by"]
    inlines = [NeedItemInline]


class ReferralInline(ReadOnlyInline):
    model = PathwayReferral
    fields = ["pathway", "provider", "what", "required_sessions", "status"]
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["case", "starts_on", "ends_on", "consent_method"]
    inlines = [ReferralInline]


@admin.register(ConsentDocument)
class ConsentDocumentAdmin(CaseDataAdmin):
    """The scans' details only: the file itself has no URL (it is served by the case's
    access-checked, logged download, never by the admin)."""

    case_lookup = "contract__case"
    list_display = ["contract", "original_filename", "content_type", "size", "uploaded_at"]
    exclude = ["file"]


@admin.register(CaseTransition)
class CaseTransitionAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["case", "at", "from_state", "to_state", "by"]
    list_filter = ["to_state"]
    list_select_related = ["case", "by"]


# model, its list columns, and the path to its case (CaseScopedMixin)
for model, columns, lookup in [
    (AssessmentRule, ["assessment", "label", "outcome"], "assessment__case"),
    (NeedItem, ["needs_assessment", "pathway", "level"], "needs_assessment__case"),
    (VictimWishes, ["case", "restorative_preference", "keep_informed"], "case"),
    (OffendingCondition, ["contract"], "contract__case"),
    (VictimCondition, ["contract", "approach", "outcome", "due_on"], "contract__case"),
    (PathwayReferral, ["contract", "provider", "pathway", "status"], "contract__case"),
    (CommunityCondition, ["contract", "kind", "hours_required"], "contract__case"),
    (Offence, ["arrest", "offence_type", "committed_on"], "arrest__case"),
    (Appointment, ["case", "kind", "starts_at", "outcome"], "case"),
    (
        HoursLogEntry,
        ["community_condition", "worked_on", "hours", "verified_at"],
        "community_condition__contract__case",
    ),
    (NewOffenceReport, ["case", "occurred_on", "reported_on"], "case"),
    (ComplianceEvent, ["case", "kind", "occurred_on", "resolved_at"], "case"),
    (ComplianceWarning, ["case", "issued_on", "issued_by"], "case"),
    (BreachReview, ["case", "referred_at", "decision", "decided_at"], "case"),
    (Outcome, ["case", "kind", "decided_on", "follow_up_due_on"], "case"),
    (CaseNote, ["case", "author", "created_at"], "case"),
    (CaseShare, ["case", "user", "shared_by", "shared_at"], "case"),
    (CaseAllocation, ["case", "navigator", "previous_navigator", "by", "at"], "case"),
    (RearrestMatch, ["active_case", "new_case", "kind", "status", "found_at"], "active_case"),
    (AccessLog, ["at", "user", "person", "case", "page"], "case"),
]:
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (CaseDataAdmin,),
            {"list_display": columns, "case_lookup": lookup},
        ),
    )
