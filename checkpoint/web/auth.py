"""Sign-in with Django's auth system, in the design system's look."""

from django.contrib.auth.forms import AuthenticationForm

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
