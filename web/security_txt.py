"""security.txt (RFC 9116): how to report a vulnerability, at /.well-known/security.txt.

The values come from settings (the environment in production). A deploy check warns when the
contact is missing or the expiry date is missing, past or more than a year ahead (RFC 9116
s.2.5.5 recommends under a year), so a stale file cannot go unnoticed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

PATH = "/.well-known/security.txt"


def expires() -> dt.datetime | None:
    """The Expires value: the configured date, or (with DEBUG on only) 180 days ahead."""
    value = settings.SECURITY_TXT_EXPIRES
    if value:
        parsed = dt.datetime.fromisoformat(value)
        if timezone.is_naive(parsed):
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC)
    if settings.DEBUG:
        today = timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        return today + dt.timedelta(days=180)
    return None


def contacts() -> list[str]:
    if settings.SECURITY_TXT_CONTACT:
        return list(settings.SECURITY_TXT_CONTACT)
    return ["mailto:security@checkpoint.example"] if settings.DEBUG else []


def render() -> str:
    lines = [f"Contact: {contact}" for contact in contacts()]
    when = expires()
    if when is not None:
        lines.append(f"Expires: {when.strftime('%Y-%m-%dT%H:%M:%SZ')}")
    lines.append(f"Preferred-Languages: {', '.join(settings.SECURITY_TXT_LANGUAGES)}")
    lines.append(f"Canonical: {settings.SITE_URL.rstrip('/')}{PATH}")
    return "\n".join(lines) + "\n"


@never_cache
@require_GET
def security_txt(request):
    return HttpResponse(render(), content_type="text/plain; charset=utf-8")


@register(Tags.security, deploy=True)
def check_security_txt(app_configs, **kwargs):
    problems = []
    if not contacts():
        problems.append(
            Warning(
                "security.txt has no Contact.",
                hint="Set SECURITY_TXT_CONTACT (e.g. mailto:security@force.police.uk).",
                id="checkpoint.W001",
            )
        )
    try:
        when = expires()
    except ValueError:
        when = None
    now = timezone.now()
    if when is None or not (now < when <= now + dt.timedelta(days=366)):
        problems.append(
            Warning(
                "security.txt Expires is missing, past or more than a year ahead.",
                hint="Set SECURITY_TXT_EXPIRES to an ISO date within the next year.",
                id="checkpoint.W002",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                "SITE_URL is not https: links in messages and security.txt's Canonical use it.",
                hint="Set SITE_URL to the service's https:// address.",
                id="checkpoint.W003",
            )
        )
    return problems
