"""Multi-factor sign-in: a code from an authenticator app (TOTP, django-otp) after the password.

Every staff role needs it (OWASP ASVS 5.0 V6.3). After the password:

- a user with no confirmed device is sent to *set up*: a new secret shown as a QR code (drawn
  here as SVG, no image service) and as text; the first correct code confirms the device;
- a user with one is asked for *the code*.

Until then the session is signed in but not verified, and ``MFARequiredMiddleware`` sends every
request for a page other than sign-in, sign-out, these two pages, the health check and
security.txt to the right one of them. The admin is covered like any other page.

A second device cannot be added by someone holding only the password: set-up is refused once a
device is confirmed. An administrator resets a lost device by deleting it in the admin.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import GovUKForm

logger = logging.getLogger(__name__)

# Pages an authenticated user reaches before the second factor (URL names, root namespace).
EXEMPT_URL_NAMES = frozenset(
    {"login", "logout", "mfa-setup", "mfa-verify", "healthz", "security-txt"}
)


class MFARequiredMiddleware:
    """Sends a signed-in but unverified user to set-up or to the code page.

    Runs after django-otp's ``OTPMiddleware`` (which gives ``user.is_verified()``). It acts in
    ``process_view``, before any view runs, so no page's data is read for an unverified user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and not match.namespace and match.url_name in EXEMPT_URL_NAMES:
            return None
        target = "mfa-verify" if user_has_device(user) else "mfa-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class CodeForm(GovUKForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, device: TOTPDevice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        if self.device is None:  # the second-factor views always pass the user's device
            raise ValueError("CodeForm needs the device the code is for")
        allowed, why = self.device.verify_is_allowed()
        if not allowed:
            wait = max(1, int((why["locked_until"] - timezone.now()).total_seconds()) + 1)
            raise forms.ValidationError(
                f"Too many wrong codes. Wait {wait_text(wait)}, then enter the code your app shows"
            )
        if not self.device.verify_token(code):
            logger.warning("wrong second-factor code for user %s", self.device.user_id)
            raise forms.ValidationError(
                "The code is not correct. Enter the code your authenticator app shows now"
            )
        return code


def wait_text(seconds: int) -> str:
    """How long to wait, in words: "1 second", "40 seconds", "2 minutes" (rounded up)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class _SecondFactorView(LoginRequiredMixin, FormView):
    form_class = CodeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "device": self.device}

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.next_url()}

    def form_valid(self, form):
        otp_login(self.request, self.device)
        # A new session key for the raised privilege (no fixation across the second factor).
        self.request.session.cycle_key()
        return redirect(self.next_url())


class SetUpView(_SecondFactorView):
    """First sign-in: register an authenticator app and confirm it with its first code."""

    template_name = "registration/mfa_setup.html"

    @classmethod
    def as_view(cls, **initkwargs):
        return never_cache(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if user_has_device(request.user):
            return redirect(f"{reverse('mfa-verify')}?{urlencode({'next': self.next_url()})}")
        self.device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if self.device is None:
            self.device = TOTPDevice.objects.create(
                user=request.user, name="Authenticator app", confirmed=False
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        secret = b32encode(self.device.bin_key).decode()
        return {
            **super().get_context_data(**kwargs),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_svg": qr_svg(self.device.config_url),
        }

    def form_valid(self, form):
        self.device.confirmed = True
        self.device.save(update_fields=["confirmed"])
        logger.info("authenticator app set up for user %s", self.device.user_id)
        return super().form_valid(form)


class VerifyView(_SecondFactorView):
    """Every sign-in after the first: the code from the app already set up."""

    template_name = "registration/mfa_verify.html"

    @classmethod
    def as_view(cls, **initkwargs):
        return never_cache(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        if self.device is None:
            return redirect(f"{reverse('mfa-setup')}?{urlencode({'next': self.next_url()})}")
        return super().dispatch(request, *args, **kwargs)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (paths only: no style, no script)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    # Built here from the device's own URI, which carries no user-typed markup (B308, B703).
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 # nosec B308 B703
