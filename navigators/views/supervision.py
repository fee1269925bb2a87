"""Day-to-day supervision screens: notes, appointments, hours, compliance."""

from __future__ import annotations

from django.urls import path

from checkpoint import services
from checkpoint.web.views import CaseServiceFormView
from navigators.forms.supervision import NoteForm


class NoteAddView(CaseServiceFormView):
    form_class = NoteForm
    title = "Add a note"
    submit_label = "Save note"
    success_message = "Note added"

    def perform(self, form) -> None:
        services.note_add(
            case_id=self.case.pk, by=self.request.user, text=form.cleaned_data["text"]
        )


urlpatterns = [
    path("cases/<str:reference>/notes/new/", NoteAddView.as_view(), name="note-new"),
]
