"""Navigator screens. Case URLs use the case reference (CP-XXXX-XXXX).

Each views module owns its ``urlpatterns``; this file only puts them together.
"""

from django.urls import path

from navigators.views import (
    caseload,
    compliance,
    consent,
    contract,
    contract_copy,
    corrections,
    diary,
    directory,
    documents,
    history,
    needs,
    rearrest,
    supervision,
)

app_name = "navigators"

urlpatterns = [
    path("caseload/", caseload.CaseloadView.as_view(), name="caseload"),
    path("cases/<str:reference>/", caseload.CaseDetailView.as_view(), name="case"),
    *needs.urlpatterns,
    *contract.urlpatterns,
    *consent.urlpatterns,
    *contract_copy.urlpatterns,
    *supervision.urlpatterns,
    *directory.urlpatterns,
    *history.urlpatterns,
    *compliance.urlpatterns,
    *rearrest.urlpatterns,
    *corrections.urlpatterns,
    *diary.urlpatterns,
    *documents.urlpatterns,
]
