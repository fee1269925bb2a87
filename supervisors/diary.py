"""The team's week, for supervisors: every appointment the team's navigators have booked this
week (or another, ``?week=``), by day, with clashes flagged, and how many outcomes and hours
wait across the team (``checkpoint.selectors.diary.team_week_for``)."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from checkpoint.selectors import diary as diary_selectors
from web.weeks import week_asked, week_links

from .views import SupervisorOnlyMixin


class TeamWeekView(SupervisorOnlyMixin, TemplateView):
    template_name = "supervisors/team_week.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        week = diary_selectors.team_week_for(
            self.request.user, now=now, week_of=week_asked(self.request)
        )
        return {
            **super().get_context_data(**kwargs),
            **week_links(week.week_start, week.today, "supervisors:team-week"),
            "week": week,
            "now": now,
        }


urlpatterns = [path("week/", TeamWeekView.as_view(), name="team-week")]
