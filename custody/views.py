"""Custody: open a case, the eligibility assessment wizard, the offer and the answer.

Every screen is for decision makers (``roles.ASSESS``). Case screens load the case through the
user-scoped selector first, so a case out of the user's reach is a 404 and its existence is not
revealed; someone who can see the case but is not a decision maker (a supervisor of the case's
team, say) gets a 403 page that says why.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from checkpoint import roles, services
from checkpoint.models import CaseState, MatchKind, OffenceClass, RuleOutcome
from checkpoint.permissions import Permission
from checkpoint.selectors import compliance as compliance_selectors
from checkpoint.selectors import custody as custody_selectors
from checkpoint.services import CaseError
from checkpoint.text import display_name
from custody.forms.assessment import (
    AnswerForm,
    AssessmentForm,
    CustodyFilterForm,
    DecisionForm,
    OfferForm,
    OverrideForm,
)
from custody.forms.case_open import CaseOpenForm
from web.next_steps import NextStep, NextStepMixin
from web.pagination import paginate
from web.submissions import SubmitOnceMixin
from web.views import CaseMixinBase, CaseServiceFormView, StaffMixin

PAGE_SIZE = 25
S = CaseState


REFUSAL = (
    "Opening a case, the eligibility assessment and the offer are recorded by decision makers only."
)


class DecisionMakerMixin(StaffMixin):
    """Screens without a case: signed-in decision makers only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(roles.ASSESS):
            raise PermissionDenied(REFUSAL)
        return super().dispatch(request, *args, **kwargs)


