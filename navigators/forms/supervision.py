"""Forms for the day-to-day supervision screens."""

from django import forms

from checkpoint.web.forms import GovUKForm


class NoteForm(GovUKForm):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={
            "required": "Enter the note",
            "max_length": "Note must be 5,000 characters or fewer",
        },
    )
