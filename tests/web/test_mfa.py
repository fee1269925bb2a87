"""Multi-factor sign-in: password, then a TOTP code; every staff page needs a verified session."""

from __future__ import annotations

import re
from base64 import b32decode
from binascii import hexlify
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.models import EnrolmentLink
from checkpoint.services.access_requests import token_hash
from tests import factories
from web.mfa import EXEMPT_URL_NAMES

PASSWORD = factories.PASSWORD


@pytest.fixture
def nav(db, team):
    user = factories.make_user(roles.NAVIGATOR, team=team, username="mfa-nav")
    user.set_password(PASSWORD)
    user.save()
    return user


def _password(client, username="mfa-nav", next_url=""):
    query = f"?next={next_url}" if next_url else ""
    body = urlencode({"username": username, "password": PASSWORD})
    # As the sign-in page's form sends it (the page refuses multipart bodies).
    return client.post(f"/sign-in/{query}", body, content_type="application/x-www-form-urlencoded")


def test_first_sign_in_sets_up_an_authenticator_app(password_only_client, nav):
    client = password_only_client
    response = _password(client)
    assert response.status_code == 302
    assert client.get(response.url).url.startswith("/sign-in/set-up/")
    # The password alone shows no key: set-up needs the one-time enrolment link a second
    # administrator's approval issued (tests/web/test_access_screens.py has the whole flow).
    refused = client.get("/sign-in/set-up/")
    assert refused.status_code == 403
    assert "app-secret-key" not in refused.content.decode()
    enrol = reverse("mfa-enrol", args=[_enrolment_token(nav)])
    assert client.post(enrol).url == "/sign-in/set-up/"
    page = client.get("/sign-in/set-up/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "<path" in body  # the QR code, drawn on the server
    secret = "".join(re.search(r"app-secret-key\">([A-Z2-7 ]+)<", body).group(1).split())
    device = TOTPDevice.objects.get(user=nav)
    assert not device.confirmed
    assert hexlify(b32decode(secret)).decode() == device.key  # the text key is the QR's key

    wrong = client.post("/sign-in/set-up/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttle_reset()

    right = client.post("/sign-in/set-up/", {"code": factories.totp_code(device)})
    assert right.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/caseload/").status_code == 200


def _enrolment_token(user) -> str:
    """A one-time enrolment link's token for ``user``, as an approval issues it."""
    token = "test-enrolment-token"
    admin = get_user_model().objects.create_user("mfa-admin")
    EnrolmentLink.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_by=admin,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return token


def test_later_sign_ins_ask_for_the_code(password_only_client, nav):
    client = password_only_client
    device = factories.totp_device(nav)
    _password(client, next_url="/services/")
    asked = client.get("/services/")
    assert asked.status_code == 302
    assert asked.url == "/sign-in/code/?next=%2Fservices%2F"
    page = client.get(asked.url)
    assert "Enter the code from your authenticator app" in page.content.decode()
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = client.post(asked.url, {"code": "12345"})
    assert "Enter the 6-digit code from your authenticator app" in wrong.content.decode()
    right = client.post(asked.url, {"code": factories.totp_code(device)})
    assert right.status_code == 302
    assert right.url == "/services/"
    assert client.get("/services/").status_code == 200


def test_wrong_codes_are_throttled(password_only_client, nav):
    client = password_only_client
    device = factories.totp_device(nav)
    _password(client)
    client.post("/sign-in/code/", {"code": "000000"})
    refused = client.post("/sign-in/code/", {"code": factories.totp_code(device)})
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get("/caseload/").status_code == 302


def test_code_page_does_not_redirect_to_another_site(password_only_client, nav):
    client = password_only_client
    device = factories.totp_device(nav)
    _password(client)
    response = client.post(
        "/sign-in/code/?next=https://evil.example/", {"code": factories.totp_code(device)}
    )
    assert response.url == "/"


def test_a_second_app_cannot_be_added_with_the_password_alone(password_only_client, nav):
    factories.totp_device(nav)
    password_only_client.force_login(nav)
    response = password_only_client.get("/sign-in/set-up/")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/code/")
    assert TOTPDevice.objects.filter(user=nav).count() == 1


def test_the_admin_requires_the_second_factor(password_only_client, db):
    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    factories.totp_device(root)
    assert password_only_client.get("/admin/login/?next=/admin/").url == "/sign-in/?next=/admin/"
    password_only_client.force_login(root)
    response = password_only_client.get("/admin/auth/user/")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/code/")


def _all_routes(resolver=None, prefix="", namespace=""):
    """Every route of the URLconf as (namespace, name, path with sample arguments)."""
    samples = {"str": "CP-TEST-0001", "int": "1", "path": "1", "slug": "x", "uuid": None}
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        route = getattr(pattern, "_route", None)
        if route is None:  # a regular expression (the admin's app index): one sample
            continue
        for name, converter in pattern.converters.items():
            kind = type(converter).__name__.replace("Converter", "").lower()
            route = re.sub(rf"<(\w+:)?{name}>", samples.get(kind) or "1", route)
        if isinstance(entry, URLResolver):
            inner = ":".join(p for p in (namespace, entry.namespace) if p)
            yield from _all_routes(entry, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, "/" + prefix + route


def test_every_page_but_sign_in_needs_the_second_factor(password_only_client, nav):
    """Generated from the URL configuration, so a new page is covered when it is added."""
    factories.totp_device(nav)
    password_only_client.force_login(nav)
    routes = list(_all_routes())
    assert len(routes) > 60
    checked = 0
    for namespace, name, path in routes:
        if not namespace and name in EXEMPT_URL_NAMES:
            continue
        for method in (password_only_client.get, password_only_client.post):
            response = method(path)
            assert response.status_code == 302, (path, response.status_code)
            assert response.url.startswith("/sign-in/code/?next="), path
        checked += 1
    assert checked > 50
    assert password_only_client.get("/admin/checkpoint/").url.startswith("/sign-in/code/")


def test_the_exempt_pages_are_only_sign_in_and_public_ones():
    expected = {
        "login",
        "logout",
        "mfa-setup",
        "mfa-verify",
        "mfa-enrol",  # the one-time enrolment link, opened before the second factor exists
        "healthz",
        "security-txt",
    }
    assert set(EXEMPT_URL_NAMES) == expected
