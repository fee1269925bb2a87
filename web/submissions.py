"""Each form instance saves once: Back and resubmit, a double click or a duplicated tab create
nothing the second time.

A form page carries a one-time token (a random UUID in a hidden field, made when the page is
shown). Its first valid submission claims the token, in the same transaction as what it saves:
a ``FormSubmission`` row whose token is unique. A second submission of the same page finds the
token claimed and saves nothing; it is sent where the first one went, told what was saved and
when. Two submissions at the same moment meet at the unique index: the database makes the
second wait for the first to commit, then refuses its claim, so its transaction (and anything
it would have saved) is rolled back.

A submission the service refused (a form error) rolls its claim back with it, so correcting
the form and saving again works. The token is not a time window: a form left open for an hour
saves once; one submitted twice in a second saves once.

Claims are kept for ``FORM_TOKEN_DAYS`` (``purge_old``, daily), longer than any form is open.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic.edit import FormMixin

from .models import FormSubmission

FIELD = "form_token"


@dataclass
class AlreadySaved(Exception):
    """The form's token was claimed by an earlier submission."""

    submission: FormSubmission | None  # None: claimed by another user's submission


def claim(token: uuid.UUID, *, user: Any, page: str) -> FormSubmission:
    """Claim ``token`` in the current transaction, or raise ``AlreadySaved``."""
    try:
        with transaction.atomic():  # a savepoint: the refused insert leaves the rest usable
            return FormSubmission.objects.create(token=token, user=user, page=page)
    except IntegrityError:
        earlier = FormSubmission.objects.filter(token=token).first()
        raise AlreadySaved(earlier if earlier and earlier.user_id == user.pk else None) from None


def purge_old(*, now=None) -> int:
    """Forget claims older than ``FORM_TOKEN_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.FORM_TOKEN_DAYS)
    deleted, _ = FormSubmission.objects.filter(submitted_at__lt=cutoff).delete()
    return deleted


if TYPE_CHECKING:
    _FormViewBase = FormMixin
else:
    _FormViewBase = object


class SubmitOnceMixin(_FormViewBase):
    """For a form view that saves: adds the token field and ``save_once``.

    The view's ``form_valid`` calls ``self.save_once(form, save)`` with a function that saves
    (inside one transaction) and returns ``(message, next_url)``."""

    request: HttpRequest  # set by ``View.setup``

    def get_form(self, form_class=None):
        return self.with_token(super().get_form(form_class))

    @staticmethod
    def with_token(form: forms.BaseForm) -> Any:
        """Add the one-time token to ``form`` (a view showing several forms calls this for
        each); a new page gets a new token, a submitted one keeps its own."""
        form.fields[FIELD] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        if not form.is_bound:
            form.initial[FIELD] = uuid.uuid4()
        return form

    def save_once(self, form, save) -> HttpResponse:
        """Run ``save`` once per form instance: claim the token, save, remember the outcome."""
        # Taken out of the data, so that a view passing ``cleaned_data`` on never sees it.
        token = form.cleaned_data.pop(FIELD, None)
        try:
            with transaction.atomic():
                submission = None
                if token is not None:
                    page = (
                        self.request.resolver_match.view_name if self.request.resolver_match else ""
                    )
                    submission = claim(token, user=self.request.user, page=page)
                message, next_url = save()
                if submission is not None:
                    submission.saved, submission.next_url = message[:300], next_url[:300]
                    submission.save(update_fields=["saved", "next_url"])
        except AlreadySaved as already:
            return self.already_saved(already.submission)
        messages.success(self.request, message)
        return redirect(next_url)

    def already_saved(self, submission: FormSubmission | None) -> HttpResponse:
        if submission is None:
            messages.info(self.request, "This form was already submitted. Nothing was saved.")
            return redirect(self.request.path)
        at = timezone.localtime(submission.submitted_at)
        messages.info(
            self.request,
            f"This form was already saved at {at:%H:%M} ({submission.saved}). "
            "Nothing was saved a second time.",
        )
        return redirect(submission.next_url)
