"""Putting mistakes right without deleting anything (DESIGN.md 1.2): contact details and the
postal address, appointments cancelled or moved, and hours, notes, referrals and the restorative
outcome corrected or withdrawn with a reason.

Each screen shows the record as it is, asks for the new values and a reason, and calls one
service (``checkpoint.services.corrections`` / ``appointments``), which keeps the original:
a corrected entry is withdrawn and replaced, a detail changed in place keeps its earlier values
in its change history. Then it goes back to the case page, where the entry is listed, saying
what changed and that the original is kept.

Who may: ``UPDATE_CONTACT_DETAILS`` for contact details, ``SUPERVISE_CONTRACT`` for
appointments, ``CORRECT_RECORD`` for the rest; once the case is closed only a supervisor
(``CORRECT_CLOSED_RECORD``). The screen refuses (403) before showing anything; the service
checks again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone

from checkpoint import permissions, services
from checkpoint.models import ReferralStatus, RestorativeOutcome
from checkpoint.permissions import Permission
from checkpoint.selectors import corrections as selectors
from checkpoint.selectors import supervision as supervision_selectors
from checkpoint.text import format_hours, long_date
from navigators.forms import corrections as forms

from .supervision import ManageCaseFormView

KEPT = "The original is kept on the case, struck through, with your reason."


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%A %-d %B %Y at %H:%M}"


class CorrectionView(ManageCaseFormView):
    """A correction screen: the record as it is, then the form. ``anchor``: where on the case
    page the record is listed (the page goes back there)."""

    needs = Permission.CORRECT_RECORD
    anchor = ""
    gone_message = ""  # shown instead of the form when there is nothing left to correct

    def get_case(self):
        case = super().get_case()
        if case.is_terminal and not permissions.allows(
            self.request.user, Permission.CORRECT_CLOSED_RECORD
        ):
            raise PermissionDenied(
                permissions.refusal(self.request.user, Permission.CORRECT_CLOSED_RECORD)
            )
        self.record = self.get_record(case)
        return case

    def get_record(self, case):
        return None

    def is_gone(self) -> bool:
        return False

    def get(self, request, *args, **kwargs):
        if self.is_gone():
            messages.info(request, self.gone_message)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return self.case_url() + (f"#{self.anchor}" if self.anchor else "")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.record}


# --- contact details ------------------------------------------------------------------------
class ContactDetailsView(CorrectionView):
    """The participant's phone, email and postal address (or no fixed abode)."""

    needs = Permission.UPDATE_CONTACT_DETAILS
    form_class = forms.ContactDetailsForm
    template_name = "navigators/contact_details.html"
    title = "Change contact details"
    submit_label = "Save contact details"
    anchor = "person"

    def get_case(self):
        # Contact details are kept up to date at every stage, closed cases included.
        case = super(CorrectionView, self).get_case()
        self.record = case.person
        return case

    def get_initial(self):
        person = self.case.person
        fields = (
            "mobile",
            "email",
            "address_line_1",
            "address_line_2",
            "town",
            "county",
            "postcode",
            "no_fixed_abode",
            "preferred_language",
            "interpreter_language",
        )
        initial = {name: getattr(person, name) for name in fields}
        needs = [
            name
            for name, needed in (
                ("interpreter", person.needs_interpreter),
                ("easy_read", person.needs_easy_read),
            )
            if needed
        ]
        return {**super().get_initial(), **initial, "needs": needs}

    def get_success_url(self) -> str:
        # Back to the reminders page when the change was made to choose a reminder.
        if self.request.GET.get("from") == "reminders":
            return reverse("navigators:reminders", args=[self.case.reference])
        return super().get_success_url()

    def perform(self, form) -> None:
        services.person_contact_update(
            case_id=self.case.pk, by=self.actor, **form.service_arguments()
        )
        self.success_message = (
            "Contact details saved. The earlier details are kept in the case's change history."
        )


# --- appointments ---------------------------------------------------------------------------
class AppointmentView(CorrectionView):
    needs = Permission.SUPERVISE_CONTRACT
    anchor = "appointments"

    def get_case(self):
        case = super(CorrectionView, self).get_case()
        self.record = supervision_selectors.appointment_get_for(
            self.request.user, case, self.kwargs["pk"]
        )
        return case

    def is_gone(self) -> bool:
        appointment = self.record
        if appointment.cancelled_at:
            self.gone_message = "This appointment was already cancelled."
        elif appointment.outcome:
            self.gone_message = (
                f"This appointment's outcome was already recorded: "
                f"{appointment.get_outcome_display().lower()}."
            )
        return bool(self.gone_message)


