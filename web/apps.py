from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web shell: sign-in, the second factor, sessions, the admin, the audit screens, the
    shared templates and the pieces every screen app builds on."""

    name = "web"
    verbose_name = "Checkpoint web shell"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from checkpoint import links
        from web import (
            security_txt,  # noqa: F401 - registers its deploy check
            sessions,
        )
        from web.admin.base import hide_existence_in_history
        from web.refusals import audit_refusals_path

        # Every app's admin is registered by now (django.contrib.admin, first in
        # INSTALLED_APPS, ran autodiscover in its own ready()).
        hide_existence_in_history(admin.site)
        # The administrators' email about a burst of refusals links to that user's refusals.
        links.register(links.AUDIT_REFUSALS, audit_refusals_path)
        # Session plumbing, not case logic: the sign-in time for the absolute timeout, and a
        # disabled account signed out everywhere however it was disabled (admin, shell, code).
        user_logged_in.connect(sessions.mark_signed_in, dispatch_uid="checkpoint-signed-in-at")
        post_save.connect(
            sessions.end_sessions_of_disabled_user,
            sender=get_user_model(),
            dispatch_uid="checkpoint-end-disabled-sessions",
        )
