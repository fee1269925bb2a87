"""The case's change history: every field change of its data, before and after, by whom."""

from __future__ import annotations

from django.urls import path
from django.views.generic import TemplateView

from checkpoint.selectors.history import case_history
from web.pagination import paginate
from web.views import CaseMixin

PAGE_SIZE = 50


class CaseHistoryView(CaseMixin, TemplateView):
    """Anyone who may see the case may see its history; viewing it is logged (CaseMixin)."""

    template_name = "navigators/case_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(paginate(self.request, case_history(self.case), PAGE_SIZE))
        return context


urlpatterns = [
    path("cases/<str:reference>/history/", CaseHistoryView.as_view(), name="case-history"),
]
