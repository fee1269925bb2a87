"""View building blocks shared by the staff apps (navigators, supervisors).

A case view gets its case through a user-scoped selector (404 when out of reach), logs the
consultation, binds a form, calls one service and redirects (POST-redirect-GET). A
``CaseError`` becomes a form error; nothing the user typed is lost.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from checkpoint import selectors
from checkpoint.models import Case
from checkpoint.services import CaseError, StaleEdit

from .forms import GovUKForm

logger = logging.getLogger(__name__)


class CaseMixin(LoginRequiredMixin):
    """Loads ``self.case`` for the user and logs the consultation.

    A case out of the user's reach is 404 (its existence is not revealed). A case they can see
    on a screen their role may not use is 403 with ``permission_reason`` (rendered by 403.html),
    decided before anything is shown or logged.
    """

    case_related: tuple[str, ...] = ()
    required_permission: str = ""
    permission_reason = "Your role does not allow you to use this page."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "\x00" in kwargs.get("reference", ""):
            # No reference holds NUL, and PostgreSQL refuses it in a query (a 500, not a 404).
            raise Http404("Case not found")
        self.case = self.get_case()
        if self.required_permission and not request.user.has_perm(self.required_permission):
            raise PermissionDenied(self.permission_reason)
        selectors.log_access(
            user=request.user,
            case=self.case,
            path=request.path,
            page=request.resolver_match.view_name,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_case(self) -> Case:
        return selectors.case_get_for(
            self.request.user, self.kwargs["reference"], related=self.case_related
        )

    def case_url(self) -> str:
        return reverse("navigators:case", args=[self.case.reference])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["case"] = self.case
        return context


class CaseForm(GovUKForm):
    """A form that edits a case: carries the case version it was opened at."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    opened_at = forms.DateTimeField(widget=forms.HiddenInput)


class CaseServiceFormView(CaseMixin, FormView):
    """GET shows the form; POST validates, calls ``perform()`` (one service), redirects."""

    template_name = "navigators/form_page.html"
    title = ""
    submit_label = "Save"
    success_message = "Saved"

    def get_initial(self):
        return {
            **super().get_initial(),
            "lock_version": self.case.lock_version,
            "opened_at": timezone.now(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title, submit_label=self.submit_label, back_url=self.get_success_url()
        )
        return context

    def get_success_url(self) -> str:
        return self.case_url()

    def perform(self, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self._check_not_stale(form)
                self.perform(form)
        except CaseError as err:
            form.add_service_error(err)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def _check_not_stale(self, form) -> None:
        """Optimistic locking: refuse an edit of a case that changed since the form opened."""
        if not isinstance(form, CaseForm):
            return
        current = selectors.case_lock_version_locked(self.case.pk)
        if current == form.cleaned_data["lock_version"]:
            return
        changes = selectors.changes_since(self.case.pk, form.cleaned_data["opened_at"])
        form.data = form.data.copy()
        form.data["lock_version"] = current  # resubmitting now applies to the current case
        form.data["opened_at"] = timezone.now().isoformat()
        listed = (
            "; ".join(f"{c.title} ({c.by}, {timezone.localtime(c.at):%H:%M})" for c in changes[:5])
            or "its details were updated"
        )
        raise StaleEdit(
            f"This case changed since you opened this page: {listed}. "
            "Check the case, then save again if your change still applies."
        )
