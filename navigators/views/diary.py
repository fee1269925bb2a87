"""The diary: a navigator's today and week, and their calendar (a feed for their calendar app,
or a one-off file).

- ``diary``: today's appointments, the week's (Monday to Sunday, ``?week=`` another week) with
  clashes flagged, outcomes to record, hours to verify and prosecution deadlines near, for the
  user's own and shared cases (``checkpoint.selectors.diary``).
- ``calendar``: the calendar feed's secret address, set up, reset (the old address stops
  working) or stopped; each a POST-redirect-GET form that saves once (``SubmitOnceMixin``).
- ``calendar-download``: the same file as the feed, downloaded once while signed in.
- ``calendar-feed``: the feed itself, read by a calendar app without a session: the token in
  the address is the credential (``navigators.calendar``). Each reading is logged as a
  consultation of every case it lists (DPA 2018 s.62), as a page showing them would be.

For navigators and supervisors (who keep a caseload too); anyone else is refused (403).
"""

from __future__ import annotations

import logging

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from checkpoint import dates, permissions, services
from checkpoint.permissions import Permission
from checkpoint.selectors import diary as diary_selectors
from navigators import calendar
from web.forms import GovUKForm
from web.submissions import SubmitOnceMixin
from web.views import StaffMixin
from web.weeks import week_asked, week_links

logger = logging.getLogger(__name__)

REFUSAL = "The diary is for navigators and supervisors."
MAX_TOKEN = 64


class DiaryMixin(StaffMixin):
    """Signed-in navigators and supervisors: those who may supervise a contract."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not permissions.allows(user, Permission.SUPERVISE_CONTRACT):
            raise PermissionDenied(REFUSAL)
        return super().dispatch(request, *args, **kwargs)


class DiaryView(DiaryMixin, TemplateView):
    template_name = "navigators/diary.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        diary = diary_selectors.diary_for(
            self.request.user, now=now, week_of=week_asked(self.request)
        )
        return {
            **super().get_context_data(**kwargs),
            **week_links(diary.week_start, diary.today, "navigators:diary"),
            "diary": diary,
            "now": now,
            "supervises": self.request.user.has_perm("checkpoint.supervise_case"),
        }


class FeedForm(GovUKForm):
    """Set up or reset the feed's address, or stop the feed: one button each."""

    action = forms.ChoiceField(
        choices=[("reset", "Reset"), ("stop", "Stop")], widget=forms.HiddenInput
    )


class CalendarView(DiaryMixin, SubmitOnceMixin, FormView):
    template_name = "navigators/calendar.html"
    form_class = FeedForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feed = calendar.feed_of(self.request.user)
        context.update(
            feed=feed,
            feed_url=self.request.build_absolute_uri(
                reverse("navigators:calendar-feed", args=[feed.token])
            )
            if feed
            else "",
            reset_form=context["form"],
            stop_form=self.with_token(FeedForm(initial={"action": "stop"})),
        )
        return context

    def get_initial(self):
        return {**super().get_initial(), "action": "reset"}

    def form_valid(self, form):
        user, had_feed = self.request.user, calendar.feed_of(self.request.user) is not None

        def save() -> tuple[str, str]:
            if form.cleaned_data["action"] == "stop":
                calendar.feed_stop(user)
                return "Calendar feed stopped: its address no longer works.", self.request.path
            calendar.feed_reset(user)
            message = (
                "New calendar address made: the old one no longer works. Add the new one to "
                "your calendar app."
                if had_feed
                else "Calendar address made. Add it to your calendar app."
            )
            return message, self.request.path

        return self.save_once(form, save)


def _ics_response(appointments, *, filename: str, now) -> HttpResponse:
    response = HttpResponse(
        calendar.calendar_file(appointments, now=now), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _log_consultations(user, appointments, request) -> None:
    """Log the reading of each case the file lists, once per case (DPA 2018 s.62)."""
    seen: set[int] = set()
    for appointment in appointments:
        case = appointment.case
        if case.pk in seen:
            continue
        seen.add(case.pk)
        services.consultation_record(
            by=user, case=case, page=request.resolver_match.view_name, path=request.path
        )


class CalendarDownloadView(DiaryMixin, View):
    """The user's appointments as a file, downloaded once."""

    def get(self, request, *args, **kwargs):
        now = timezone.now()
        appointments = diary_selectors.feed_appointments_for(request.user, now=now)
        _log_consultations(request.user, appointments, request)
        return _ics_response(
            appointments, filename=f"checkpoint-{dates.local_date(now):%Y-%m-%d}.ics", now=now
        )


class CalendarFeedView(View):
    """The feed, for a calendar app: no session, the token is the credential. An unknown or
    reset token, or a user who may no longer supervise contracts, is a plain 404."""

    def get(self, request, token: str):
        user = (
            calendar.feed_user(token) if len(token) <= MAX_TOKEN and "\x00" not in token else None
        )
        if user is None or not permissions.allows(user, Permission.SUPERVISE_CONTRACT):
            raise Http404("No such calendar")
        now = timezone.now()
        appointments = diary_selectors.feed_appointments_for(user, now=now)
        _log_consultations(user, appointments, request)
        logger.info("calendar feed read: user %s, %d appointments", user.pk, len(appointments))
        return _ics_response(appointments, filename="checkpoint.ics", now=now)


urlpatterns = [
    path("diary/", DiaryView.as_view(), name="diary"),
    path("diary/calendar/", CalendarView.as_view(), name="calendar"),
    path("diary/calendar.ics", CalendarDownloadView.as_view(), name="calendar-download"),
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar-feed"),
]
