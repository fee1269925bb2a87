"""Day-to-day supervision screens: notes, appointments, hours, offences, compliance, exits.

Each screen loads the case through a user-scoped selector (404 when out of reach), refuses a
role that may not manage cases (403, e.g. the decision maker who opened the case), and calls
one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone

from checkpoint import services
from checkpoint.permissions import Permission
from checkpoint.selectors import supervision as supervision_selectors
from checkpoint.text import format_hours
from navigators.forms import supervision as forms
from web.next_steps import NextStep, NextStepMixin
from web.views import CaseServiceFormView


class ManageCaseFormView(CaseServiceFormView):
    """A case form for navigators and supervisors, with optional intro and warning text."""

    template_name = "navigators/supervision_form.html"
    intro = ""
    warning = ""

    needs = Permission.SUPERVISE_CONTRACT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(intro=self.intro, warning=self.warning)
        return context


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%A %-d %B %Y at %H:%M}"


class NoteAddView(ManageCaseFormView):
    needs = Permission.ADD_NOTE
    form_class = forms.NoteForm
    title = "Add a note"
    submit_label = "Save note"
    success_message = "Note added"

    def perform(self, form) -> None:
        services.note_add(case_id=self.case.pk, by=self.actor, text=form.cleaned_data["text"])


class AppointmentAddView(NextStepMixin, ManageCaseFormView):
    form_class = forms.AppointmentForm
    title = "Book an appointment"
    submit_label = "Book appointment"

    def get_form_kwargs(self):
        referrals = supervision_selectors.referral_list_for(self.request.user, self.case)
        return {**super().get_form_kwargs(), "referrals": referrals}

    def perform(self, form) -> None:
        data = form.cleaned_data
        appointment = services.appointment_schedule(
            case_id=self.case.pk,
            by=self.actor,
            kind=data["kind"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            location=data["location"],
            referral_id=data["referral_id"],
            confirm=data["confirm"],
        )
        self.success_message = f"Appointment booked for {_when(appointment.starts_at)}"
        self.next_step = NextStep(
            "Give or send the participant a letter with the time and place.",
            "Print the appointment letter",
            reverse("navigators:appointment-letter", args=[self.case.reference, appointment.pk]),
        )


class AppointmentOutcomeView(ManageCaseFormView):
    form_class = forms.AppointmentOutcomeForm
    template_name = "navigators/appointment_outcome.html"
    title = "Record the outcome of an appointment"
    submit_label = "Save outcome"
    warning = (
        "Recording an unacceptable absence raises a compliance event on the case, "
        "which may lead to a warning or a breach review."
    )

    def get_case(self):
        case = super().get_case()
        self.appointment = supervision_selectors.appointment_get_for(
            self.request.user, case, self.kwargs["pk"]
        )
        return case

    def get(self, request, *args, **kwargs):
        if self.appointment.outcome:
            messages.info(request, "The outcome of this appointment has already been recorded.")
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "appointment": self.appointment}

    def perform(self, form) -> None:
        data = form.cleaned_data
        appointment = services.appointment_record_outcome(
            appointment_id=self.appointment.pk,
            by=self.actor,
            outcome=data["outcome"],
            notes=data["notes"],
            rescheduled_to=data["rescheduled_to"],
            confirm=data["confirm"],
        )
        message = f"Outcome recorded: {appointment.get_outcome_display()}"
        if appointment.rescheduled_to is not None:
            message += f", new appointment {_when(appointment.rescheduled_to.starts_at)}"
        self.success_message = message


class HoursLogView(ManageCaseFormView):
    needs = Permission.LOG_HOURS
    form_class = forms.HoursForm
    template_name = "navigators/hours_form.html"
    title = "Log community hours"
    submit_label = "Save hours"

    def get_context_data(self, **kwargs):
        awaiting = supervision_selectors.hours_awaiting_verification_for(
            self.request.user, self.case
        )
        return {**super().get_context_data(**kwargs), "awaiting": awaiting}

    def perform(self, form) -> None:
        data = form.cleaned_data
        entry = services.hours_log(
            case_id=self.case.pk,
            by=self.actor,
            worked_on=data["worked_on"],
            hours=data["hours"],
            activity=data["activity"],
            placement=data["placement"],
            verified=data["verified"],
            verifier_name=data["verifier_name"],
        )
        status = "verified" if entry.verified_at else "self-reported, awaiting verification"
        self.success_message = f"{format_hours(entry.hours)} hours logged ({status})"


class HoursVerifyView(ManageCaseFormView):
    """POST only: the forms are on the log-hours page; errors re-render this entry's form."""

    http_method_names = ["post"]
    form_class = forms.HoursVerifyForm
    template_name = "navigators/hours_verify.html"
    title = "Verify community hours"
    submit_label = "Verify hours"

    def get_case(self):
        case = super().get_case()
        self.entry = supervision_selectors.hours_entry_get_for(
            self.request.user, case, self.kwargs["pk"]
        )
        return case

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "entry": self.entry}

    def perform(self, form) -> None:
        entry = services.hours_verify(
            entry_id=self.entry.pk,
            by=self.actor,
            verifier_name=form.cleaned_data["verifier_name"],
        )
        self.success_message = (
            f"{format_hours(entry.hours)} hours on {entry.worked_on:%-d %B %Y} verified"
        )


