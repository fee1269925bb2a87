"""Email the participant a copy of their signed contract, with their consent (issue 18): the
consent is recorded with who and when, and the email goes through the outbox (GOV.UK Notify's
file sending: a link, the address confirmed before download, kept for a set number of days)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import path, reverse

from checkpoint import services
from checkpoint.models import Language
from checkpoint.selectors import case_get_for
from checkpoint.selectors import contract as contract_selectors
from navigators.forms.contract_copy import ContractCopyForm
from web.views import CaseServiceFormView

from .contract import ManageMixin


class ContractCopyView(ManageMixin, CaseServiceFormView):
    form_class = ContractCopyForm
    template_name = "navigators/contract_copy.html"
    title = "Email the participant their signed contract"
    submit_label = "Send the copy"

    def get_case(self):
        case = case_get_for(self.request.user, self.kwargs["reference"], related=("contract",))
        contract = getattr(case, "contract", None)
        self.scans = contract_selectors.consent_documents_of(contract) if contract else []
        return case

    def get(self, request, *args, **kwargs):
        contract = getattr(self.case, "contract", None)
        if contract is None or contract.signed_at is None or not self.scans:
            return redirect(self.get_success_url())  # nothing signed and scanned to send
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "email": self.case.person.email}

    def get_success_url(self) -> str:
        return reverse("navigators:consent-documents", args=[self.case.reference])

    def get_success_message(self) -> str:
        return (
            f"The signed contract will be emailed to {self.sent_to} in the next few minutes. "
            "They must type their email address to open it."
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            scan=self.scans[-1] if self.scans else None,
            retention_days=settings.NOTIFY_FILE_RETENTION_DAYS,
            language=Language(self.case.person.preferred_language).label,
        )
        return context

    def perform(self, form) -> None:
        self.sent_to = form.cleaned_data["email"]
        services.contract_copy_send(
            case_id=self.case.pk,
            by=self.actor,
            email=form.cleaned_data["email"],
            consent=form.cleaned_data["consent"],
        )


urlpatterns = [
    path(
        "cases/<str:reference>/contract/copy/",
        ContractCopyView.as_view(),
        name="contract-copy",
    ),
]