class AppointmentCancelView(AppointmentView):
    form_class = forms.AppointmentCancelForm
    template_name = "navigators/appointment_cancel.html"
    title = "Cancel an appointment"
    submit_label = "Cancel the appointment"

    def perform(self, form) -> None:
        appointment = services.appointment_cancel(
            appointment_id=self.record.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )
        self.success_message = (
            f"Appointment on {_when(appointment.starts_at)} cancelled and its reminders "
            "stopped. It is kept on the case, struck through, with your reason."
        )


class AppointmentRescheduleView(AppointmentView):
    form_class = forms.AppointmentRescheduleForm
    template_name = "navigators/appointment_reschedule.html"
    title = "Move an appointment"
    submit_label = "Move the appointment"

    def perform(self, form) -> None:
        data = form.cleaned_data
        appointment = services.appointment_reschedule(
            appointment_id=self.record.pk,
            by=self.actor,
            starts_at=data["starts_at"],
            reason=data["reason"],
            confirm=data["confirm"],
        )
        self.success_message = (
            f"Appointment moved from {_when(appointment.starts_at)} to "
            f"{_when(data['starts_at'])}. The original is kept on the case, "
            "marked rescheduled, with your reason."
        )


# --- hours ----------------------------------------------------------------------------------
class HoursView(CorrectionView):
    anchor = "hours"

    def get_record(self, case):
        return supervision_selectors.hours_entry_get_for(self.request.user, case, self.kwargs["pk"])

    def is_gone(self) -> bool:
        self.gone_message = "This hours entry was already withdrawn or corrected."
        return self.record.is_withdrawn


class HoursCorrectView(HoursView):
    form_class = forms.HoursCorrectForm
    template_name = "navigators/correct_hours.html"
    title = "Correct an hours entry"
    submit_label = "Save the correction"

    def get_initial(self):
        entry = self.record
        fields = ("worked_on", "hours", "activity", "placement")
        return {**super().get_initial(), **{name: getattr(entry, name) for name in fields}}

    def perform(self, form) -> None:
        data = form.cleaned_data
        old = self.record
        entry = services.hours_correct(
            entry_id=old.pk,
            by=self.actor,
            reason=data["reason"],
            worked_on=data["worked_on"],
            hours=data["hours"],
            activity=data["activity"],
            placement=data["placement"],
        )
        self.success_message = (
            f"Hours entry corrected: {format_hours(entry.hours)} hours on "
            f"{long_date(entry.worked_on)} (was {format_hours(old.hours)} hours on "
            f"{long_date(old.worked_on)}). {KEPT}"
        )


class HoursWithdrawView(HoursView):
    form_class = forms.WithdrawForm
    template_name = "navigators/withdraw_hours.html"
    title = "Withdraw an hours entry"
    submit_label = "Withdraw the entry"

    def perform(self, form) -> None:
        entry = services.hours_withdraw(
            entry_id=self.record.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )
        self.success_message = (
            f"{format_hours(entry.hours)} hours on {long_date(entry.worked_on)} withdrawn: "
            f"they no longer count. {KEPT}"
        )


# --- notes ----------------------------------------------------------------------------------
class NoteView(CorrectionView):
    anchor = "notes"

    def get_record(self, case):
        return selectors.note_get_for(self.request.user, case, self.kwargs["pk"])

    def is_gone(self) -> bool:
        self.gone_message = "This note was already withdrawn or corrected."
        return self.record.is_withdrawn


class NoteCorrectView(NoteView):
    form_class = forms.NoteCorrectForm
    template_name = "navigators/correct_note.html"
    title = "Correct a note"
    submit_label = "Save the correction"

    def get_initial(self):
        return {**super().get_initial(), "text": self.record.text}

    def perform(self, form) -> None:
        services.note_correct(
            note_id=self.record.pk,
            by=self.actor,
            text=form.cleaned_data["text"],
            reason=form.cleaned_data["reason"],
        )
        self.success_message = f"Note corrected. {KEPT}"


class NoteWithdrawView(NoteView):
    form_class = forms.WithdrawForm
    template_name = "navigators/withdraw_note.html"
    title = "Withdraw a note"
    submit_label = "Withdraw the note"

    def perform(self, form) -> None:
        services.note_withdraw(
            note_id=self.record.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )
        self.success_message = f"Note withdrawn. {KEPT}"


