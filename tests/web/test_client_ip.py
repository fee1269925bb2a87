"""The lockout's client address behind trusted proxies (TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from checkpoint import roles
from tests import factories
from web.client_ip import client_ip

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.9"
BEHIND_TWO = {
    "TRUSTED_PROXY_COUNT": 2,
    "AXES_CLIENT_IP_CALLABLE": "web.client_ip.client_ip",
}


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/sign-in/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no trusted proxy: the header is the client's to forge
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the leftmost entry was forged
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.8", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # too short: did not come through both proxies
        (1, "not-an-address", PROXY),
        (1, None, PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_entry_the_first_trusted_proxy_wrote(count, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(_request(forwarded)) == expected


def _settings_with(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k != "TRUSTED_PROXY_COUNT"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.TRUSTED_PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE)",
        ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_setting_comes_from_the_environment_and_defaults_to_remote_addr():
    assert _settings_with() == "0 None"
    assert _settings_with(TRUSTED_PROXY_COUNT="1") == "1 web.client_ip.client_ip"


PASSWORD = factories.PASSWORD


@pytest.fixture
def nav(db, team):
    user = factories.make_user(roles.NAVIGATOR, team=team, username="proxy-nav")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, password, forwarded):
    # As the sign-in page's form sends it (the page refuses multipart bodies).
    return client.post(
        "/sign-in/",
        urlencode({"username": "proxy-nav", "password": password}),
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(**BEHIND_TWO)
def test_behind_proxies_one_clients_failures_do_not_lock_out_another(password_only_client, nav):
    client = password_only_client
    attacker = "198.51.100.66, 203.0.113.7, 10.0.0.8"  # forges a leftmost entry each time
    for _ in range(5):
        _sign_in(client, "wrong-password-123", attacker)
    assert _sign_in(client, PASSWORD, attacker).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Forging another leftmost entry does not escape the lockout ...
    assert _sign_in(client, PASSWORD, "192.0.2.1, 203.0.113.7, 10.0.0.8").status_code == 429
    # ... and the real user, through the same proxies, is not locked out.
    assert _sign_in(client, PASSWORD, "203.0.113.50, 10.0.0.8").status_code == 302


def test_without_trusted_proxies_everyone_behind_the_proxy_shares_one_address(
    password_only_client, nav
):
    """Why the setting exists: with the default, the proxy's address is the key."""
    client = password_only_client
    for _ in range(5):
        _sign_in(client, "wrong-password-123", "203.0.113.7, 10.0.0.8")
    assert _sign_in(client, PASSWORD, "203.0.113.50, 10.0.0.8").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
