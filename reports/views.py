"""Report pages and their CSV downloads (DESIGN.md 3: charts on the page, CSV downloads with
no personal details).

For analysts and supervisors (``checkpoint.view_reports``); anyone else signed in gets 403 and
anyone signed out goes to sign-in. Every page and CSV is built by one report builder from the
same filters, so a download holds exactly the table on the page, suppression included.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import path, reverse
from django.views.generic import TemplateView, View

from checkpoint.models import DisclosureKind
from web.disclosure import GRANT_PARAM, DisclosureGateMixin

from . import builders, selectors
from .equality import DIMENSIONS, equality_report
from .forms import ReportFilterForm

BUILDERS: dict[str, Callable[..., builders.Report]] = {
    "outcomes": builders.outcomes_report,
    "time-in-state": builders.time_in_state_report,
    "referrals": builders.referrals_report,
    **{f"equality-{slug}": partial(equality_report, dimension=slug) for slug in DIMENSIONS},
}
# (slug, title, what it shows) for the index and the sub-navigation.
CATALOGUE = [
    ("outcomes", "Outcomes", "Outcomes each month, the completion rate and reoffending "
     "during the contract."),
    ("time-in-state", "Time in each state", "Median and mean days cases spend at each stage."),
    ("referrals", "Referrals", "People referred to each pathway and provider, and completion."),
    *(
        (f"equality-{d.slug}", f"Equality: {d.title.lower()}",
         f"Who is assessed, found eligible, offered, accepts and completes, by "
         f"{d.title.lower()}, with rate ratios.")
        for d in DIMENSIONS.values()
    ),
]  # fmt: skip


def min_cell_count() -> int:
    return max(1, int(settings.REPORTS_MIN_CELL_COUNT))


class ReportAccessMixin(LoginRequiredMixin):
    """Signed out: to sign-in. Signed in without the reports permission: 403 with a reason."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.reports_available_to(request.user):
            raise PermissionDenied(selectors.REFUSAL)
        return super().dispatch(request, *args, **kwargs)


def _form(request, slug: str, teams) -> ReportFilterForm:
    return _form_from(request.GET, slug, teams)


def _form_from(data, slug: str, teams) -> ReportFilterForm:
    groups = None
    if slug.startswith("equality-"):
        groups = DIMENSIONS[slug.removeprefix("equality-")].groups
    return ReportFilterForm(data or None, teams=teams, groups=groups)


class IndexView(ReportAccessMixin, TemplateView):
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            catalogue=CATALOGUE,
            refresh=selectors.latest_refresh_for(self.request.user),
            min_count=min_cell_count(),
        )
        return context


class ReportView(ReportAccessMixin, TemplateView):
    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.kwargs["report"]
        if slug not in BUILDERS:
            raise Http404("No such report")
        user = self.request.user
        form = _form(self.request, slug, selectors.team_list_for(user))
        report = None
        if not form.is_bound or form.is_valid():
            report = BUILDERS[slug](
                user, form.filters(), k=min_cell_count(), reference=form.reference()
            )
        query = self.request.GET.copy()
        query.pop("reference", None)  # groups differ between reports
        context.update(
            form=form,
            report=report,
            slug=slug,
            title={s: t for s, t, _ in CATALOGUE}[slug],
            catalogue=CATALOGUE,
            query=query.urlencode(),
            full_query=self.request.GET.urlencode(),
            refresh=selectors.latest_refresh_for(user),
            min_count=min_cell_count(),
        )
        return context


class CsvView(ReportAccessMixin, DisclosureGateMixin, View):
    """One table of one report as CSV, with the page's filters (the same query string).

    A download is a disclosure of statistics (DPA 2018 s.62): it is served only after the user
    has said who it is for and why, which is logged with the report, table and filters.
    """

    disclosure_kind = DisclosureKind.REPORT_CSV
    disclosure_title = "Before you download this table"
    # A table holds counts about groups, never a person (small counts hidden): the examples
    # are the analysts' and boards' uses, not a case decision.
    disclosure_hints = {
        "recipient": "The person, team or board, for example 'Performance and analysis "
        "team' or 'the scheme's partnership board'",
        "justification": "The purpose, for example 'quarterly equality monitoring for the "
        "partnership board'. The table holds counts only, with small numbers hidden",
    }

    def disclosure_what(self) -> str:
        query = self.request.GET.copy()
        query.pop(GRANT_PARAM, None)
        filters = f"?{query.urlencode()}" if query else ""
        return f"{self.kwargs['report']}/{self.kwargs['table']}.csv{filters}"

    def disclosure_back_url(self) -> str:
        return reverse("reports:report", args=[self.kwargs["report"]])

    def _checked(self, request, report: str):
        """The filter form, or a response refusing the request (unknown report, bad filters)."""
        if report not in BUILDERS:
            raise Http404("No such report")
        data = request.GET.copy()
        data.pop(GRANT_PARAM, None)
        form = _form_from(data, report, selectors.team_list_for(request.user))
        if form.is_bound and not form.is_valid():
            problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
            return form, HttpResponseBadRequest(
                f"Check the filters: {problems}", content_type="text/plain"
            )
        return form, None

    def post(self, request, report: str, table: str):
        _, refused = self._checked(request, report)
        return refused or self.disclosure_post()

    def get(self, request, report: str, table: str):
        form, refused = self._checked(request, report)
        if refused:
            return refused
        built = BUILDERS[report](
            request.user, form.filters(), k=min_cell_count(), reference=form.reference()
        )
        found = built.table(table)
        if found is None:
            raise Http404("No such table")
        if not self.disclosure_allowed():
            return self.disclosure_form_response()
        response = HttpResponse(found.to_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="checkpoint-{table}.csv"'
        return response


urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("<slug:report>/", ReportView.as_view(), name="report"),
    path("<slug:report>/<slug:table>.csv", CsvView.as_view(), name="csv"),
]
