"""Multi-factor sign-in: a code from an authenticator app (TOTP, django-otp) after the password.

Every staff role needs it (OWASP ASVS 5.0 V6.3). After the password:

- a user with no confirmed device is sent to *set up*: a new secret shown as a QR code (drawn
  here as SVG, no image service) and as text; the first correct code confirms the device;
- a user with one is asked for *the code*.

Until then the session is signed in but not verified, and ``MFARequiredMiddleware`` sends every
request for a page other than sign-in, sign-out, these two pages, the health check and
security.txt to the right one of them. The admin is covered like any other page.

A device cannot be set up by someone holding only the password: the set-up page shows a key
only in a session that opened a one-time enrolment link issued for that account (``EnrolView``;
``checkpoint.services.access_requests``), which a second administrator's approval produces. Set-up
is refused once a device is confirmed. A lost device is replaced through an access request
(four eyes): the approval removes it and issues a new enrolment link.
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
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint.errors import CaseError
from checkpoint.services import enrolment_complete, enrolment_link_claim
from checkpoint.services.access_requests import enrolment_link_check, enrolment_link_valid_for

from .forms import GovUKForm

logger = logging.getLogger(__name__)

# Pages an authenticated user reaches before the second factor (URL names, root namespace).
EXEMPT_URL_NAMES = frozenset(
    {"login", "logout", "mfa-setup", "mfa-verify", "mfa-enrol", "healthz", "security-txt"}
)
# The session key holding the enrolment link this session opened (its id, not its token).
ENROLMENT_SESSION_KEY = "checkpoint_enrolment_link"


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
        if not (code.isascii() and code.isdigit() and len(code) == 6):
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
        self.link_id = request.session.get(ENROLMENT_SESSION_KEY)
        if not enrolment_link_valid_for(request.user, self.link_id):
            # No key is shown to someone holding only the password.
            return render(request, "registration/mfa_needs_link.html", status=403)
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
        try:
            self.device = enrolment_complete(
                by=self.request.user, device_id=self.device.pk, link_id=self.link_id
            )
        except CaseError:
            return render(self.request, "registration/mfa_needs_link.html", status=403)
        self.request.session.pop(ENROLMENT_SESSION_KEY, None)
        logger.info("authenticator app set up for user %s", self.device.user_id)
        return super().form_valid(form)


class EnrolView(LoginRequiredMixin, View):
    """The one-time enrolment link an administrator passed on: signed in with the password,
    its holder opens it and is taken to set up their authenticator app. A link that is unknown,
    someone else's, used, replaced or expired is refused, saying which."""

    @classmethod
    def as_view(cls, **initkwargs):
        return never_cache(super().as_view(**initkwargs))

    def get(self, request, token: str):
        # Opening the link changes nothing (a mail scanner following it uses nothing up).
        try:
            enrolment_link_check(by=request.user, token=token)
        except CaseError as err:
            return self.refused(err)
        return render(request, "registration/mfa_enrol.html")

    def post(self, request, token: str):
        try:
            link = enrolment_link_claim(by=request.user, token=token)
        except CaseError as err:
            return self.refused(err)
        request.session[ENROLMENT_SESSION_KEY] = link.pk
        return redirect("mfa-setup")

    def refused(self, err: CaseError):
        context = {"problem": err.message}
        return render(self.request, "registration/mfa_link_refused.html", context, status=403)


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
