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
