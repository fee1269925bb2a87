"""Allocation and handover screens: a supervisor gives the team's cases to its navigators.

- ``AllocateView``: pick one or many of the team's open cases (or arrive with them ticked on the
  dashboard's "Not allocated" list), then the navigator, each shown with their workload.
- ``CaseAllocateView``: the same for one case, from the case page.
- ``HandoverView``: a navigator's whole open caseload handed to one navigator or shared between
  several, with a check page saying how many cases move to whom, then ``HandoverDoneView``.

Each calls one service (``case_allocate``, ``caseload_handover``), which checks the team and
writes each case's allocation history; each saving form carries a one-time token, so Back and
resubmit allocates nothing twice.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from checkpoint import access, permissions, services
from checkpoint.handover import share_out
from checkpoint.models import Team
from checkpoint.permissions import Permission
from checkpoint.selectors import allocation as selectors
from checkpoint.services import CaseError
from checkpoint.services.allocation import ALLOCATABLE_STATES
from checkpoint.text import display_name
from web.pagination import paginate
from web.params import query_id
from web.submissions import SubmitOnceMixin
from web.views import CaseServiceFormView, StaffMixin

from . import allocation_forms as forms

PAGE_SIZE = 50
DONE_KEY = "supervisors.handover_done"  # the session's record of the last handover's result


def _cases(n: int) -> str:
    return f"{n} case{'' if n == 1 else 's'}"


class TeamScreenMixin(StaffMixin):
    """A team screen: 403 with the rule's refusal for a role that may not use it."""

    needs: Permission

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.allows(request.user, self.needs):
            raise PermissionDenied(permissions.refusal(request.user, self.needs))
        return super().dispatch(request, *args, **kwargs)

    def team(self) -> Team | None:
        team_id = access.supervised_team_id(self.request.user)
        return Team.objects.filter(pk=team_id).first() if team_id else None

    def navigators(self) -> list:
        return selectors.allocation_navigators_for(self.request.user, now=timezone.now())


