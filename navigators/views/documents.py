"""The participant's documents a navigator prints or downloads: the contract (to sign, and
the signed one), an appointment letter and a warning letter.

Each is a ``web.documents.DocumentView``: in the person's language, logged as a disclosure
before it opens, printable and downloadable as a PDF made from the same template.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

from django.urls import path, reverse

from checkpoint.models import CaseState, DisclosureKind
from checkpoint.selectors import documents as selectors
from web.documents import DocumentView

from .contract import is_draft


class ContractDocumentView(DocumentView):
    """The contract: a draft's, with the start date proposed on the check page
    (``?starts_on=YYYY-MM-DD``), or the signed contract's."""

    document_name = "contract"
    document = "contract"
    disclosure_kind = DisclosureKind.CONTRACT
    disclosure_hints = {
        "justification": "The purpose, for example 'the participant's copy to read and sign'"
    }
    disclosure_title = "Before you print the contract"

    def proposed_start(self) -> date | None:
        try:
            return date.fromisoformat(self.request.GET.get("starts_on", ""))
        except ValueError:
            return None

    def unavailable(self) -> str | None:
        contract = getattr(self.case, "contract", None)
        if contract is None:
            return "There is no contract for this case yet: start it from the contract page."
        if contract.signed_at is None and not is_draft(self.case):
            return "This contract was never signed, so there is nothing to print."
        if contract.signed_at is None and self.proposed_start() is None:
            return "Choose the contract's start date before printing it."
        return None

    def document_id(self) -> str:
        contract = self.case.contract
        if contract.signed_at is None:
            return f"draft starting {self.proposed_start():%-d %B %Y}"
        return ""

    def back_url(self) -> str:
        if is_draft(self.case):
            return reverse("navigators:contract", args=[self.case.reference])
        return self.case_url()

    def document_context(self) -> dict:
        return {"terms": selectors.contract_terms(self.case, starts_on=self.proposed_start())}


class AppointmentLetterView(DocumentView):
    """The letter telling the participant about a booked appointment."""

    document_name = "appointment_letter"
    document = "appointment letter"
    disclosure_kind = DisclosureKind.APPOINTMENT_LETTER
    disclosure_hints = {"justification": "The purpose, for example 'to tell them the time'"}
    disclosure_title = "Before you print the appointment letter"

    def document_id(self) -> str:
        return f"appointment {self.kwargs['pk']}"

    @cached_property
    def appointment(self):
        return selectors.appointment_for_letter(self.case, self.kwargs["pk"])

    def unavailable(self) -> str | None:
        return selectors.appointment_letter_refusal(self.appointment)

    def document_context(self) -> dict:
        appointment = self.appointment
        referral = appointment.referral
        return {
            "appointment": appointment,
            "provider_name": referral.provider.name if referral is not None else "",
            # Signed by the case's navigator, whoever prints it.
            "signatory": selectors.navigator_contact(self.case),
        }


class WarningLetterView(DocumentView):
    """The letter confirming a formal warning (the latest, or ``?warning=<id>``)."""

    document_name = "warning_letter"
    document = "warning letter"
    disclosure_kind = DisclosureKind.WARNING_LETTER
    disclosure_hints = {"justification": "The purpose, for example 'written record of a warning'"}
    disclosure_title = "Before you print the warning letter"

    @cached_property
    def warning(self):
        asked = self.request.GET.get("warning", "")
        return selectors.warning_for_letter(self.case, int(asked) if asked.isdigit() else None)

    def document_id(self) -> str:
        return f"warning {self.warning.pk}"

    def unavailable(self) -> str | None:
        if self.case.state not in (CaseState.ACTIVE, CaseState.BREACH_REVIEW):
            return "A warning letter is for a contract that is running."
        if not self.case.warnings.exists():
            return "No warning has been given on this case."
        return None

    def document_context(self) -> dict:
        warning = self.warning
        return {
            "warning": warning,
            "events": list(warning.events.all()),
            "terms": selectors.contract_terms(self.case),
            "letter_date": warning.issued_on,
            "signatory": selectors.staff_contact(warning.issued_by, self.case, "navigator"),
        }


def _case_path(route: str, view, name: str):
    return path(f"cases/<str:reference>/{route}", view.as_view(), name=name)


urlpatterns = [
    _case_path("contract/document/", ContractDocumentView, "contract-document"),
    _case_path("appointments/<int:pk>/letter/", AppointmentLetterView, "appointment-letter"),
    _case_path("warnings/letter/", WarningLetterView, "warning-letter"),
]
