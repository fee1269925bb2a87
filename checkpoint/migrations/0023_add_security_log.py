"""The security log (issue 17 point 4): refused requests on case screens and the alerts raised
by a burst of them. Both tables are append-only on PostgreSQL, like the other audit tables."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from checkpoint.migrations._append_only import FUNCTION, on_postgresql, protect, unprotect

TABLES = ["checkpoint_refusallog", "checkpoint_refusalalert"]


def _install() -> str:
    # FUNCTION is CREATE OR REPLACE of the same body as 0010's: a no-op where it exists.
    return FUNCTION + "".join(protect(t) for t in TABLES)


def _remove() -> str:
    return "".join(unprotect(t) for t in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("checkpoint", "0022_four_eyes_access_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RefusalLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("method", models.CharField(max_length=10)),
                ("path", models.CharField(max_length=300)),
                (
                    "page",
                    models.CharField(blank=True, help_text="The screen (URL name).", max_length=80),
                ),
                ("status", models.PositiveSmallIntegerField()),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("out_of_reach", "Case out of the user's reach"),
                            ("no_such_case", "No case with this reference"),
                            ("not_found", "No such page or record"),
                            ("not_permitted", "The user's role may not use this page"),
                        ],
                        max_length=20,
                    ),
                ),
                ("case_reference", models.CharField(blank=True, max_length=40)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["user", "at"], name="refusallog_user_at_idx"),
                    models.Index(fields=["at"], name="refusallog_at_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "reason__in",
                                ["out_of_reach", "no_such_case", "not_found", "not_permitted"],
                            )
                        ),
                        name="checkpoint_refusallog_reason_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", [403, 404])),
                        name="refusallog_status_403_404",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="RefusalAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("raised_at", models.DateTimeField()),
                (
                    "first_at",
                    models.DateTimeField(help_text="The first refusal counted in the burst."),
                ),
                (
                    "refusals",
                    models.PositiveIntegerField(help_text="Refusals in the window when raised."),
                ),
                ("window_minutes", models.PositiveIntegerField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-raised_at", "-pk"],
                "indexes": [
                    models.Index(fields=["user", "raised_at"], name="refusalalert_user_at_idx")
                ],
            },
        ),
        migrations.RunPython(on_postgresql(_install), on_postgresql(_remove), elidable=False),
    ]
