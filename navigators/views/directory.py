"""The service directory: browse and search providers by pathway (DESIGN.md section 3).

For navigators, supervisors and decision makers; any other signed-in user gets a clear
refusal (403), the same as a role that may not act on a case it can see.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.generic import TemplateView

from checkpoint.selectors import directory as directory_selectors
from navigators.forms.directory import DirectoryFilterForm
from web.pagination import paginate

PAGE_SIZE = 10


class DirectoryView(LoginRequiredMixin, TemplateView):
    template_name = "navigators/directory.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not directory_selectors.directory_available_to(user):
            raise PermissionDenied(
                "The service directory is for navigators, supervisors and decision makers."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DirectoryFilterForm(
            self.request.GET or None, pathways=directory_selectors.pathway_list()
        )
        form.is_valid()
        filters = form.filters()
        providers = directory_selectors.provider_list_for(self.request.user, **filters)
        paged = paginate(self.request, providers, PAGE_SIZE)
        context.update(
            paged,
            form=form,
            providers=paged["page"].object_list,
            filtered=any(filters.values()),
        )
        return context


urlpatterns = [
    path("services/", DirectoryView.as_view(), name="directory"),
]
