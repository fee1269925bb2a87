"""The access screens (four eyes on access): administrators ask for changes to a member of
staff's roles or team, or for their authenticator app to be replaced; another administrator
approves or rejects. The rules are ``checkpoint.services.access_requests``; these views read
through ``checkpoint.selectors.access_requests`` and call one service each."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from checkpoint import roles
from checkpoint.errors import CaseError, NotFound
from checkpoint.models import AccessRequestKind, Team
from checkpoint.selectors.access_requests import (
    access_log_for,
    account_for,
    accounts_for,
    pending_requests_for,
    recent_requests_for,
    request_for,
    require_access_manager,
    team_of,
)
from checkpoint.services import (
    access_change_request,
    access_request_approve,
    access_request_reject,
    authenticator_reset_request,
)
from checkpoint.services.access_requests import enrolment_link_hours, request_expiry_hours

from .forms import GovUKCheckboxSelectMultiple, GovUKForm, GovUKRadioSelect
from .next_steps import NextStep, show_next_step
from .pagination import paginate

PAGE_SIZE = 50
NO_TEAM = "none"


class ReasonField(forms.CharField):
    def __init__(self, *, label: str, required_message: str, **kwargs):
        super().__init__(
            label=label,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "required": required_message,
                "max_length": "The reason must be 2,000 characters or fewer",
            },
            **kwargs,
        )


class ChangeForm(GovUKForm):
    roles = forms.MultipleChoiceField(
        label="Roles",
        required=False,
        help_text="Tick every role the person should hold after the change",
        choices=[(r, r) for r in roles.ALL_ROLES],
        widget=GovUKCheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select roles from the list"},
    )
    team = forms.ChoiceField(
        label="Team",
        help_text="Navigators and supervisors reach cases through their team",
        widget=GovUKRadioSelect,
        error_messages={"required": "Select a team, or no team", "invalid_choice": "Select a team"},
    )
    reason = ReasonField(
        label="Why is this change needed?",
        required_message="Enter why this change is needed",
        help_text="For example: joined the Durham North team as a navigator on 1 December",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(t.pk), t.name) for t in Team.objects.all()] + [
            (NO_TEAM, "No team")
        ]

    def team_value(self) -> Team | None:
        value = self.cleaned_data["team"]
        return None if value == NO_TEAM else Team.objects.get(pk=int(value))


class ResetForm(GovUKForm):
    reason = ReasonField(
        label="Why does the authenticator app need replacing?",
        required_message="Enter why the authenticator app needs replacing",
        help_text="For example: work phone lost on 3 December, reported to IT",
    )


class RejectForm(GovUKForm):
    reason = ReasonField(
        label="Why are you rejecting this request?",
        required_message="Enter why you are rejecting this request",
    )


class _AccessView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_access_manager(request.user)
        return super().dispatch(request, *args, **kwargs)


class RequestListView(_AccessView):
    """Requests waiting for approval, the latest decided, and the latest audit rows."""

    def get(self, request):
        context = {
            "pending": list(pending_requests_for(request.user)),
            "recent": recent_requests_for(request.user),
            "events": access_log_for(request.user, limit=20),
            "expiry_hours": request_expiry_hours(),
        }
        return render(request, "access/list.html", context)


class AccountListView(_AccessView):
    def get(self, request):
        # Printable characters only (a NUL would be refused by PostgreSQL), at most 100.
        search = "".join(c for c in request.GET.get("q", "") if c.isprintable())[:100]
        accounts = accounts_for(request.user, search=search)
        context = {**paginate(request, accounts, PAGE_SIZE), "search": search}
        return render(request, "access/accounts.html", context)


def _roles_of(account) -> list[str]:
    return sorted(g.name for g in account.groups.all())


class ChangeView(_AccessView):
    """Ask for a change of one account's roles or team."""

    template_name = "access/change.html"

    def _render(self, request, account, form):
        context = {
            "account": account,
            "form": form,
            "current_roles": _roles_of(account),
            "current_team": team_of(account),
            "expiry_hours": request_expiry_hours(),
        }
        return render(request, self.template_name, context)

    def get(self, request, pk: int):
        account = account_for(request.user, pk)
        team = team_of(account)
        form = ChangeForm(
            initial={"roles": _roles_of(account), "team": str(team.pk) if team else NO_TEAM}
        )
        return self._render(request, account, form)

    def post(self, request, pk: int):
        account = account_for(request.user, pk)
        form = ChangeForm(request.POST)
        if form.is_valid():
            try:
                made = access_change_request(
                    by=request.user,
                    user_id=account.pk,
                    roles_wanted=form.cleaned_data["roles"],
                    team=form.team_value(),
                    reason=form.cleaned_data["reason"],
                )
            except CaseError as err:
                form.add_service_error(err)
            else:
                _announce(request, made)
                return redirect("access:request", pk=made.pk)
        return self._render(request, account, form)


