"""Scans of the signed consent form: the page that lists and uploads them, and the download.

Both are case screens: the case comes through a user-scoped selector (404 when out of reach),
only roles that manage cases use them (403 otherwise), and ``CaseMixin`` logs each visit as a
consultation of the person's record (``AccessLog``, DPA 2018 s.62) before anything is shown,
so every download leaves a row naming who, whose record, which file (the path) and when.

A download is a consultation by a member of staff inside the service, like opening the case
page, not a disclosure to someone outside it: passing the scan on (to the CPS, to a court) goes
with the prosecution file, which asks for a recipient and a justification first.

The file is served as an attachment with the type its bytes showed when it was stored, never
rendered in the browser (``nosniff``), and never cached (``no-store``). No URL under /static/
or /media/ reaches it: it is stored outside both, with a random name. Before it is sent its
bytes are checked against the SHA-256 recorded at upload: a file changed or damaged on disk is
not sent, the user is told, and the error is logged for the administrators.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.generic import View

from checkpoint import services, uploads
from checkpoint.models import ConsentMethod
from checkpoint.selectors import case_get_for
from checkpoint.selectors import contract as contract_selectors
from navigators.forms.contract import ConsentDocumentForm
from web.views import CaseMixin, CaseServiceFormView

from .contract import ManageMixin

logger = logging.getLogger(__name__)


class ConsentDocumentsView(ManageMixin, CaseServiceFormView):
    """Lists the scans and uploads another: while recording consent is done on the consent
    page, this is where a scan is added afterwards (also once the contract is signed)."""

    form_class = ConsentDocumentForm
    template_name = "navigators/consent_documents.html"
    title = "Scans of the signed consent form"
    submit_label = "Upload the scan"
    success_message = "Scan of the signed consent form uploaded"

    def get_case(self):
        case = case_get_for(self.request.user, self.kwargs["reference"], related=("contract",))
        contract = getattr(case, "contract", None)
        if contract is not None:
            contract.consent_document_list = contract_selectors.consent_documents_of(contract)
        return case

    def get(self, request, *args, **kwargs):
        if getattr(self.case, "contract", None) is None:
            return redirect(self.case_url())  # no contract yet: nothing to attach a scan to
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("navigators:consent-documents", args=[self.case.reference])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = getattr(self.case, "contract", None)
        context.update(
            back_url=self.case_url(),
            contract=contract,
            scans=contract.consent_document_list if contract else [],
            paper=contract is not None and contract.consent_method == ConsentMethod.PAPER_SIGNED,
        )
        return context

    def perform(self, form) -> None:
        services.consent_document_add(
            case_id=self.case.pk, by=self.actor, upload=form.cleaned_data["scan"]
        )


class ConsentDocumentDownloadView(ManageMixin, CaseMixin, View):
    """One scan, as an attachment (GET only: anything else is 405).

    The scan is looked up with the case, before the role and the method are checked: a scan of
    another case under this reference is 404 for everyone, whatever they may do with this case.
    """

    def get_case(self):
        case = super().get_case()
        self.document = contract_selectors.consent_document_get_for(
            self.request.user, case, self.kwargs["pk"]
        )
        return case

    def get(self, request, *args, **kwargs):
        document = self.document
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404("Document not found") from None
        if not uploads.digest_matches(handle, document.sha256):
            handle.close()
            logger.error(
                "consent document %s of case %s does not match its SHA-256: not sent",
                document.pk,
                self.case.pk,
            )
            return render(
                request,
                "navigators/consent_document_damaged.html",
                {"case": self.case, "document": document},
                status=500,
            )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_filename,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path(
        "cases/<str:reference>/contract/consent/scans/",
        ConsentDocumentsView.as_view(),
        name="consent-documents",
    ),
    path(
        "cases/<str:reference>/contract/consent/scans/<int:pk>/",
        ConsentDocumentDownloadView.as_view(),
        name="consent-document",
    ),
]
