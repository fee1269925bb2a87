"""The justification asked before a disclosure (DPA 2018 s.62): printing the outcome letter or
the prosecution file, downloading a report's CSV.

A GET without a valid grant shows a GOV.UK form ("Who is it for?", "Why are you disclosing
this?"); its POST logs the disclosure through ``services.disclosure_record`` and redirects to
the same address with ``?disclosure=<log id>``, which serves the document to that user for a
few minutes (``selectors.disclosure.disclosure_grant_for``).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.shortcuts import redirect, render

from checkpoint import services
from checkpoint.selectors.disclosure import disclosure_grant_for
from checkpoint.services import CaseError
from checkpoint.text import PlainText

from .forms import GovUKForm
from .params import query_id

GRANT_PARAM = "disclosure"


class DisclosureForm(GovUKForm):
    recipient = forms.CharField(
        label="Who is it for?",
        help_text="The person and organisation, for example "
        "'J Smith, Crown Prosecution Service' or 'the participant, by post'",
        max_length=200,
        validators=[PlainText("Who it is for")],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter who you are disclosing this to",
            "max_length": "Who it is for must be 200 characters or fewer",
        },
    )
    justification = forms.CharField(
        label="Why are you disclosing this?",
        help_text="The purpose, for example 'the participant's own copy'",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are disclosing this",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind of disclosure has its own examples: a prosecution file goes to a
        # prosecutor, a report's table (counts only) to analysts or a board.
        for name, hint in (hints or {}).items():
            self.fields[name].help_text = hint


class DisclosureGateMixin:
    """For a view whose GET discloses something. Subclasses say what (``disclosure_kind``,
    ``disclosure_what()``, ``disclosure_case()``) and call ``disclosure_allowed()`` in GET."""

    disclosure_kind = ""
    disclosure_title = "Before you disclose this"
    disclosure_hints: dict[str, str] = {}  # field name -> hint, for this kind of disclosure
    request: HttpRequest  # set by the view

    def disclosure_what(self) -> str:
        raise NotImplementedError

    def disclosure_case(self):
        return None

    def disclosure_back_url(self) -> str:
        return "/"

    def disclosure_allowed(self) -> bool:
        return disclosure_grant_for(
            self.request.user,
            query_id(self.request.GET, GRANT_PARAM),
            kind=self.disclosure_kind,
            what=self.disclosure_what(),
            case=self.disclosure_case(),
        )

    def disclosure_form_response(self, form=None):
        context = {
            "form": form or DisclosureForm(hints=self.disclosure_hints),
            "title": self.disclosure_title,
            "case": self.disclosure_case(),
            "back_url": self.disclosure_back_url(),
        }
        return render(self.request, "disclosure.html", context)

    def disclosure_post(self):
        """Validate the justification, log the disclosure, then open the document."""
        form = DisclosureForm(self.request.POST, hints=self.disclosure_hints)
        if not form.is_valid():
            return self.disclosure_form_response(form)
        try:
            log = services.disclosure_record(
                by=self.request.user,
                kind=self.disclosure_kind,
                what=self.disclosure_what(),
                case=self.disclosure_case(),
                **form.cleaned_data,
            )
        except CaseError as err:
            form.add_service_error(err)
            return self.disclosure_form_response(form)
        query = self.request.GET.copy()
        query[GRANT_PARAM] = str(log.pk)
        return redirect(f"{self.request.path}?{query.urlencode()}")
