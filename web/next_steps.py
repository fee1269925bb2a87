"""After a step that starts something, the page the user lands on says what happens next.

``show_next_step`` adds a "What happens next" notification banner (a message with the
``next-step`` tag, rendered by base.html under the success banner), with the next action's
link when there is one. A form view sets ``self.next_step`` in ``perform()``
(``NextStepMixin``): it is shown only when the save went through, never for a form refused or
submitted a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.views.generic.edit import FormMixin

TAG = "next-step"


@dataclass(frozen=True)
class NextStep:
    text: str
    link_text: str = ""
    url: str = ""


def show_next_step(request: HttpRequest, step: NextStep) -> None:
    """Queue the "What happens next" banner for the next page (the text is escaped)."""
    html = format_html("{}", step.text)
    if step.url and step.link_text:
        html = format_html(
            '{} <a class="govuk-notification-banner__link" href="{}">{}</a>',
            html,
            step.url,
            step.link_text,
        )
    # A safe string stays safe through the message storage (Django's MessageEncoder).
    messages.info(request, html, extra_tags=TAG)


if TYPE_CHECKING:
    _FormViewBase = FormMixin
else:
    _FormViewBase = object


class NextStepMixin(_FormViewBase):
    """For a form view: ``perform()`` sets ``self.next_step``; it is shown after the save."""

    request: HttpRequest
    next_step: NextStep | None = None

    def form_valid(self, form):
        self.next_step = None
        response = super().form_valid(form)
        if self.next_step is not None:
            show_next_step(self.request, self.next_step)
        return response
