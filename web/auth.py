"""Sign-in with Django's auth system, in the design system's look."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render

from .forms import GovUKBoundField

USERNAME_MAX_LENGTH = 150  # django.contrib.auth's User.username
PASSWORD_MAX_LENGTH = 1024  # far past any password manager's; hashing more is work for nothing


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with both fields bounded: an overlong username or password is
    refused before any account is looked up (Django's own form only sets the username's
    ``maxlength`` attribute, and django-axes then failed to store a 100,000-character username:
    a 500 on PostgreSQL) and still counted as a failed sign-in (``clean``)."""

    username = UsernameField(
        max_length=USERNAME_MAX_LENGTH, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
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

    def clean(self):
        fields = ("username", "password")
        too_long = [name for name in fields if self.has_error(name, "max_length")]
        if too_long:
            # The same answer as a wrong password, and a failure django-axes counts (it listens
            # for this signal) against the username as far as a username can go.
            username = str(self.data.get("username", ""))[:USERNAME_MAX_LENGTH]
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            for name in too_long:
                del self._errors[name]
            raise self.get_invalid_login_error()
        return super().clean()


def lockout_response(request, response, credentials):
    """django-axes' answer to a locked-out sign-in: a GOV.UK page, 429 Too Many Requests."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
