"""The case's change history: every field change of its data, before and after, by whom."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import path
from django.views.generic import TemplateView

from checkpoint.selectors.history import case_history
from web.views import CaseMixin

PAGE_SIZE = 50


class CaseHistoryView(CaseMixin, TemplateView):
    """Anyone who may see the case may see its history; viewing it is logged (CaseMixin)."""

    template_name = "navigators/case_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(case_history(self.case), PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            page=page,
            ellipsis=Paginator.ELLIPSIS,
            page_links=list(page.paginator.get_elided_page_range(page.number, on_each_side=2)),
        )
        return context


urlpatterns = [
    path("cases/<str:reference>/history/", CaseHistoryView.as_view(), name="case-history"),
]