class CustodyCaseMixin(CaseMixinBase):
    """Case screens: 404 when out of reach, then 403 without ``ASSESS``, then the state check."""

    allowed_states: tuple[str, ...] = ()
    wrong_state_message = "There is nothing to record on this page for this case now."

    needs: Permission | None = Permission.RECORD_ASSESSMENT

    def get(self, request, *args, **kwargs):
        return self.check_state() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.check_state() or super().post(request, *args, **kwargs)

    def check_state(self):
        if not self.allowed_states or self.case.state in self.allowed_states:
            return None
        messages.info(self.request, self.wrong_state_message)
        return redirect(self.wrong_state_url())

    def wrong_state_url(self) -> str:
        return self.after_url()

    def after_url(self) -> str:
        """The case page while the user can still see the case, otherwise the custody list.

        A decision can take a case out of a decision maker's reach (they see custody-stage
        cases and the cases they opened), and the case page would then be a 404.
        """
        if custody_selectors.case_visible_to(self.request.user, self.case):
            return self.case_url()
        return reverse("custody:list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.case_url()
        return context


def _list_row(case, today) -> dict:
    return {"case": case, "next": _next_step(case), "deadline": case.deadline_status(today)}


def _next_step(case) -> tuple[str, str]:
    if case.state == S.ASSESSMENT and case.has_assessment:
        return "Decide eligibility", reverse("custody:assessment-result", args=[case.reference])
    if case.state == S.ASSESSMENT:
        return "Record the assessment", reverse("custody:assessment", args=[case.reference])
    if case.state == S.ELIGIBLE:
        return "Record the offer", reverse("custody:offer", args=[case.reference])
    return "Record the answer", reverse("custody:offer", args=[case.reference])


class CustodyListView(DecisionMakerMixin, TemplateView):
    """Custody-stage cases the decision maker can see, most recent arrest first."""

    template_name = "custody/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = CustodyFilterForm(self.request.GET or None)
        valid = filter_form.is_valid()
        state = filter_form.cleaned_data["state"] if valid else ""
        search = filter_form.cleaned_data["q"] if valid else ""
        cases = custody_selectors.custody_list_for(
            self.request.user, states=[state] if state else None, search=search
        )
        if filter_form.errors:  # a search that could not be read finds nothing
            cases = cases.none()
        paged = paginate(self.request, cases, PAGE_SIZE)
        today = timezone.localdate()
        context.update(
            paged,
            filter_form=filter_form,
            form=filter_form,  # the error summary and the "Error: " title read ``form``
            filtered=bool(state or (search and not search.empty) or filter_form.errors),
            rows=[_list_row(case, today) for case in paged["page"].object_list],
        )
        return context


class CaseOpenView(DecisionMakerMixin, SubmitOnceMixin, FormView):
    """Open a case: the person, contact details, the arrest and the offence on one page."""

    template_name = "custody/case_new.html"
    form_class = CaseOpenForm

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "offence_types": custody_selectors.offence_types_for(user),
            "teams": custody_selectors.teams_for(user),
            "now": timezone.now(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=reverse("custody:list"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data

        def save() -> tuple[str, str]:
            case = services.case_open(
                by=self.actor,
                person=form.person(),
                custody_reference=data["custody_reference"],
                arrested_at=form.arrested_at(),
                station=data["station"],
                offences=[form.offence()],
                team=data["team"],
                now=form.now,
            )
            matched = compliance_selectors.rearrest_kinds_for_new_case(self.actor, case)
            return (
                f"Case {case.reference} opened.{_rearrest_notice(matched)} "
                "Now record the eligibility assessment.",
                reverse("custody:assessment", args=[case.reference]),
            )

        try:
            return self.save_once(form, save)
        except CaseError as err:
            form.add_service_error(err)
            return self.form_invalid(form)
        except ValidationError as err:  # the service's Person.full_clean()
            form.add_model_errors(err)
            return self.form_invalid(form)


def _rearrest_notice(kinds: list[str]) -> str:
    """What custody is told when the person matched someone on a running contract (the
    navigator confirms it; custody learns nothing more about that case)."""
    if not kinds:
        return ""
    if MatchKind.EXACT in kinds:
        return (
            " This person is on an active Checkpoint contract (same PNC ID): their navigator "
            "and the team's supervisors have been alerted."
        )
    return (
        " This person may be on an active Checkpoint contract (same name and date of birth): "
        "their navigator and the team's supervisors have been alerted to check."
    )


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class AssessmentView(CustodyCaseMixin, CaseServiceFormView):
    """The facts of the eligibility assessment (a correction records a new assessment)."""

    template_name = "custody/assessment.html"
    form_class = AssessmentForm
    title = "Eligibility assessment"
    submit_label = "Save and see the result"
    success_message = "Assessment recorded"
    allowed_states = (S.ASSESSMENT,)
    wrong_state_message = "The eligibility decision has already been made for this case."

    @cached_property
    def offences(self):
        return custody_selectors.case_offences(self.request.user, self.case)

    @cached_property
    def previous(self):
        return custody_selectors.latest_assessment_for(self.request.user, self.case)

    def wrong_state_url(self) -> str:
        return reverse("custody:assessment-result", args=[self.case.reference])

    def get_initial(self):
        initial = super().get_initial()
        before = self.previous
        if before is not None:
            initial.update(
                evidential_test_met=_yes_no(before.evidential_test_met),
                admission=before.admission,
                previous_convictions=before.previous_convictions,
                custodial_sentence_likely=_yes_no(before.custodial_sentence_likely),
                risk_band=before.risk_band,
                risk_source=before.risk_source,
                risk_tool_score=before.risk_tool_score,
                dpp_consent=_yes_no(before.dpp_consent),
            )
        return initial

    def get_form_kwargs(self):
        needs_dpp = any(o.offence_class == OffenceClass.INDICTABLE_ONLY for o in self.offences)
        return {**super().get_form_kwargs(), "needs_dpp": needs_dpp}

    def get_context_data(self, **kwargs):
        return super().get_context_data(offences=self.offences, previous=self.previous, **kwargs)

    def get_success_url(self) -> str:
        return reverse("custody:assessment-result", args=[self.case.reference])

    def perform(self, form) -> None:
        services.assessment_record(case_id=self.case.pk, by=self.actor, **form.facts())


class AssessmentResultView(CustodyCaseMixin, CaseServiceFormView):
    """Every rule's result, an override form per failed overridable rule, and the decision."""

    needs = Permission.DECIDE_ELIGIBILITY

    template_name = "custody/assessment_result.html"
    title = "Eligibility result"
    next_url = None

    @cached_property
    def assessment(self):
        return custody_selectors.latest_assessment_for(self.request.user, self.case)

    @cached_property
    def rules(self) -> dict:
        return {rule.code: rule for rule in self.assessment.rule_list}

    @property
    def deciding(self) -> bool:
        return self.case.state == S.ASSESSMENT

    def check_state(self):
        if self.assessment is None:
            messages.info(self.request, "Record the eligibility assessment first.")
            return redirect("custody:assessment", self.case.reference)
        return None

    def get_form(self, form_class=None):
        post = self.request.method == "POST"
        if post and self.request.POST.get("action") == "override":
            return self._override_form(self.request.POST.get("rule", ""), bound=True)
        return self._decision_form(bound=post)

    def _bind(self, bound: bool) -> dict:
        return {"initial": self.get_initial(), "data": self.request.POST if bound else None}

    def _override_form(self, code: str, *, bound: bool) -> OverrideForm:
        rule = self.rules.get(code)
        form = OverrideForm(
            prefix=f"override-{code}",
            rule_label=rule.label if rule else "this rule",
            **self._bind(bound),
        )
        form.rule_code = code
        return self.with_token(form)

    def _decision_form(self, *, bound: bool) -> DecisionForm:
        return self.with_token(DecisionForm(prefix="decision", **self._bind(bound)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        rows = []
        policy = self.assessment.scheme_version.policy()
        for rule in self.assessment.rule_list:
            # The scheme profile says which rules no override may lift, and why.
            fixed = policy.why_fixed(rule.code) or (
                "" if rule.overridable else "the scheme profile fixes this rule."
            )
            override = None
            if self.deciding and rule.outcome == RuleOutcome.FAILED and not fixed:
                mine = isinstance(form, OverrideForm) and form.rule_code == rule.code
                override = form if mine else self._override_form(rule.code, bound=False)
            rows.append({"rule": rule, "form": override, "fixed": fixed})
        decision = form if isinstance(form, DecisionForm) else self._decision_form(bound=False)
        context.update(
            assessment=self.assessment,
            rows=rows,
            overridable=[row for row in rows if row["form"]],
            fixed_failures=[
                row["rule"].label
                for row in rows
                if row["fixed"] and row["rule"].outcome == RuleOutcome.FAILED
            ],
            decision_form=decision,
            deciding=self.deciding,
            blocking=[
                r.label for r in self.assessment.rule_list if r.outcome == RuleOutcome.FAILED
            ],
        )
        return context

    def get_success_url(self) -> str:
        return self.next_url or self.case_url()

    def perform(self, form) -> None:
        user, case = self.actor, self.case
        if isinstance(form, OverrideForm):
            services.assessment_override_rule(
                case_id=case.pk,
                by=user,
                code=form.rule_code,
                justification=form.cleaned_data["justification"],
            )
            self.success_message = f"'{self.rules[form.rule_code].label}' overridden"
            self.next_url = reverse("custody:assessment-result", args=[case.reference])
            return
        eligible = form.cleaned_data["decision"] == "eligible"
        services.assessment_decide(
            case_id=case.pk, by=user, eligible=eligible, reason=form.cleaned_data["reason"]
        )
        if eligible:
            self.success_message = "Recorded as eligible. Now record the offer."
            self.next_url = reverse("custody:offer", args=[case.reference])
        else:
            self.success_message = (
                f"{case.reference} recorded as not eligible: the normal criminal justice "
                "route applies."
            )
            self.next_url = self.after_url()


def _after_acceptance(navigator) -> NextStep:
    who = (
        f"{display_name(navigator)}, the navigator,"
        if navigator
        else "The team's supervisor allocates a navigator, who then"
    )
    return NextStep(
        f"{who} builds the contract with the person and signs it with them; the case leaves "
        "custody. You can open the next case.",
        "Open a new case",
        reverse("custody:case-new"),
    )


class OfferView(NextStepMixin, CustodyCaseMixin, CaseServiceFormView):
    """An eligible case: record the offer. An offered case: record the person's answer."""

    needs = Permission.MAKE_OFFER

    template_name = "custody/offer.html"
    allowed_states = (S.ELIGIBLE, S.OFFERED)
    next_url = None

    # These three depend on the case: properties over the bases' plain attributes (read, never
    # set), an override mypy refuses in general.
    @property
    def wrong_state_message(self) -> str:  # type: ignore[override]
        return f"There is no offer to record: this case is '{self.case.get_state_display()}'."

    @property
    def step(self) -> str:
        posted = self.request.POST.get("step") if self.request.method == "POST" else None
        if posted in ("offer", "answer"):
            return posted  # the form the user saw, even if the case moved on meanwhile
        return "offer" if self.case.state == S.ELIGIBLE else "answer"

    @property
    def title(self) -> str:  # type: ignore[override]  # see above
        return "Offer Checkpoint" if self.step == "offer" else "Record the person's answer"

    @property
    def submit_label(self) -> str:  # type: ignore[override]  # see above
        return "Record the offer" if self.step == "offer" else "Save the answer"

    def get_form_class(self):
        return OfferForm if self.step == "offer" else AnswerForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.step == "answer":
            kwargs["navigators"] = custody_selectors.navigators_for_case(
                self.request.user, self.case
            )
        return kwargs

    def get_success_url(self) -> str:
        return self.next_url or self.case_url()

    def perform(self, form) -> None:
        user, case = self.actor, self.case
        if isinstance(form, OfferForm):
            services.case_offer(case_id=case.pk, by=user)
            self.success_message = "Offer recorded. Now record the person's answer."
            self.next_url = reverse("custody:offer", args=[case.reference])
            return
        data = form.cleaned_data
        if data["answer"] == "accepted":
            services.offer_accept(case_id=case.pk, by=user, navigator=data["navigator"])
            self.success_message = f"{case.reference}: the person accepted the offer."
            self.next_step = _after_acceptance(data["navigator"])
        else:
            services.offer_decline(case_id=case.pk, by=user, reason=data["reason"])
            self.success_message = f"{case.reference}: the person declined the offer."
        self.next_url = self.after_url()