class NewOffenceView(ManageCaseFormView):
    form_class = forms.NewOffenceForm
    title = "Report a new offence"
    submit_label = "Report new offence"
    success_message = "New offence reported and a compliance event raised"
    intro = "Report a new arrest or charge during the contract (the Offending condition)."
    warning = "Reporting a new offence raises a compliance event on the case."

    def get_form_kwargs(self):
        types = supervision_selectors.offence_type_list()
        return {**super().get_form_kwargs(), "offence_types": types}

    def perform(self, form) -> None:
        data = form.cleaned_data
        services.new_offence_report(
            case_id=self.case.pk,
            by=self.actor,
            occurred_on=data["occurred_on"],
            description=data["description"],
            reference=data["reference"],
            offence_type_id=data["offence_type_id"],
        )


class RestorativeOutcomeView(ManageCaseFormView):
    form_class = forms.RestorativeOutcomeForm
    title = "Record the restorative outcome"
    submit_label = "Save outcome"
    success_message = "Restorative outcome recorded"
    intro = "The Victim condition: how the restorative approach the victim wished for ended."

    def perform(self, form) -> None:
        data = form.cleaned_data
        services.restorative_outcome_record(
            case_id=self.case.pk,
            by=self.actor,
            outcome=data["outcome"],
            notes=data["notes"],
            recorded_on=data["recorded_on"],
        )


class ReferralStatusView(ManageCaseFormView):
    form_class = forms.ReferralStatusForm
    title = "Record a referral's outcome"
    submit_label = "Save outcome"
    intro = "The Pathway condition: record whether the participant completed each referral."

    def get_form_kwargs(self):
        referrals = supervision_selectors.referral_list_for(self.request.user, self.case)
        return {**super().get_form_kwargs(), "referrals": referrals}

    def perform(self, form) -> None:
        referral = services.referral_status_set(
            referral_id=form.cleaned_data["referral"],
            by=self.actor,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        self.success_message = (
            f"Referral to {referral.provider.name}: {referral.get_status_display().lower()}"
        )


class ComplianceEventView(NextStepMixin, ManageCaseFormView):
    form_class = forms.ComplianceEventForm
    title = "Raise a compliance event"
    submit_label = "Raise compliance event"
    success_message = "Compliance event raised"
    intro = "Record non-compliance with the contract. You can then issue a warning about it."

    def perform(self, form) -> None:
        data = form.cleaned_data
        services.compliance_event_raise(
            case_id=self.case.pk,
            by=self.actor,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            detail=data["detail"],
        )
        self.next_step = NextStep(
            "Talk to the participant about it. Then resolve it if they explain it, issue a "
            "warning, or refer the case for a breach review if it is serious or repeated.",
            "Issue a warning",
            reverse("navigators:warning-new", args=[self.case.reference]),
        )


class WarningView(NextStepMixin, ManageCaseFormView):
    form_class = forms.WarningForm
    template_name = "navigators/warning_form.html"
    title = "Issue a warning"
    submit_label = "Issue warning"
    success_message = "Warning issued"

    def get_form_kwargs(self):
        self.events = supervision_selectors.open_event_list_for(self.request.user, self.case)
        return {**super().get_form_kwargs(), "events": self.events}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "events": self.events}

    def perform(self, form) -> None:
        warning = services.warning_issue(
            case_id=self.case.pk,
            by=self.actor,
            reason=form.cleaned_data["reason"],
            event_ids=form.cleaned_data["events"],
        )
        self.next_step = NextStep(
            "Give or send the participant the warning in writing.",
            "Print the warning letter",
            reverse("navigators:warning-letter", args=[self.case.reference])
            + f"?warning={warning.pk}",
        )


