"""The access screens: four eyes on who reaches cases (web/access.py)."""

from django.urls import path

from .access import AccountListView, ChangeView, RequestListView, RequestView, ResetView

app_name = "access"

urlpatterns = [
    path("", RequestListView.as_view(), name="list"),
    path("accounts/", AccountListView.as_view(), name="accounts"),
    path("accounts/<int:pk>/change/", ChangeView.as_view(), name="change"),
    path("accounts/<int:pk>/reset-authenticator/", ResetView.as_view(), name="reset"),
    path("requests/<int:pk>/", RequestView.as_view(), name="request"),
]
