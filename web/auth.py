"""Sign-in with Django's auth system, in the design system's look."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from .forms import GovUKBoundField


class SignInForm(AuthenticationForm):
    bound_field_class = GovUKBoundField
    template_name = "govuk/forms/form.html"
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is disabled. Contact your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


def lockout_response(request, response, credentials):
    """django-axes' answer to a locked-out sign-in: a GOV.UK page, 429 Too Many Requests."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