class AllocateView(TeamScreenMixin, SubmitOnceMixin, FormView):
    """Choose cases (GET ``?case=REF&case=REF``), then the navigator; POST allocates them."""

    needs = Permission.ALLOCATE
    template_name = "supervisors/allocation_form.html"
    form_class = forms.AllocationForm

    def dispatch(self, request, *args, **kwargs):
        chosen = request.POST.getlist("cases") if request.method == "POST" else []
        self.cases = selectors.allocatable_cases_for(
            request.user, chosen or request.GET.getlist("case")
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.cases:
            return self.render_to_response(self.selection_context())
        return super().get(request, *args, **kwargs)

    def selection_context(self) -> dict:
        """The team's open cases to tick, filtered by navigator (``?from=``)."""
        navigators = self.navigators()
        ids = {n.pk for n in navigators}
        chosen = query_id(self.request.GET, "from")
        navigator_id = chosen if chosen in ids else None
        cases = selectors.team_open_cases_for(self.request.user, navigator_id=navigator_id)
        self.template_name = "supervisors/allocation_select.html"
        return {
            **paginate(self.request, cases, PAGE_SIZE),
            "view": self,
            "navigators": navigators,
            "navigator_id": navigator_id,
            # The "Continue" button was pressed with nothing ticked.
            "nothing_ticked": "selected" in self.request.GET,
            "asked": len(self.request.GET.getlist("case")),
        }

    def get_form_kwargs(self):
        team = self.team()
        return {
            **super().get_form_kwargs(),
            "cases": self.cases,
            "navigators": self.navigators(),
            "team_name": team.name if team else "",
        }

    def get_initial(self):
        return {**super().get_initial(), "cases": [c.reference for c in self.cases]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asked = len(self.request.GET.getlist("case"))
        context.update(
            cases=self.cases,
            reallocating=any(c.navigator_id for c in self.cases),
            left_out=max(asked - len(self.cases), 0),
            title=f"Allocate {_cases(len(self.cases))}",
            submit_label="Allocate",
            back_url=reverse("supervisors:dashboard"),
        )
        return context

    def form_valid(self, form):
        navigator = _chosen(form, self.navigators())

        def save() -> tuple[str, str]:
            cases = services.case_allocate(
                case_ids=[c.pk for c in self.cases if c.reference in form.cleaned_data["cases"]],
                by=self.actor,
                navigator=navigator,
                reason=form.cleaned_data["reason"],
            )
            name = display_name(navigator)
            if len(cases) == 1:
                message = f"{cases[0].reference} allocated to {name}: it is on their caseload now"
            else:
                message = (
                    f"{_cases(len(cases))} allocated to {name}: they are on their caseload now"
                )
            return message, reverse("supervisors:dashboard")

        try:
            return self.save_once(form, save)
        except CaseError as err:
            form.add_service_error(err)
            return self.form_invalid(form)


def _chosen(form, navigators):
    return next(n for n in navigators if n.pk == form.cleaned_data["navigator"])


class CaseAllocateView(CaseServiceFormView):
    """Allocate or reallocate one case, from its page."""

    needs = Permission.ALLOCATE
    template_name = "supervisors/allocation_form.html"
    form_class = forms.CaseAllocationForm
    case_related = ("team", "navigator", "person")

    def get(self, request, *args, **kwargs):
        if not self.allocatable():
            return self.not_allocatable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.allocatable():
            return self.not_allocatable()
        return super().post(request, *args, **kwargs)

    def allocatable(self) -> bool:
        return self.case.state in ALLOCATABLE_STATES

    def not_allocatable(self):
        messages.info(
            self.request,
            f"This case is '{self.case.get_state_display()}': only cases accepted onto the "
            "scheme and still open are allocated.",
        )
        return redirect(self.case_url())

    def navigators(self) -> list:
        return selectors.allocation_navigators_for(
            self.request.user, now=timezone.now(), case=self.case
        )

    def get_form_kwargs(self):
        self.team_navigators = self.navigators()
        return {
            **super().get_form_kwargs(),
            "navigators": self.team_navigators,
            "team_name": self.case.team.name,
            "current_id": self.case.navigator_id,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reallocating = bool(self.case.navigator_id)
        context.update(
            cases=[self.case],
            reallocating=reallocating,
            title="Reallocate the case" if reallocating else "Allocate the case",
            submit_label="Reallocate" if reallocating else "Allocate",
        )
        return context

    def perform(self, form) -> None:
        navigator = _chosen(form, self.team_navigators)
        services.case_allocate(
            case_ids=[self.case.pk],
            by=self.actor,
            navigator=navigator,
            reason=form.cleaned_data["reason"],
        )
        self.success_message = (
            f"Case allocated to {display_name(navigator)}: it is on their caseload now"
        )


class HandoverView(TeamScreenMixin, SubmitOnceMixin, FormView):
    """Choose the navigator (GET ``?navigator=``), how their cases are handed on and why; POST
    shows the check page (how many cases move to whom); POST ``confirmed`` hands them over."""

    needs = Permission.HAND_OVER_CASELOAD
    template_name = "supervisors/allocation_handover.html"
    form_class = forms.HandoverForm

    @cached_property
    def team_navigators(self) -> list:
        return super().navigators()

    def navigators(self) -> list:
        return self.team_navigators

    def get(self, request, *args, **kwargs):
        choose = forms.HandoverChooseForm(
            request.GET if "navigator" in request.GET else None, navigators=self.navigators()
        )
        if not choose.is_valid():
            self.template_name = "supervisors/allocation_handover_choose.html"
            return self.render_to_response({"view": self, "form": choose})
        self.load(choose.cleaned_data["navigator"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        navigator_id = query_id(request.POST, "navigator")
        if navigator_id is None or not self.load(navigator_id):
            return redirect("supervisors:handover")
        return super().post(request, *args, **kwargs)

    def load(self, navigator_id: int) -> bool:
        found = selectors.handover_caseload_for(self.request.user, navigator_id)
        if found is None:
            return False
        self.leaving, self.cases = found
        return True

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "navigators": self.navigators(),
            "leaving": self.leaving,
        }

    def get_initial(self):
        return {
            **super().get_initial(),
            "navigator": self.leaving.pk,
            "expected": _ids(self.cases),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(leaving=self.leaving, cases=self.cases)
        return context

    def plan(self, form) -> dict[int, int]:
        """Each open case's id -> the id of the navigator it goes to."""
        loads = {n.pk: n.open_cases for n in self.navigators()}
        receivers = {pk: loads[pk] for pk in form.receivers() if pk in loads}
        return share_out([c.pk for c in self.cases], receivers)

    def form_valid(self, form):
        if "change" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        plan = self.plan(form)
        if "confirmed" not in self.request.POST:
            return self.check_page(form, plan, changed=False)

        def save() -> tuple[str, str]:
            # Checked after the form's token is claimed, so that a second submission of the
            # check page is told it was saved rather than that the caseload changed.
            if form.cleaned_data["expected"] != _ids(self.cases):
                raise CaseloadChanged
            moved = services.caseload_handover(
                by=self.actor,
                from_navigator=self.leaving,
                assignments={case_id: self.navigator(pk) for case_id, pk in plan.items()},
                reason=form.cleaned_data["reason"],
            )
            self.request.session[DONE_KEY] = self.summary(plan, form, moved)
            name = display_name(self.leaving)
            return f"{_cases(moved)} handed over from {name}", reverse("supervisors:handover-done")

        try:
            return self.save_once(form, save)
        except CaseloadChanged:
            return self.check_page(form, plan, changed=True)
        except CaseError as err:
            form.add_service_error(err)
            return self.form_invalid(form)

    def navigator(self, pk: int):
        return next(n for n in self.navigators() if n.pk == pk)

    def receiving(self, plan: dict[int, int]) -> list[dict]:
        """Each receiving navigator, the cases they get and their open cases afterwards."""
        rows = []
        for navigator in self.navigators():
            given = [c for c in self.cases if plan.get(c.pk) == navigator.pk]
            if given:
                rows.append(
                    {
                        "name": display_name(navigator),
                        "cases": given,
                        "count": len(given),
                        "after": navigator.open_cases + len(given),
                    }
                )
        return rows

    def check_page(self, form, plan: dict[int, int], *, changed: bool):
        if not self.cases:
            form.add_error(None, f"{display_name(self.leaving)} has no open cases to hand over")
            return self.form_invalid(form)
        if changed:  # shown again with the caseload as it is now
            form.data = data = form.data.copy()
            data["expected"] = _ids(self.cases)
        self.template_name = "supervisors/allocation_handover_check.html"
        context = self.get_context_data(form=form)
        context.update(receiving=self.receiving(plan), changed=changed)
        return self.render_to_response(context)

    def summary(self, plan: dict[int, int], form, moved: int) -> dict:
        return {
            "from": display_name(self.leaving),
            "from_id": self.leaving.pk,
            "to_ids": sorted(set(plan.values())),
            "moved": moved,
            "reason": form.cleaned_data["reason"],
            "to": [
                {"name": r["name"], "count": r["count"], "after": r["after"]}
                for r in self.receiving(plan)
            ],
        }


class CaseloadChanged(Exception):
    """The leaving navigator's open cases are not those the check page showed."""


def _ids(cases) -> str:
    return ",".join(str(c.pk) for c in sorted(cases, key=lambda c: c.pk))


class HandoverDoneView(TeamScreenMixin, TemplateView):
    """What the last handover did, and what to do next."""

    needs = Permission.HAND_OVER_CASELOAD
    template_name = "supervisors/allocation_handover_done.html"

    def get(self, request, *args, **kwargs):
        if DONE_KEY not in request.session:
            return redirect("supervisors:handover")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "done": self.request.session[DONE_KEY]}


urlpatterns = [
    path("allocate/", AllocateView.as_view(), name="allocate"),
    path("cases/<str:reference>/allocate/", CaseAllocateView.as_view(), name="case-allocate"),
    path("handover/", HandoverView.as_view(), name="handover"),
    path("handover/done/", HandoverDoneView.as_view(), name="handover-done"),
]
