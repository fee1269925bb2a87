"""Custody: open a case, the eligibility assessment wizard, the offer and the answer."""

urlpatterns: list = []