# --- referrals ------------------------------------------------------------------------------
class ReferralView(CorrectionView):
    anchor = "contract"

    def get_record(self, case):
        return selectors.referral_get_for(self.request.user, case, self.kwargs["pk"])

    def is_gone(self) -> bool:
        self.gone_message = "This referral was already withdrawn."
        return self.record.status == ReferralStatus.WITHDRAWN


class ReferralCorrectView(ReferralView):
    form_class = forms.ReferralCorrectForm
    template_name = "navigators/correct_referral.html"
    title = "Correct a referral"
    submit_label = "Save the correction"

    def get_initial(self):
        referral = self.record
        fields = ("what", "frequency", "required_sessions")
        return {**super().get_initial(), **{name: getattr(referral, name) for name in fields}}

    def perform(self, form) -> None:
        was = selectors.referral_terms(self.record)
        data = form.cleaned_data
        referral = services.referral_correct(
            referral_id=self.record.pk,
            by=self.actor,
            reason=data["reason"],
            what=data["what"],
            frequency=data["frequency"],
            required_sessions=data["required_sessions"],
        )
        self.success_message = (
            f"Referral to {referral.provider.name} corrected: {selectors.referral_terms(referral)} "
            f"(was {was}). {KEPT}"
        )


class ReferralWithdrawView(ReferralView):
    form_class = forms.WithdrawForm
    template_name = "navigators/withdraw_referral.html"
    title = "Withdraw a referral"
    submit_label = "Withdraw the referral"

    def perform(self, form) -> None:
        referral = services.referral_withdraw(
            referral_id=self.record.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )
        self.success_message = (
            f"Referral to {referral.provider.name} withdrawn: it is no longer a condition of "
            f"the contract. {KEPT}"
        )


# --- the restorative outcome ----------------------------------------------------------------
class RestorativeCorrectView(CorrectionView):
    form_class = forms.RestorativeCorrectForm
    template_name = "navigators/correct_restorative.html"
    title = "Correct the restorative outcome"
    submit_label = "Save the correction"
    anchor = "contract"
    gone_message = "No restorative outcome is recorded yet, so there is nothing to correct."

    def get_record(self, case):
        contract = getattr(case, "contract", None)
        return getattr(contract, "victim_condition", None) if contract else None

    def is_gone(self) -> bool:
        return self.record is None or self.record.outcome == RestorativeOutcome.PENDING

    def get_initial(self):
        initial = super().get_initial()
        if not self.is_gone():
            initial.update(
                outcome=self.record.outcome,
                recorded_on=self.record.outcome_recorded_on,
                notes=self.record.outcome_notes,
            )
        return initial

    def perform(self, form) -> None:
        was = selectors.restorative_result(self.record)
        data = form.cleaned_data
        condition = services.restorative_outcome_correct(
            case_id=self.case.pk,
            by=self.actor,
            outcome=data["outcome"],
            recorded_on=data["recorded_on"],
            notes=data["notes"],
            reason=data["reason"],
        )
        self.success_message = (
            f"Restorative outcome corrected: {selectors.restorative_result(condition)} "
            f"(was {was}). {KEPT}"
        )


def _case_path(route: str, view, name: str):
    return path(f"cases/<str:reference>/{route}", view.as_view(), name=name)


urlpatterns = [
    _case_path("contact-details/", ContactDetailsView, "contact-details"),
    _case_path("appointments/<int:pk>/cancel/", AppointmentCancelView, "appointment-cancel"),
    _case_path(
        "appointments/<int:pk>/reschedule/", AppointmentRescheduleView, "appointment-reschedule"
    ),
    _case_path("hours/<int:pk>/correct/", HoursCorrectView, "hours-correct"),
    _case_path("hours/<int:pk>/withdraw/", HoursWithdrawView, "hours-withdraw"),
    _case_path("notes/<int:pk>/correct/", NoteCorrectView, "note-correct"),
    _case_path("notes/<int:pk>/withdraw/", NoteWithdrawView, "note-withdraw"),
    _case_path("referrals/<int:pk>/correct/", ReferralCorrectView, "referral-correct"),
    _case_path("referrals/<int:pk>/withdraw/", ReferralWithdrawView, "referral-withdraw"),
    _case_path("restorative-outcome/correct/", RestorativeCorrectView, "restorative-correct"),
]
