"""The client's address behind trusted reverse proxies, for django-axes' lockout.

Axes keys a lockout on (username, address) and by default takes ``REMOTE_ADDR``: behind a
load balancer that is the proxy's own address, so one attacker's failures would lock everyone
out of an account, and lockouts could not tell people apart. With ``TRUSTED_PROXY_COUNT`` set
to the number of proxies in front of the app, the address is read from ``X-Forwarded-For``:
each proxy appends the address it received the request from, so the client is the entry
``TRUSTED_PROXY_COUNT`` places from the right. Entries further left were written by the client
and may be forged, so they are never used (ASVS 4.0 V2.2.1 anti-automation).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: the X-Forwarded-For entry the first trusted proxy wrote, or
    ``REMOTE_ADDR`` when no proxy is trusted or the header is missing, short or malformed."""
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # did not pass through every trusted proxy
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
