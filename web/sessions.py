"""Sessions end after a time idle and a time signed in, and at once when an account is disabled.

OWASP ASVS 5.0 V7.3: an idle timeout (``SESSION_IDLE_TIMEOUT``, 30 minutes by default) and an
absolute one (``SESSION_ABSOLUTE_TIMEOUT``, 10 hours) whatever the activity. The session keeps
the time of sign-in and of the last request; a request past either limit signs the user out
and sends them to the sign-in page with a "You have been signed out" message.

Disabling an account (``is_active = False``) deletes all its sessions. Django would already
refuse the next request of an inactive user; deleting the rows makes the ending immediate and
visible, and covers session data that might be read by other means.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.shortcuts import redirect
from django.utils import timezone

logger = logging.getLogger(__name__)

STARTED = "checkpoint_signed_in_at"
LAST_SEEN = "checkpoint_last_seen_at"
# The last-seen time is written at most this often, so that reading pages does not write the
# session on every request; idle time is measured to within this many seconds.
LAST_SEEN_RESOLUTION = 60


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the absolute timeout counts from here."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[LAST_SEEN] = now


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def expiry_reason(session, now: int) -> str | None:
    """Why this session must end now, or None while it is within both limits."""
    started = session.get(STARTED, now)
    last_seen = session.get(LAST_SEEN, now)
    if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
        return (
            "You have been signed out because you were inactive for "
            f"{_duration(settings.SESSION_IDLE_TIMEOUT)}. Sign in again to continue."
        )
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
        return (
            "You have been signed out because you have been signed in for "
            f"{_duration(settings.SESSION_ABSOLUTE_TIMEOUT)}. Sign in again to continue."
        )
    return None


class SessionTimeoutMiddleware:
    """Ends a signed-in session past the idle or the absolute limit (after auth and messages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            reason = expiry_reason(request.session, now)
            if reason:
                logger.info("session ended by timeout for user %s", request.user.pk)
                logout(request)
                messages.info(request, reason)
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return redirect(settings.LOGIN_URL)
            request.session.setdefault(STARTED, now)
            if now - request.session.get(LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def end_sessions_for(user) -> int:
    """Delete every live session of ``user``; returns how many ended.

    Sessions are stored signed, so each live one is decoded to find its user: fine for the
    few hundred staff sessions a force has at once.
    """
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def end_sessions_of_disabled_user(sender, instance, **kwargs) -> None:
    """``post_save`` receiver on the user model: a disabled account is signed out everywhere."""
    if not instance.is_active and instance.pk is not None:
        count = end_sessions_for(instance)
        if count:
            logger.info("account %s disabled: %s sessions ended", instance.pk, count)
