"""View building blocks shared by the staff apps (navigators, supervisors).

A case view gets its case through a user-scoped selector (404 when out of reach), logs the
consultation, binds a form, calls one service and redirects (POST-redirect-GET). A
``CaseError`` becomes a form error; nothing the user typed is lost.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView

from checkpoint import permissions, selectors, services
from checkpoint.models import Case
from checkpoint.permissions import Permission
from checkpoint.services import CaseError, StaleEdit

from .forms import GovUKForm
from .submissions import SubmitOnceMixin

logger = logging.getLogger(__name__)


class StaffMixin(LoginRequiredMixin):
    """A screen for signed-in staff; ``actor`` is who acts in the services the view calls."""

    request: HttpRequest  # set by ``View.setup``

    @property
    def actor(self) -> User:
        """The signed-in member of staff, who acts in the services this view calls.

        ``dispatch`` has sent anyone not signed in to the sign-in page; this refuses them as
        well, should a method be reached another way."""
        user = self.request.user
        if not user.is_authenticated:
            raise PermissionDenied("Sign in to do this.")
        return user


class CaseMixin(StaffMixin):
    """Loads ``self.case`` for the user and logs the consultation.

    A case out of the user's reach is 404 (its existence is not revealed). A case they can see
    on a screen for a write their role may not perform (``needs``, a rule of
    ``checkpoint.permissions``) is 403 with that rule's refusal (rendered by 403.html), decided
    before anything is shown or logged. The service checks again: this check is for the screen.
    """

    case_related: tuple[str, ...] = ()
    needs: Permission | None = None
    # Set by the view (``View.setup``) and by ``dispatch``.
    kwargs: dict[str, Any]
    case: Case

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "\x00" in kwargs.get("reference", ""):
            # No reference holds NUL, and PostgreSQL refuses it in a query (a 500, not a 404).
            raise Http404("Case not found")
        self.case = self.get_case()
        if self.needs is not None and not permissions.allows(request.user, self.needs):
            raise PermissionDenied(permissions.refusal(request.user, self.needs))
        services.consultation_record(
            by=self.actor,
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


if TYPE_CHECKING:
    # A mixin for case views is checked as the ``CaseMixin`` it is combined with; at run time
    # it is a plain class, so the view's own bases decide the method order.
    CaseMixinBase = CaseMixin
else:
    CaseMixinBase = object


class CaseForm(GovUKForm):
    """A form that edits a case: carries the case version it was opened at."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    opened_at = forms.DateTimeField(widget=forms.HiddenInput)


class CaseServiceFormView(CaseMixin, SubmitOnceMixin, FormView):
    """GET shows the form; POST validates, calls ``perform()`` (one service), redirects; a
    second submission of the same form saves nothing (``SubmitOnceMixin``)."""

    template_name = "web/form_page.html"
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
        def save() -> tuple[str, str]:
            self._check_not_stale(form)
            self.perform(form)
            return self.get_success_message(), self.get_success_url()

        try:
            return self.save_once(form, save)
        except CaseError as err:  # a refusal becomes a 403/404 page (add_service_error)
            form.add_service_error(err)
            return self.form_invalid(form)

    def get_success_message(self) -> str:
        return self.success_message

    def _check_not_stale(self, form) -> None:
        """Optimistic locking: refuse an edit of a case that changed since the form opened
        (``services.case_lock_expecting``), keeping what was typed, so that resubmitting
        applies to the case as it is now."""
        if not isinstance(form, CaseForm):
            return
        try:
            services.case_lock_expecting(
                case_id=self.case.pk,
                by=self.actor,
                version=form.cleaned_data["lock_version"],
                opened_at=form.cleaned_data["opened_at"],
            )
        except StaleEdit as stale:
            # Bound to request.POST, a QueryDict (django-stubs types a form's data as a Mapping).
            form.data = data = cast(QueryDict, form.data).copy()
            data["lock_version"] = str(stale.current_version)
            data["opened_at"] = timezone.now().isoformat()
            raise
