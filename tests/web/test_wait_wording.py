"""How long to wait is said in proper English: "Wait 1 second", not "Wait 1 seconds" (issue
16, point 10), after a wrong second-factor code and on the sign-in lockout page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from checkpoint import roles
from tests import factories
from web.auth import lockout_response
from web.mfa import wait_text

PASSWORD = factories.PASSWORD


@pytest.mark.parametrize(
    "seconds, words",
    [(1, "1 second"), (2, "2 seconds"), (59, "59 seconds"), (60, "1 minute"), (61, "2 minutes")],
)
def test_wait_text(seconds, words):
    assert wait_text(seconds) == words


@pytest.mark.django_db
def test_one_wrong_code_asks_to_wait_1_second(password_only_client, team):
    user = factories.make_user(roles.NAVIGATOR, team=team, username="wait-nav")
    user.set_password(PASSWORD)
    user.save()
    device = factories.totp_device(user)
    client = password_only_client
    # As the sign-in page's form sends it (the page refuses multipart bodies).
    client.post(
        "/sign-in/",
        urlencode({"username": "wait-nav", "password": PASSWORD}),
        content_type="application/x-www-form-urlencoded",
    )

    client.post("/sign-in/code/", {"code": "000000"})
    refused = client.post("/sign-in/code/", {"code": factories.totp_code(device)}).content

    assert b"Too many wrong codes. Wait 1 second, then" in refused


@pytest.mark.django_db
def test_the_lockout_page_says_1_minute(settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    request = RequestFactory().get("/sign-in/")
    request.user = AnonymousUser()
    page = lockout_response(request, None, {}).content.decode()
    assert "try again in 1 minute." in page
