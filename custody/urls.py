"""The decision makers' screens in custody. Case URLs use the case reference (CP-XXXX-XXXX)."""

from django.urls import path

from . import views

app_name = "custody"

urlpatterns = [
    path("custody/", views.CustodyListView.as_view(), name="list"),
    path("custody/new/", views.CaseOpenView.as_view(), name="case-new"),
    path("cases/<str:reference>/assessment/", views.AssessmentView.as_view(), name="assessment"),
    path(
        "cases/<str:reference>/assessment/result/",
        views.AssessmentResultView.as_view(),
        name="assessment-result",
    ),
    path("cases/<str:reference>/offer/", views.OfferView.as_view(), name="offer"),
]