class BreachReferView(ManageCaseFormView):
    needs = Permission.REFER_BREACH
    form_class = forms.BreachReferForm
    title = "Refer for breach review"
    submit_label = "Refer to a supervisor"
    success_message = "Case referred to a supervisor for a breach review"
    intro = "A supervisor will decide whether to continue, vary or terminate the contract."

    def perform(self, form) -> None:
        services.breach_refer(
            case_id=self.case.pk,
            by=self.actor,
            recommendation=form.cleaned_data["recommendation"],
        )


class WithdrawView(ManageCaseFormView):
    needs = Permission.WITHDRAW
    form_class = forms.WithdrawForm
    title = "Record that the participant withdrew"
    submit_label = "Record withdrawal"
    success_message = "Withdrawal recorded"
    warning = (
        "This ends the participant's Checkpoint contract. A supervisor then refers the case "
        "for prosecution."
    )

    def perform(self, form) -> None:
        services.case_withdraw(
            case_id=self.case.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )


class RemindersView(ManageCaseFormView):
    """Reminder consent: the participant opts in or out at any time (DESIGN.md 2)."""

    needs = Permission.SET_REMINDERS

    form_class = forms.RemindersForm
    template_name = "navigators/reminders.html"  # shows the contact details, to change them
    title = "Reminders to the participant"
    submit_label = "Save reminder choices"
    success_message = "Reminder choices saved"
    intro = (
        "Reminders go 48 hours and 2 hours before each appointment, only by the channels the "
        "participant agrees to. They can stop them at any time."
    )

    def get_initial(self):
        person = self.case.person
        return {
            **super().get_initial(),
            "sms": person.sms_reminders,
            "email": person.email_reminders,
        }

    def perform(self, form) -> None:
        services.reminders_set(
            case_id=self.case.pk,
            by=self.actor,
            sms=form.cleaned_data["sms"],
            email=form.cleaned_data["email"],
        )


def _case_path(route: str, view, name: str):
    return path(f"cases/<str:reference>/{route}", view.as_view(), name=name)


urlpatterns = [
    _case_path("notes/new/", NoteAddView, "note-new"),
    _case_path("appointments/new/", AppointmentAddView, "appointment-new"),
    _case_path("appointments/<int:pk>/outcome/", AppointmentOutcomeView, "appointment-outcome"),
    _case_path("hours/new/", HoursLogView, "hours-new"),
    _case_path("hours/<int:pk>/verify/", HoursVerifyView, "hours-verify"),
    _case_path("new-offence/", NewOffenceView, "new-offence"),
    _case_path("restorative-outcome/", RestorativeOutcomeView, "restorative-outcome"),
    _case_path("referrals/outcome/", ReferralStatusView, "referral-outcome"),
    _case_path("compliance/new/", ComplianceEventView, "compliance-new"),
    _case_path("warnings/new/", WarningView, "warning-new"),
    _case_path("breach-referral/", BreachReferView, "breach-refer"),
    _case_path("withdraw/", WithdrawView, "withdraw"),
    _case_path("reminders/", RemindersView, "reminders"),
]
