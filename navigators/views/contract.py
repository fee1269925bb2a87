"""The contract builder (a GOV.UK task list) and the victim's wishes.

The builder works on a case in state 'accepted': starting the contract adds the Offending
condition; then the Victim condition, Pathway referrals, the Community condition and the
participant's consent; then signing, after a check of the contract's dates against the
prosecution deadline. Every write goes through one ``checkpoint.services`` function.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from checkpoint import services
from checkpoint.blockers import Blocker, BlockerCode
from checkpoint.deadlines import contract_dates
from checkpoint.models import CaseState
from checkpoint.permissions import Permission
from checkpoint.selectors import contract as contract_selectors
from checkpoint.selectors import documents as document_selectors
from checkpoint.selectors.needs import pathway_list
from checkpoint.services import CaseError
from navigators.forms.contract import (
    CommunityForm,
    ConsentForm,
    ReferralForm,
    SignForm,
    VictimConditionForm,
    VictimWishesForm,
)
from web.documents import (
    EASY_READ,
    HTML_LANG,
    LANGUAGE_NAMES,
    STANDARD,
    common_context,
    render_document,
)
from web.forms import GovUKForm
from web.params import query_id
from web.views import CaseMixin, CaseMixinBase, CaseServiceFormView


class ManageMixin:
    """Only roles that manage cases (navigators, supervisors) use these screens (403 with a
    reason for others who can see the case; 404 for a case out of reach)."""

    needs: Permission | None = Permission.BUILD_CONTRACT


def is_draft(case) -> bool:
    """The contract can be built: the person accepted, and a contract was started."""
    return case.state == CaseState.ACCEPTED and getattr(case, "contract", None) is not None


class ContractBuilderView(ManageMixin, CaseMixin, TemplateView):
    """GET shows the task list; POST starts the contract (never a GET that writes)."""

    template_name = "navigators/contract_builder.html"

    def get_case(self):
        return contract_selectors.contract_builder_for(self.request.user, self.kwargs["reference"])

    def post(self, request, *args, **kwargs):
        try:
            services.contract_open(case_id=self.case.pk, by=self.actor)
        except CaseError as err:
            form = GovUKForm(data={})
            form.add_service_error(err)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, "Contract started: the Offending condition was added")
        return redirect("navigators:contract", self.case.reference)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reference = self.case.reference
        tasks = [
            {
                "task": task,
                "href": reverse(TASK_PAGES[task.page], args=[reference]) if task.page else None,
            }
            for task in contract_selectors.contract_tasks(self.case)
        ]
        contract = getattr(self.case, "contract", None)
        context.update(
            tasks=tasks,
            contract=contract,
            can_build=self.case.state == CaseState.ACCEPTED,
            case_url=self.case_url(),
        )
        return context


class DraftContractMixin(ManageMixin, CaseMixinBase):
    """A page of the builder: loads the case with its contract and returns to the task list.

    GET goes back to the task list when there is no contract to build (it explains why); a
    POST still goes to the service, which refuses with its own message.
    """

    def get_case(self):
        return contract_selectors.contract_builder_for(self.request.user, self.kwargs["reference"])

    def get(self, request, *args, **kwargs):
        if not is_draft(self.case):
            return redirect("navigators:contract", self.case.reference)
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("navigators:contract", args=[self.case.reference])

    def condition(self, name: str):
        return getattr(getattr(self.case, "contract", None), name, None)


class VictimWishesView(ManageMixin, CaseServiceFormView):
    form_class = VictimWishesForm
    title = "Record the victim's wishes"
    submit_label = "Save the victim's wishes"
    success_message = "Victim's wishes recorded"

    def get_success_url(self) -> str:
        # Opened from the builder's Victim condition page: go back there (a fixed target).
        if self.request.GET.get("from") == "contract":
            return reverse("navigators:contract-victim", args=[self.case.reference])
        return self.case_url()

    def perform(self, form) -> None:
        services.victim_wishes_record(case_id=self.case.pk, by=self.actor, **form.cleaned_data)


class VictimConditionView(DraftContractMixin, CaseServiceFormView):
    form_class = VictimConditionForm
    template_name = "navigators/contract_victim.html"
    title = "Victim condition"
    submit_label = "Save and return to the contract"
    success_message = "Victim condition saved"

    def get_initial(self):
        condition = self.condition("victim_condition")
        approach = condition.approach if condition else None
        if approach is None:
            approach = contract_selectors.suggested_approach(self.case)
        return {**super().get_initial(), "approach": approach}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["wishes"] = self.case.victim_list
        context["wishes_url"] = (
            reverse("navigators:victim-wishes", args=[self.case.reference]) + "?from=contract"
        )
        return context

    def perform(self, form) -> None:
        services.victim_condition_set(
            case_id=self.case.pk, by=self.actor, approach=form.cleaned_data["approach"]
        )


class ReferralAddView(DraftContractMixin, CaseServiceFormView):
    form_class = ReferralForm
    template_name = "navigators/contract_referral.html"
    title = "Add a pathway referral"
    submit_label = "Add referral"
    success_message = "Referral added"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "providers": contract_selectors.referral_providers(self.case.person),
            "pathways": pathway_list(),
        }

    def get_initial(self):
        # A suggestion on the needs page links here with the service and pathway chosen.
        initial = super().get_initial()
        for name in ("provider", "pathway"):
            value = query_id(self.request.GET, name)
            if value is not None:
                initial[name] = value
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["referrals"] = self.case.referral_list
        return context

    def perform(self, form) -> None:
        data = form.cleaned_data
        services.referral_add(
            case_id=self.case.pk,
            by=self.actor,
            provider_id=data["provider"],
            pathway_id=data["pathway"],
            what=data["what"],
            frequency=data["frequency"],
            required_sessions=data["required_sessions"],
        )


class CommunityView(DraftContractMixin, CaseServiceFormView):
    form_class = CommunityForm
    template_name = "navigators/contract_community.html"
    title = "Community condition"
    submit_label = "Save and return to the contract"
    success_message = "Community condition saved"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scheme": self.case.scheme_version}

    def get_initial(self):
        initial = super().get_initial()
        condition = self.condition("community_condition")
        if condition is not None:
            initial.update(
                kind=condition.kind,
                hours_required=condition.hours_required,
                gps_starts_on=condition.gps_starts_on,
                gps_ends_on=condition.gps_ends_on,
            )
        return initial

    def perform(self, form) -> None:
        data = form.cleaned_data
        hours = data["kind"] == "hours"
        services.community_set(
            case_id=self.case.pk,
            by=self.actor,
            kind=data["kind"],
            hours_required=data["hours_required"] if hours else None,
            gps_starts_on=None if hours else data["gps_starts_on"],
            gps_ends_on=None if hours else data["gps_ends_on"],
        )


class ConsentView(DraftContractMixin, CaseServiceFormView):
    """Consent, and (for a signed paper form) its scan, saved together or not at all."""

    form_class = ConsentForm
    template_name = "navigators/contract_consent.html"
    title = "Participant's consent"
    submit_label = "Save and return to the contract"
    success_message = "Consent recorded"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "today": timezone.localdate(),
            "signed_required": self.case.scheme_version.signed_consent_required,
        }

    def get_initial(self):
        initial = super().get_initial()
        contract = getattr(self.case, "contract", None)
        if contract is not None and contract.consent_recorded:
            initial.update(method=contract.consent_method, given_on=contract.consent_given_on)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = getattr(self.case, "contract", None)
        context["scans"] = contract.consent_document_list if contract else []
        return context

    def perform(self, form) -> None:
        services.consent_record(
            case_id=self.case.pk,
            by=self.actor,
            method=form.cleaned_data["method"],
            given_on=form.cleaned_data["given_on"],
        )
        if form.cleaned_data.get("scan"):
            services.consent_document_add(
                case_id=self.case.pk, by=self.actor, upload=form.cleaned_data["scan"]
            )
            self.success_message = "Consent recorded and the scan of the signed form uploaded"


# The builder's page for each task of its task list.
TASK_PAGES = {
    contract_selectors.VICTIM: "navigators:contract-victim",
    contract_selectors.REFERRAL: "navigators:contract-referral",
    contract_selectors.COMMUNITY: "navigators:contract-community",
    contract_selectors.CONSENT: "navigators:contract-consent",
    contract_selectors.SIGN: "navigators:contract-sign",
}
# The builder page that resolves each reason the contract cannot be signed yet.
BLOCKER_PAGES = {
    BlockerCode.OFFENDING_CONDITION_MISSING: "navigators:contract",
    BlockerCode.VICTIM_CONDITION_MISSING: "navigators:contract-victim",
    BlockerCode.PATHWAY_REFERRAL_MISSING: "navigators:contract-referral",
    BlockerCode.COMMUNITY_CONDITION_MISSING: "navigators:contract-community",
    BlockerCode.COMMUNITY_HOURS_OUT_OF_RANGE: "navigators:contract-community",
    BlockerCode.CONSENT_MISSING: "navigators:contract-consent",
    BlockerCode.CONSENT_NOT_ON_SIGNED_FORM: "navigators:contract-consent",
    BlockerCode.CONSENT_SCAN_MISSING: "navigators:consent-documents",
}


class SignView(DraftContractMixin, CaseServiceFormView):
    """Two steps: the start date, then 'Check the contract dates', then signing."""

    needs = Permission.SIGN_CONTRACT

    form_class = SignForm
    template_name = "navigators/contract_sign.html"
    title = "Sign the contract"
    submit_label = "Continue"

    def get_form_kwargs(self):
        contract = getattr(self.case, "contract", None)
        return {
            **super().get_form_kwargs(),
            "today": timezone.localdate(),
            "consent_given_on": contract.consent_given_on if contract else None,
        }

    def get_initial(self):
        # "Change" on the check page links back here with the date chosen so far.
        try:
            starts_on = date.fromisoformat(self.request.GET.get("starts_on", ""))
        except ValueError:
            starts_on = timezone.localdate()
        return {**super().get_initial(), "starts_on": starts_on}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = getattr(self.case, "contract", None)
        blockers = contract.blockers() if contract else []
        context["blockers"] = [(b, self.blocker_url(b)) for b in blockers]
        context["back_url"] = reverse("navigators:contract", args=[self.case.reference])
        return context

    def blocker_url(self, blocker: Blocker) -> str:
        """The builder page that resolves a blocker, by its code."""
        return reverse(BLOCKER_PAGES[blocker.code], args=[self.case.reference])

    def get_success_url(self) -> str:
        return self.case_url()

    def form_valid(self, form):
        if is_draft(self.case):
            blockers = self.case.contract.blockers()
            if blockers:
                form.add_error(None, "You cannot sign the contract yet:")
                for blocker in blockers:
                    form.add_error(None, blocker.message)
                return self.form_invalid(form)
            if self.request.POST.get("confirm") != "yes":
                return self.render_check(form)
        return super().form_valid(form)

    def render_check(self, form):
        scheme = self.case.scheme_version
        preview = contract_dates(
            starts_on=form.cleaned_data["starts_on"],
            months=scheme.contract_months,
            deadline=self.case.prosecution_deadline,
            warning_days=scheme.deadline_warning_days,
        )
        slack = preview.days_from_end_to_deadline
        starts_on = form.cleaned_data["starts_on"]
        self.template_name = "navigators/contract_sign_check.html"
        self.title = "Check the contract before signing"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                preview=preview,
                starts_on=starts_on,
                # "Back" and "Change" return to the date form with the date chosen so far.
                change_url=(
                    reverse("navigators:contract-sign", args=[self.case.reference])
                    + f"?starts_on={starts_on:%Y-%m-%d}"
                ),
                deadline_warning=preview.tight,
                deadline_before_end=preview.deadline_before_end,
                slack_days=abs(slack) if slack is not None else None,
                **self.contract_document(starts_on),
            )
        )

    def contract_document(self, starts_on: date) -> dict:
        """The contract as the participant will sign it (the same template as the printed
        and PDF contract, in their language), with links to change each part."""
        reference = self.case.reference
        person = self.case.person
        context = {
            **common_context(self.case),
            "terms": document_selectors.contract_terms(self.case, starts_on=starts_on),
            "embedded": True,
            "change_links": {
                "starts_on": reverse("navigators:contract-sign", args=[reference])
                + f"?starts_on={starts_on:%Y-%m-%d}",
                "victim": reverse("navigators:contract-victim", args=[reference]),
                "referrals": reverse("navigators:contract-referral", args=[reference]),
                "community": reverse("navigators:contract-community", args=[reference]),
            },
        }
        version = EASY_READ if person.needs_easy_read else STANDARD
        return {
            "contract_html": render_document(
                "contract", context, language=person.preferred_language, version=version
            ),
            "contract_lang": HTML_LANG.get(person.preferred_language, "en-GB"),
            "contract_language": LANGUAGE_NAMES.get(person.preferred_language, "English"),
            "contract_easy_read": version == EASY_READ,
            "contract_pdf_url": reverse("navigators:contract-document", args=[reference])
            + f"?starts_on={starts_on:%Y-%m-%d}",
        }

    def perform(self, form) -> None:
        case = services.contract_sign(
            case_id=self.case.pk, by=self.actor, starts_on=form.cleaned_data["starts_on"]
        )
        contract = case.contract
        self.success_message = (
            f"Contract signed: it runs from {contract.starts_on:%-d %B %Y} "
            f"to {contract.ends_on:%-d %B %Y}"
        )


urlpatterns = [
    path("cases/<str:reference>/contract/", ContractBuilderView.as_view(), name="contract"),
    path(
        "cases/<str:reference>/contract/victim/",
        VictimConditionView.as_view(),
        name="contract-victim",
    ),
    path(
        "cases/<str:reference>/contract/referrals/new/",
        ReferralAddView.as_view(),
        name="contract-referral",
    ),
    path(
        "cases/<str:reference>/contract/community/",
        CommunityView.as_view(),
        name="contract-community",
    ),
    path("cases/<str:reference>/contract/consent/", ConsentView.as_view(), name="contract-consent"),
    path("cases/<str:reference>/contract/sign/", SignView.as_view(), name="contract-sign"),
    path("cases/<str:reference>/victim/", VictimWishesView.as_view(), name="victim-wishes"),
]
