from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs) -> None:
    # Groups need the custom permissions, which Django creates in its own post_migrate step
    # (django.contrib.auth runs first, being earlier in INSTALLED_APPS).
    from checkpoint.roles import sync_roles

    sync_roles()


class CheckpointConfig(AppConfig):
    name = "checkpoint"
    verbose_name = "Checkpoint case domain"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="checkpoint-sync-roles")
        from django.contrib import admin

        from checkpoint.admin.base import hide_existence_in_history

        # Every app's admin is registered by now (django.contrib.admin, first in
        # INSTALLED_APPS, ran autodiscover in its own ready()).
        hide_existence_in_history(admin.site)
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from checkpoint.web import (
            security_txt,  # noqa: F401 - registers its deploy check
            sessions,
        )

        # Session plumbing, not case logic: the sign-in time for the absolute timeout, and a
        # disabled account signed out everywhere however it was disabled (admin, shell, code).
        user_logged_in.connect(sessions.mark_signed_in, dispatch_uid="checkpoint-signed-in-at")
        post_save.connect(
            sessions.end_sessions_of_disabled_user,
            sender=get_user_model(),
            dispatch_uid="checkpoint-end-disabled-sessions",
        )