class ResetView(_AccessView):
    """Ask for one account's authenticator app to be replaced."""

    template_name = "access/reset.html"

    def get(self, request, pk: int):
        account = account_for(request.user, pk)
        return render(request, self.template_name, {"account": account, "form": ResetForm()})

    def post(self, request, pk: int):
        account = account_for(request.user, pk)
        form = ResetForm(request.POST)
        if form.is_valid():
            try:
                made = authenticator_reset_request(
                    by=request.user, user_id=account.pk, reason=form.cleaned_data["reason"]
                )
            except CaseError as err:
                form.add_service_error(err)
            else:
                _announce(request, made)
                return redirect("access:request", pk=made.pk)
        return render(request, self.template_name, {"account": account, "form": form})


def _announce(request, made) -> None:
    who = made.user.get_username()
    if made.status == "applied":
        messages.success(request, f"Access reduced for {who}")
        show_next_step(
            request,
            NextStep(
                "The change applied at once: it only takes access away, so it needs no "
                "approval. It is recorded in the access log."
            ),
        )
        return
    messages.success(request, f"Request made for {who}")
    expires = timezone.localtime(made.expires_at)
    show_next_step(
        request,
        NextStep(
            "Nothing has changed yet. Another administrator must approve this request before "
            f"{expires:%-d %B %Y at %H:%M}; after that it lapses. You cannot approve it "
            "yourself."
        ),
    )


@method_decorator(never_cache, name="dispatch")
class RequestView(_AccessView):
    """One request: what it changes, its trail, and approve or reject for a second
    administrator. The enrolment link an approval issues is shown on this response only."""

    template_name = "access/request.html"

    def _render(self, request, found, reject_form, **extra):
        if found.request.requested_by_id == request.user.pk:
            reject_form.fields["reason"].label = "Why are you withdrawing this request?"
        context = {
            "item": found.request,
            "events": found.events,
            "reject_form": reject_form,
            "own": found.request.requested_by_id == request.user.pk,
            "open": found.request.status == "pending" and not found.request.is_expired(),
            "reset": found.request.kind == AccessRequestKind.RESET_AUTHENTICATOR,
            **extra,
        }
        return render(request, self.template_name, context)

    def get(self, request, pk: int):
        return self._render(request, request_for(request.user, pk), RejectForm())

    def post(self, request, pk: int):
        found = request_for(request.user, pk)
        reject_form = RejectForm()
        if request.POST.get("action") == "approve":
            try:
                decision = access_request_approve(by=request.user, request_id=found.request.pk)
            except CaseError as err:
                if isinstance(err, NotFound):
                    raise
                return self._render(request, found, reject_form, problem=err.message)
            found = request_for(request.user, pk)
            link = None
            if decision.enrolment_token:
                link = request.build_absolute_uri(
                    reverse("mfa-enrol", args=[decision.enrolment_token])
                )
            return self._render(
                request,
                found,
                reject_form,
                approved=True,
                enrolment_link=link,
                link_expires_at=decision.link_expires_at,
                link_hours=enrolment_link_hours(),
            )
        reject_form = RejectForm(request.POST)
        if reject_form.is_valid():
            try:
                access_request_reject(
                    by=request.user,
                    request_id=found.request.pk,
                    reason=reject_form.cleaned_data["reason"],
                )
            except CaseError as err:
                reject_form.add_service_error(err)
            else:
                messages.success(request, "Request rejected")
                show_next_step(
                    request,
                    NextStep(
                        "Nothing was changed. The administrator who asked can see your reason "
                        "here, and make a new request if the change is still needed."
                    ),
                )
                return redirect("access:request", pk=pk)
        return self._render(request, found, reject_form)
