"""The 24 migrations 0001-0024 as one, for a database that has none of them (a new install,
each test database): the final tables made directly, then the RunPython steps of those
migrations (reference data, offence keywords, statutory rules, the append-only triggers on
PostgreSQL) replayed in their order.

Why: step by step, each operation re-renders every model related to the one it changes (all of
them, through the user model), so ``migrate`` of a new database took 18.4 s on the 2-core
machine, on every test worker of every run and on a newcomer's first command; with this, 11.3 s.

A database that has applied any of 0001-0024 goes on with them (Django uses a squashed
migration only where none of those it replaces is applied, and records them all as applied),
so deployed databases, and the rollback test, use the originals from there on.

Made from the models at 0024 (``makemigrations`` into an empty package, each index and
constraint folded into its CreateModel), checked against the originals when it was made: the
same ``pg_dump --schema-only`` (1,003 statements: tables, constraints, indexes, triggers,
functions; columns in another order), as many rows in every table but django_migrations, the
same reference data (offences, categories, pathways, schemes; groups' permissions by name), and
the same columns, foreign keys, indexes and checks on SQLite. tests/checkpoint/test_migrations.py
checks it again on PostgreSQL on every run: back to 0009 and forward through the originals
gives the schema this made. Like any migration that has landed, never edit it.
"""

from importlib import import_module

import checkpoint.models.scheme
import checkpoint.uploads
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("checkpoint", "0001_initial_domain"),
        ("checkpoint", "0002_reference_data"),
        ("checkpoint", "0003_add_access_log"),
        ("checkpoint", "0004_add_sweep_runs_and_deadline_alerts"),
        ("checkpoint", "0005_add_minimum_age_rule"),
        ("checkpoint", "0006_index_pending_appointments_by_case"),
        ("checkpoint", "0007_add_contract_extension_limit"),
        ("checkpoint", "0008_add_warning_recorded_at"),
        ("checkpoint", "0009_add_change_history"),
        ("checkpoint", "0010_audit_tables_append_only"),
        ("checkpoint", "0011_add_disclosure_log"),
        ("checkpoint", "0012_add_retention"),
        ("checkpoint", "0013_add_consent_document"),
        ("checkpoint", "0014_scheme_fixed_rules_and_referral_reason"),
        ("checkpoint", "0015_fix_statutory_rules_per_profile"),
        ("checkpoint", "0016_corrections_allocation_compliance_lifecycle"),
        ("checkpoint", "0017_backfill_lifecycle_search_allocations"),
        ("checkpoint", "0018_protect_allocations_and_rearrest_history"),
        ("checkpoint", "0019_add_offence_keywords"),
        ("checkpoint", "0020_offence_keywords_data"),
        ("checkpoint", "0021_person_communication_needs_and_document_disclosures"),
        ("checkpoint", "0022_four_eyes_access_requests"),
        ("checkpoint", "0023_add_security_log"),
        ("checkpoint", "0024_contract_copy_and_victim_language"),
    ]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ExcludedCategory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=100)),
            ],
            options={
                "verbose_name_plural": "excluded categories",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Pathway",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=100)),
                ("display_order", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["display_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="Scheme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=120)),
                ("description", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Team",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("area", models.CharField(blank=True, max_length=100)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="AccessRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("change", "Change of roles or team"),
                            ("reset_authenticator", "Replace authenticator app"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "add_roles",
                    models.JSONField(blank=True, default=list, help_text="Role names to add."),
                ),
                (
                    "remove_roles",
                    models.JSONField(blank=True, default=list, help_text="Role names to remove."),
                ),
                ("changes_team", models.BooleanField(default=False)),
                ("reason", models.TextField()),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for approval"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("applied", "Applied (access only reduced)"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="access_requests",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        help_text="The team after the change (when it changes the team).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.team",
                    ),
                ),
                (
                    "team_before",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.team",
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-pk"],
                "permissions": [
                    ("manage_access", "Can ask for and approve changes to staff access"),
                    ("use_audit_screens", "Can search the audit logs and erase at retention"),
                ],
                "indexes": [
                    models.Index(fields=["status", "expires_at"], name="accessrequest_status_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["change", "reset_authenticator"])),
                        name="checkpoint_accessrequest_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["pending", "approved", "rejected", "applied"])
                        ),
                        name="checkpoint_accessrequest_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True),
                        name="accessrequest_reason",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Arrest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("custody_reference", models.CharField(max_length=40, unique=True)),
                ("arrested_at", models.DateTimeField()),
                ("station", models.CharField(blank=True, max_length=100)),
                ("arresting_officer", models.CharField(blank=True, max_length=100)),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-arrested_at"],
            },
        ),
        migrations.CreateModel(
            name="Case",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("reference", models.CharField(max_length=20, unique=True)),
                (
                    "state",
                    django_fsm.FSMField(
                        choices=[
                            ("assessment", "Assessment"),
                            ("ineligible", "Ineligible"),
                            ("eligible", "Eligible"),
                            ("offered", "Offered"),
                            ("declined", "Declined"),
                            ("accepted", "Accepted"),
                            ("active", "Active"),
                            ("breach_review", "Breach review"),
                            ("completion_review", "Completion review"),
                            ("withdrawn", "Withdrawn"),
                            ("terminated", "Terminated"),
                            ("exited_no_conviction", "Exited without conviction"),
                            ("prosecution_referred", "Referred for prosecution"),
                        ],
                        default="assessment",
                        max_length=30,
                        protected=True,
                    ),
                ),
                ("prosecution_deadline", models.DateField(blank=True, db_index=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("lock_version", models.PositiveIntegerField(default=0)),
                (
                    "arrest",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case",
                        to="checkpoint.arrest",
                    ),
                ),
                (
                    "navigator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="caseload",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("assess_case", "Can assess eligibility and make offers"),
                    ("manage_case", "Can manage cases as a navigator"),
                    ("supervise_case", "Can take supervisor decisions on cases"),
                    ("view_reports", "Can view aggregate reports"),
                ],
                "indexes": [
                    models.Index(fields=["state", "navigator"], name="case_state_navigator_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "state__in",
                                [
                                    "assessment",
                                    "ineligible",
                                    "eligible",
                                    "offered",
                                    "declined",
                                    "accepted",
                                    "active",
                                    "breach_review",
                                    "completion_review",
                                    "withdrawn",
                                    "terminated",
                                    "exited_no_conviction",
                                    "prosecution_referred",
                                ],
                            )
                        ),
                        name="checkpoint_case_state_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("closed_at__isnull", True),
                            (
                                "state__in",
                                ["exited_no_conviction", "ineligible", "prosecution_referred"],
                            ),
                            _connector="OR",
                        ),
                        name="case_closed_only_when_terminal",
                    ),
                ],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Appointment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("navigator", "Navigator meeting"),
                            ("service", "Pathway service session"),
                            ("restorative", "Restorative session"),
                            ("community", "Community work session"),
                        ],
                        max_length=20,
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                ("duration_minutes", models.PositiveSmallIntegerField(default=60)),
                ("location", models.CharField(blank=True, max_length=200)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("attended", "Attended"),
                            ("acceptable_absence", "Acceptable absence"),
                            ("unacceptable_absence", "Unacceptable absence"),
                            ("rescheduled", "Rescheduled"),
                        ],
                        max_length=25,
                    ),
                ),
                ("outcome_notes", models.TextField(blank=True)),
                ("outcome_recorded_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("cancel_reason", models.TextField(blank=True)),
                (
                    "cancelled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "outcome_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rescheduled_to",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rescheduled_from",
                        to="checkpoint.appointment",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appointments",
                        to="checkpoint.case",
                    ),
                ),
            ],
            options={
                "ordering": ["starts_at", "pk"],
                "indexes": [
                    models.Index(fields=["case", "starts_at"], name="appointment_case_start_idx"),
                    models.Index(
                        condition=models.Q(("outcome", "")),
                        fields=["case", "starts_at"],
                        name="appointment_pending_case_idx",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("kind__in", ["navigator", "service", "restorative", "community"])
                        ),
                        name="checkpoint_appointment_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "outcome__in",
                                [
                                    "attended",
                                    "acceptable_absence",
                                    "unacceptable_absence",
                                    "rescheduled",
                                    "",
                                ],
                            )
                        ),
                        name="checkpoint_appointment_outcome_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("outcome", ""),
                            models.Q(
                                ("outcome_recorded_at__isnull", False),
                                ("outcome_recorded_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="appointment_outcome_recorded",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("duration_minutes__gte", 5), ("duration_minutes__lte", 480)
                        ),
                        name="appointment_duration_range",
                        violation_error_message="An appointment lasts between 5 minutes and 8 hours.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("cancelled_at__isnull", True),
                            models.Q(
                                ("cancelled_by__isnull", False),
                                models.Q(("cancel_reason", ""), _negated=True),
                                ("outcome", ""),
                            ),
                            _connector="OR",
                        ),
                        name="appointment_cancellation_complete",
                        violation_error_message="A cancellation needs who cancelled it and why, and no outcome.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CaseNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawal_reason", models.TextField(blank=True)),
                ("text", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notes",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "corrects",
                    models.OneToOneField(
                        blank=True,
                        help_text="The record this one corrects (that one is withdrawn, with the reason).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrected_by",
                        to="checkpoint.casenote",
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("text", ""), _negated=True),
                        name="casenote_text_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("withdrawn_at__isnull", True),
                            models.Q(
                                ("withdrawn_by__isnull", False),
                                models.Q(("withdrawal_reason", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="casenote_withdrawal_complete",
                        violation_error_message="A withdrawal needs who withdrew it and why.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CaseShare",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("shared_at", models.DateTimeField(auto_now_add=True)),
                ("reason", models.CharField(max_length=200)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shares",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "shared_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shared_cases",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("case", "user"), name="caseshare_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="CaseTransition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("transition", models.CharField(max_length=40)),
                (
                    "from_state",
                    models.CharField(
                        choices=[
                            ("assessment", "Assessment"),
                            ("ineligible", "Ineligible"),
                            ("eligible", "Eligible"),
                            ("offered", "Offered"),
                            ("declined", "Declined"),
                            ("accepted", "Accepted"),
                            ("active", "Active"),
                            ("breach_review", "Breach review"),
                            ("completion_review", "Completion review"),
                            ("withdrawn", "Withdrawn"),
                            ("terminated", "Terminated"),
                            ("exited_no_conviction", "Exited without conviction"),
                            ("prosecution_referred", "Referred for prosecution"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "to_state",
                    models.CharField(
                        choices=[
                            ("assessment", "Assessment"),
                            ("ineligible", "Ineligible"),
                            ("eligible", "Eligible"),
                            ("offered", "Offered"),
                            ("declined", "Declined"),
                            ("accepted", "Accepted"),
                            ("active", "Active"),
                            ("breach_review", "Breach review"),
                            ("completion_review", "Completion review"),
                            ("withdrawn", "Withdrawn"),
                            ("terminated", "Terminated"),
                            ("exited_no_conviction", "Exited without conviction"),
                            ("prosecution_referred", "Referred for prosecution"),
                        ],
                        max_length=30,
                    ),
                ),
                ("at", models.DateTimeField()),
                ("reason", models.TextField(blank=True)),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transitions",
                        to="checkpoint.case",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "indexes": [models.Index(fields=["case", "at"], name="casetransition_case_at_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "from_state__in",
                                [
                                    "assessment",
                                    "ineligible",
                                    "eligible",
                                    "offered",
                                    "declined",
                                    "accepted",
                                    "active",
                                    "breach_review",
                                    "completion_review",
                                    "withdrawn",
                                    "terminated",
                                    "exited_no_conviction",
                                    "prosecution_referred",
                                ],
                            )
                        ),
                        name="checkpoint_casetransition_from_state_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "to_state__in",
                                [
                                    "assessment",
                                    "ineligible",
                                    "eligible",
                                    "offered",
                                    "declined",
                                    "accepted",
                                    "active",
                                    "breach_review",
                                    "completion_review",
                                    "withdrawn",
                                    "terminated",
                                    "exited_no_conviction",
                                    "prosecution_referred",
                                ],
                            )
                        ),
                        name="checkpoint_casetransition_to_state_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ComplianceEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("missed_appointment", "Appointment outcome overdue"),
                            ("unacceptable_absence", "Unacceptable absence"),
                            ("hours_behind", "Community hours behind schedule"),
                            ("restorative_overdue", "Restorative outcome overdue"),
                            ("new_offence", "New offence reported"),
                            ("end_date_reached", "Contract end date reached"),
                            ("other", "Other non-compliance"),
                        ],
                        max_length=30,
                    ),
                ),
                ("occurred_on", models.DateField()),
                ("detail", models.TextField(blank=True)),
                ("raised_at", models.DateTimeField()),
                (
                    "dedupe_key",
                    models.CharField(blank=True, max_length=100, null=True, unique=True),
                ),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "resolution",
                    models.TextField(
                        blank=True, help_text="How it was resolved, or why withdrawn."
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("resolved", "Resolved"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="open",
                        max_length=10,
                    ),
                ),
                (
                    "resolved_how",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("outcome_recorded", "Outcome recorded"),
                            ("explained", "Explained"),
                            ("warning_issued", "Warning issued"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="compliance_events",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "raised_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when the scheduled sweep raised it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-occurred_on", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("resolved_at__isnull", True)),
                        fields=["case"],
                        name="compliance_open_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "missed_appointment",
                                    "unacceptable_absence",
                                    "hours_behind",
                                    "restorative_overdue",
                                    "new_offence",
                                    "end_date_reached",
                                    "other",
                                ],
                            )
                        ),
                        name="checkpoint_complianceevent_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("resolved_at__isnull", True),
                            models.Q(
                                ("resolved_by__isnull", False),
                                models.Q(("resolution", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="complianceevent_resolution_complete",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["open", "resolved", "withdrawn"])),
                        name="checkpoint_complianceevent_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "resolved_how__in",
                                ["outcome_recorded", "explained", "warning_issued", ""],
                            )
                        ),
                        name="checkpoint_complianceevent_resolved_how_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "open"), ("resolved_at__isnull", True)),
                            models.Q(
                                ("status", "resolved"),
                                ("resolved_at__isnull", False),
                                models.Q(("resolved_how", ""), _negated=True),
                            ),
                            models.Q(("status", "withdrawn"), ("resolved_at__isnull", False)),
                            _connector="OR",
                        ),
                        name="complianceevent_status_consistent",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ComplianceWarning",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("issued_on", models.DateField()),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reason", models.TextField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="warnings",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "events",
                    models.ManyToManyField(
                        blank=True, related_name="warnings", to="checkpoint.complianceevent"
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-issued_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True),
                        name="warning_reason_not_empty",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Contract",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("starts_on", models.DateField(blank=True, null=True)),
                ("ends_on", models.DateField(blank=True, null=True)),
                ("signed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "consent_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("paper_signed", "Signed paper form (scanned)"),
                            ("in_person", "In-person e-consent"),
                        ],
                        max_length=20,
                    ),
                ),
                ("consent_given_on", models.DateField(blank=True, null=True)),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contract",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "consent_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("consent_method__in", ["paper_signed", "in_person", ""])
                        ),
                        name="checkpoint_contract_consent_method_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("starts_on__isnull", True),
                            ("ends_on__gt", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="contract_ends_after_start",
                        violation_error_message="The contract must end after it starts.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("consent_given_on__isnull", True),
                            models.Q(
                                models.Q(("consent_method", ""), _negated=True),
                                ("consent_recorded_by__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="contract_consent_complete",
                        violation_error_message="Consent needs how it was given and who recorded it.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("signed_at__isnull", True),
                            models.Q(
                                ("starts_on__isnull", False), ("consent_given_on__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="contract_signed_needs_dates_and_consent",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ConsentDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        storage=checkpoint.uploads.PrivateStorage(),
                        upload_to=checkpoint.uploads.consent_upload_to,
                    ),
                ),
                ("original_filename", models.CharField(max_length=100)),
                (
                    "content_type",
                    models.CharField(
                        choices=[
                            ("application/pdf", "PDF"),
                            ("image/jpeg", "JPG"),
                            ("image/png", "PNG"),
                        ],
                        max_length=20,
                    ),
                ),
                ("size", models.PositiveIntegerField(help_text="In bytes.")),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consent_documents",
                        to="checkpoint.contract",
                    ),
                ),
            ],
            options={
                "ordering": ["uploaded_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("content_type__in", ["application/pdf", "image/jpeg", "image/png"])
                        ),
                        name="checkpoint_consentdocument_content_type_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("size__gt", 0)), name="consentdocument_not_empty"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CommunityCondition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("hours", "Unpaid voluntary work"), ("gps_tag", "GPS tag")],
                        max_length=10,
                    ),
                ),
                ("hours_required", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("gps_starts_on", models.DateField(blank=True, null=True)),
                ("gps_ends_on", models.DateField(blank=True, null=True)),
                ("gps_completed_on", models.DateField(blank=True, null=True)),
                (
                    "contract",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_condition",
                        to="checkpoint.contract",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["hours", "gps_tag"])),
                        name="checkpoint_communitycondition_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("kind", "hours"),
                                ("hours_required__gte", 1),
                                ("gps_starts_on__isnull", True),
                                ("gps_ends_on__isnull", True),
                            ),
                            models.Q(
                                ("kind", "gps_tag"),
                                ("hours_required__isnull", True),
                                ("gps_ends_on__gt", models.F("gps_starts_on")),
                            ),
                            _connector="OR",
                        ),
                        name="communitycondition_shape",
                        violation_error_message="Set either hours, or a GPS tag period that ends after it starts.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ContractCopy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254)),
                ("consent_given_at", models.DateTimeField()),
                (
                    "consent_recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="email_copies",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="email_copies",
                        to="checkpoint.consentdocument",
                    ),
                ),
            ],
            options={
                "ordering": ["consent_given_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="DeadlineAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("threshold_days", models.PositiveSmallIntegerField()),
                ("deadline", models.DateField()),
                ("days_left", models.IntegerField()),
                ("raised_at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deadline_alerts",
                        to="checkpoint.case",
                    ),
                ),
            ],
            options={
                "ordering": ["-raised_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case", "threshold_days"), name="deadlinealert_once_per_threshold"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="EligibilityAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("assessed_on", models.DateField()),
                ("evidential_test_met", models.BooleanField()),
                (
                    "admission",
                    models.CharField(
                        choices=[
                            ("admitted", "Admitted the offence"),
                            ("no_comment", "No-comment interview"),
                            ("denied", "Denied the offence"),
                        ],
                        max_length=20,
                    ),
                ),
                ("previous_convictions", models.PositiveSmallIntegerField()),
                ("custodial_sentence_likely", models.BooleanField()),
                (
                    "risk_band",
                    models.CharField(
                        choices=[("low", "Low"), ("moderate", "Moderate"), ("high", "High")],
                        max_length=10,
                    ),
                ),
                (
                    "risk_source",
                    models.CharField(
                        help_text="Where the risk band came from (tool, officer judgement).",
                        max_length=200,
                    ),
                ),
                (
                    "risk_tool_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Advisory only.",
                        max_digits=6,
                        null=True,
                    ),
                ),
                ("dpp_consent", models.BooleanField(blank=True, null=True)),
                (
                    "is_eligible",
                    models.BooleanField(
                        help_text="Every rule passed or was overridden (kept in step by the services)."
                    ),
                ),
                (
                    "assessed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assessments",
                        to="checkpoint.case",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("admission__in", ["admitted", "no_comment", "denied"])),
                        name="checkpoint_eligibilityassessment_admission_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("risk_band__in", ["low", "moderate", "high"])),
                        name="checkpoint_eligibilityassessment_risk_band_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AssessmentRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        choices=[
                            ("adult", "Aged 18 or over (the configured minimum age)"),
                            ("evidential_test", "Evidential test met"),
                            ("offence_admitted", "Offence admitted"),
                            ("offence_recent", "Offence committed within the configured period"),
                            ("gravity_score", "Gravity score within limit"),
                            ("excluded_category", "No excluded offence category"),
                            ("previous_convictions", "Previous convictions within limit"),
                            ("custody_unlikely", "Custodial sentence unlikely"),
                            ("risk_band", "Risk of reoffending band allowed"),
                            ("dpp_consent", "DPP consent for an indictable-only offence"),
                            ("time_limit", "Offence not time-barred"),
                        ],
                        max_length=30,
                    ),
                ),
                ("label", models.CharField(max_length=120)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("passed", "Passed"),
                            ("failed", "Failed"),
                            ("overridden", "Overridden"),
                        ],
                        max_length=12,
                    ),
                ),
                ("reason", models.TextField()),
                ("overridable", models.BooleanField(default=True)),
                ("override_justification", models.TextField(blank=True)),
                ("overridden_at", models.DateTimeField(blank=True, null=True)),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "overridden_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rules",
                        to="checkpoint.eligibilityassessment",
                    ),
                ),
            ],
            options={
                "ordering": ["assessment", "position"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("outcome__in", ["passed", "failed", "overridden"])),
                        name="checkpoint_assessmentrule_outcome_valid",
                    ),
                    models.UniqueConstraint(
                        fields=("assessment", "code"), name="assessmentrule_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("outcome", "overridden"), _negated=True),
                            models.Q(
                                models.Q(("override_justification", ""), _negated=True),
                                ("overridden_by__isnull", False),
                                ("overridden_at__isnull", False),
                                ("overridable", True),
                            ),
                            _connector="OR",
                        ),
                        name="assessmentrule_override_justified",
                        violation_error_message="An override needs a justification and who made it.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="EnrolmentLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.accessrequest",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enrolment_links",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="ErasureRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("case_id_erased", models.BigIntegerField(db_index=True)),
                ("reference_hash", models.CharField(db_index=True, max_length=64)),
                ("action", models.CharField(default="minimised", max_length=20)),
                (
                    "rule",
                    models.CharField(
                        help_text="The retention rule that made it due.", max_length=100
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("rows_changed", models.PositiveIntegerField(default=0)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAssessmentRule",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        choices=[
                            ("adult", "Aged 18 or over (the configured minimum age)"),
                            ("evidential_test", "Evidential test met"),
                            ("offence_admitted", "Offence admitted"),
                            ("offence_recent", "Offence committed within the configured period"),
                            ("gravity_score", "Gravity score within limit"),
                            ("excluded_category", "No excluded offence category"),
                            ("previous_convictions", "Previous convictions within limit"),
                            ("custody_unlikely", "Custodial sentence unlikely"),
                            ("risk_band", "Risk of reoffending band allowed"),
                            ("dpp_consent", "DPP consent for an indictable-only offence"),
                            ("time_limit", "Offence not time-barred"),
                        ],
                        max_length=30,
                    ),
                ),
                ("label", models.CharField(max_length=120)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("passed", "Passed"),
                            ("failed", "Failed"),
                            ("overridden", "Overridden"),
                        ],
                        max_length=12,
                    ),
                ),
                ("reason", models.TextField()),
                ("overridable", models.BooleanField(default=True)),
                ("override_justification", models.TextField(blank=True)),
                ("overridden_at", models.DateTimeField(blank=True, null=True)),
                ("position", models.PositiveSmallIntegerField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.eligibilityassessment",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "overridden_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical assessment rule",
                "verbose_name_plural": "historical assessment rules",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalBreachReview",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("referred_at", models.DateTimeField()),
                ("recommendation", models.TextField()),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("continue", "Continue the contract"),
                            ("vary", "Vary the contract"),
                            ("terminate", "Terminate the contract"),
                        ],
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reasons", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referred_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical breach review",
                "verbose_name_plural": "historical breach reviews",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCaseNote",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawal_reason", models.TextField(blank=True)),
                ("text", models.TextField()),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "corrects",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The record this one corrects (that one is withdrawn, with the reason).",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.casenote",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical case note",
                "verbose_name_plural": "historical case notes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCaseShare",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("shared_at", models.DateTimeField(blank=True, editable=False)),
                ("reason", models.CharField(max_length=200)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "shared_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical case share",
                "verbose_name_plural": "historical case shares",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCommunityCondition",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("hours", "Unpaid voluntary work"), ("gps_tag", "GPS tag")],
                        max_length=10,
                    ),
                ),
                ("hours_required", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("gps_starts_on", models.DateField(blank=True, null=True)),
                ("gps_ends_on", models.DateField(blank=True, null=True)),
                ("gps_completed_on", models.DateField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical community condition",
                "verbose_name_plural": "historical community conditions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalComplianceEvent",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("missed_appointment", "Appointment outcome overdue"),
                            ("unacceptable_absence", "Unacceptable absence"),
                            ("hours_behind", "Community hours behind schedule"),
                            ("restorative_overdue", "Restorative outcome overdue"),
                            ("new_offence", "New offence reported"),
                            ("end_date_reached", "Contract end date reached"),
                            ("other", "Other non-compliance"),
                        ],
                        max_length=30,
                    ),
                ),
                ("occurred_on", models.DateField()),
                ("detail", models.TextField(blank=True)),
                ("raised_at", models.DateTimeField()),
                (
                    "dedupe_key",
                    models.CharField(blank=True, db_index=True, max_length=100, null=True),
                ),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
                (
                    "resolution",
                    models.TextField(
                        blank=True, help_text="How it was resolved, or why withdrawn."
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("resolved", "Resolved"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="open",
                        max_length=10,
                    ),
                ),
                (
                    "resolved_how",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("outcome_recorded", "Outcome recorded"),
                            ("explained", "Explained"),
                            ("warning_issued", "Warning issued"),
                        ],
                        max_length=20,
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "raised_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty when the scheduled sweep raised it.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical compliance event",
                "verbose_name_plural": "historical compliance events",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalComplianceWarning",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("issued_on", models.DateField()),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("reason", models.TextField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical compliance warning",
                "verbose_name_plural": "historical compliance warnings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConsentDocument",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("file", models.TextField(max_length=100)),
                ("original_filename", models.CharField(max_length=100)),
                (
                    "content_type",
                    models.CharField(
                        choices=[
                            ("application/pdf", "PDF"),
                            ("image/jpeg", "JPG"),
                            ("image/png", "PNG"),
                        ],
                        max_length=20,
                    ),
                ),
                ("size", models.PositiveIntegerField(help_text="In bytes.")),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical consent document",
                "verbose_name_plural": "historical consent documents",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalContract",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("starts_on", models.DateField(blank=True, null=True)),
                ("ends_on", models.DateField(blank=True, null=True)),
                ("signed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "consent_method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("paper_signed", "Signed paper form (scanned)"),
                            ("in_person", "In-person e-consent"),
                        ],
                        max_length=20,
                    ),
                ),
                ("consent_given_on", models.DateField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "consent_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical contract",
                "verbose_name_plural": "historical contracts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalNeedsAssessment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("assessed_on", models.DateField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "assessed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical needs assessment",
                "verbose_name_plural": "historical needs assessments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOffendingCondition",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    models.TextField(
                        default="Not to commit any further offence during the contract."
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical offending condition",
                "verbose_name_plural": "historical offending conditions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOutcome",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("exited_no_conviction", "Exited without conviction"),
                            ("prosecution_referred", "Referred for prosecution"),
                        ],
                        max_length=25,
                    ),
                ),
                ("decided_on", models.DateField()),
                ("reoffended_during_contract", models.BooleanField(default=False)),
                ("follow_up_due_on", models.DateField()),
                (
                    "within_time_limit",
                    models.BooleanField(
                        help_text="For prosecution referrals of summary-only offences: referred on or before the s.127 deadline.",
                        null=True,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical outcome",
                "verbose_name_plural": "historical outcomes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPerson",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("given_name", models.CharField(max_length=100)),
                ("family_name", models.CharField(max_length=100)),
                ("date_of_birth", models.DateField()),
                ("pnc_id", models.CharField(blank=True, max_length=20, verbose_name="PNC ID")),
                (
                    "sex",
                    models.CharField(
                        choices=[
                            ("female", "Female"),
                            ("male", "Male"),
                            ("prefer_not_to_say", "Prefer not to say"),
                        ],
                        default="prefer_not_to_say",
                        max_length=20,
                    ),
                ),
                (
                    "ethnicity",
                    models.CharField(
                        choices=[
                            ("W1", "White: English, Welsh, Scottish, Northern Irish or British"),
                            ("W2", "White: Irish"),
                            ("W3", "White: Gypsy or Irish Traveller"),
                            ("W4", "White: Roma"),
                            ("W9", "White: any other White background"),
                            ("M1", "Mixed: White and Black Caribbean"),
                            ("M2", "Mixed: White and Black African"),
                            ("M3", "Mixed: White and Asian"),
                            ("M9", "Mixed: any other Mixed or multiple ethnic background"),
                            ("A1", "Asian or Asian British: Indian"),
                            ("A2", "Asian or Asian British: Pakistani"),
                            ("A3", "Asian or Asian British: Bangladeshi"),
                            ("A4", "Asian or Asian British: Chinese"),
                            ("A9", "Asian or Asian British: any other Asian background"),
                            ("B1", "Black or Black British: Caribbean"),
                            ("B2", "Black or Black British: African"),
                            ("B9", "Black or Black British: any other Black background"),
                            ("O1", "Other ethnic group: Arab"),
                            ("O9", "Other ethnic group: any other ethnic group"),
                            ("NS", "Prefer not to say"),
                        ],
                        default="NS",
                        max_length=2,
                    ),
                ),
                (
                    "veteran_status",
                    models.CharField(
                        choices=[
                            ("yes", "Yes, served in the armed forces"),
                            ("no", "No"),
                            ("prefer_not_to_say", "Prefer not to say"),
                        ],
                        default="prefer_not_to_say",
                        max_length=20,
                    ),
                ),
                (
                    "mobile",
                    models.CharField(
                        blank=True,
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(\\+44\\s?7\\d{3}|07\\d{3})\\s?\\d{3}\\s?\\d{3}$",
                                "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982",
                            )
                        ],
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("address_line_1", models.TextField(blank=True)),
                ("address_line_2", models.CharField(blank=True, max_length=100)),
                ("town", models.CharField(blank=True, max_length=60, verbose_name="Town or city")),
                ("county", models.CharField(blank=True, max_length=60, verbose_name="County")),
                ("postcode", models.CharField(blank=True, max_length=10)),
                ("no_fixed_abode", models.BooleanField(default=False)),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                        default="en",
                        max_length=2,
                        verbose_name="Language for letters and messages",
                    ),
                ),
                (
                    "needs_interpreter",
                    models.BooleanField(default=False, verbose_name="Needs an interpreter"),
                ),
                ("interpreter_language", models.CharField(blank=True, max_length=60)),
                (
                    "needs_easy_read",
                    models.BooleanField(default=False, verbose_name="Needs easy read documents"),
                ),
                ("sms_reminders", models.BooleanField(default=False)),
                ("email_reminders", models.BooleanField(default=False)),
                ("reminders_consent_on", models.DateField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical person",
                "verbose_name_plural": "historical people",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalVictimCondition",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "approach",
                    models.CharField(
                        choices=[
                            ("no_victim", "No identifiable victim"),
                            ("victim_declined", "Victim declined a restorative approach"),
                            ("letter", "Letter of apology"),
                            ("face_to_face", "Face-to-face conference"),
                            ("shuttle", "Shuttle restorative justice"),
                        ],
                        max_length=20,
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("completed", "Completed"),
                            ("victim_withdrew", "Victim withdrew"),
                            ("not_completed", "Not completed by the participant"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("outcome_recorded_on", models.DateField(blank=True, null=True)),
                ("outcome_notes", models.TextField(blank=True)),
                (
                    "approach_reason",
                    models.TextField(
                        blank=True,
                        help_text="Why the approach differs from what the victim asked for.",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical victim condition",
                "verbose_name_plural": "historical victim conditions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalVictimWishes",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "name",
                    models.CharField(
                        help_text="Or the organisation, for business victims.", max_length=150
                    ),
                ),
                (
                    "restorative_preference",
                    models.CharField(
                        choices=[
                            ("no_contact", "No contact"),
                            ("letter", "Letter of apology"),
                            ("face_to_face", "Face-to-face conference"),
                            ("shuttle", "Shuttle (indirect) restorative justice"),
                        ],
                        max_length=20,
                    ),
                ),
                ("keep_informed", models.BooleanField(default=False)),
                ("mobile", models.CharField(blank=True, max_length=20)),
                ("email", models.EmailField(blank=True, max_length=254)),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                        default="en",
                        max_length=2,
                        verbose_name="Language for updates",
                    ),
                ),
                ("recorded_on", models.DateField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical victim wishes",
                "verbose_name_plural": "historical victim wishes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HoursLogEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawal_reason", models.TextField(blank=True)),
                ("worked_on", models.DateField()),
                ("hours", models.DecimalField(decimal_places=2, max_digits=4)),
                ("activity", models.CharField(max_length=200)),
                ("placement", models.CharField(blank=True, max_length=150)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                (
                    "verifier_name",
                    models.CharField(
                        blank=True,
                        help_text="The provider's supervisor who confirmed the hours.",
                        max_length=150,
                    ),
                ),
                (
                    "community_condition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="hours_log",
                        to="checkpoint.communitycondition",
                    ),
                ),
                (
                    "corrects",
                    models.OneToOneField(
                        blank=True,
                        help_text="The record this one corrects (that one is withdrawn, with the reason).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrected_by",
                        to="checkpoint.hourslogentry",
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty when the participant reported the hours themselves.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "hours log entries",
                "ordering": ["worked_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("hours__gt", 0), ("hours__lte", 12)),
                        name="hourslogentry_hours_range",
                        violation_error_message="Hours in one session must be more than 0 and at most 12.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("verified_at__isnull", True),
                            ("verified_by__isnull", False),
                            _connector="OR",
                        ),
                        name="hourslogentry_verified_by_someone",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("withdrawn_at__isnull", True),
                            models.Q(
                                ("withdrawn_by__isnull", False),
                                models.Q(("withdrawal_reason", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="hourslogentry_withdrawal_complete",
                        violation_error_message="A withdrawal needs who withdrew it and why.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalHoursLogEntry",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawal_reason", models.TextField(blank=True)),
                ("worked_on", models.DateField()),
                ("hours", models.DecimalField(decimal_places=2, max_digits=4)),
                ("activity", models.CharField(max_length=200)),
                ("placement", models.CharField(blank=True, max_length=150)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                (
                    "verifier_name",
                    models.CharField(
                        blank=True,
                        help_text="The provider's supervisor who confirmed the hours.",
                        max_length=150,
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "community_condition",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.communitycondition",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty when the participant reported the hours themselves.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "corrects",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The record this one corrects (that one is withdrawn, with the reason).",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.hourslogentry",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical hours log entry",
                "verbose_name_plural": "historical hours log entries",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="NeedsAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("assessed_on", models.DateField()),
                (
                    "assessed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="needs_assessments",
                        to="checkpoint.case",
                    ),
                ),
            ],
            options={
                "ordering": ["-assessed_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="NewOffenceReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("occurred_on", models.DateField()),
                ("reported_on", models.DateField()),
                ("description", models.TextField()),
                (
                    "reference",
                    models.CharField(
                        blank=True, help_text="Custody or crime number.", max_length=40
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="new_offences",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-occurred_on"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reported_on__gte", models.F("occurred_on"))),
                        name="newoffencereport_reported_after_occurred",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalRearrestMatch",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("exact", "Same PNC ID"),
                            ("possible", "Same name and date of birth"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting the navigator"),
                            ("confirmed", "Confirmed: reported as a new offence"),
                            ("dismissed", "Not the same person"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("found_at", models.DateTimeField()),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "active_case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "new_case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.newoffencereport",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical rearrest match",
                "verbose_name_plural": "historical rearrest matchs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="OffenceType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=20, unique=True)),
                ("title", models.CharField(max_length=200)),
                (
                    "offence_class",
                    models.CharField(
                        choices=[
                            ("summary_only", "Summary only"),
                            ("either_way", "Either way"),
                            ("indictable_only", "Indictable only"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "default_gravity_score",
                    models.PositiveSmallIntegerField(
                        default=2,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ],
                    ),
                ),
                (
                    "victim_usual",
                    models.BooleanField(
                        default=True,
                        help_text="Offences of this type usually have an identifiable victim.",
                    ),
                ),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="Everyday names and synonyms the offence picker also matches, separated by commas (for example 'shoplifting' for theft from a shop).",
                        max_length=500,
                    ),
                ),
                (
                    "excluded_category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="checkpoint.excludedcategory",
                    ),
                ),
            ],
            options={
                "ordering": ["title"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("offence_class__in", ["summary_only", "either_way", "indictable_only"])
                        ),
                        name="checkpoint_offencetype_offence_class_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("default_gravity_score__gte", 1), ("default_gravity_score__lte", 4)
                        ),
                        name="offencetype_gravity_range",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Offence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("committed_on", models.DateField()),
                ("location", models.CharField(blank=True, max_length=200)),
                ("has_victim", models.BooleanField()),
                (
                    "gravity_score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ]
                    ),
                ),
                ("description", models.TextField(blank=True)),
                (
                    "arrest",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="offences",
                        to="checkpoint.arrest",
                    ),
                ),
                (
                    "offence_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.offencetype",
                    ),
                ),
            ],
            options={
                "ordering": ["committed_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("gravity_score__gte", 1), ("gravity_score__lte", 4)),
                        name="offence_gravity_range",
                        violation_error_message="The gravity score must be between 1 and 4.",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="newoffencereport",
            name="offence_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="checkpoint.offencetype",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalOffence",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("committed_on", models.DateField()),
                ("location", models.CharField(blank=True, max_length=200)),
                ("has_victim", models.BooleanField()),
                (
                    "gravity_score",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ]
                    ),
                ),
                ("description", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "arrest",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.arrest",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "offence_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.offencetype",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical offence",
                "verbose_name_plural": "historical offences",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalNewOffenceReport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("occurred_on", models.DateField()),
                ("reported_on", models.DateField()),
                ("description", models.TextField()),
                (
                    "reference",
                    models.CharField(
                        blank=True, help_text="Custody or crime number.", max_length=40
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "offence_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.offencetype",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical new offence report",
                "verbose_name_plural": "historical new offence reports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="OffendingCondition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "terms",
                    models.TextField(
                        default="Not to commit any further offence during the contract."
                    ),
                ),
                (
                    "contract",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offending_condition",
                        to="checkpoint.contract",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Outcome",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("exited_no_conviction", "Exited without conviction"),
                            ("prosecution_referred", "Referred for prosecution"),
                        ],
                        max_length=25,
                    ),
                ),
                ("decided_on", models.DateField()),
                ("reoffended_during_contract", models.BooleanField(default=False)),
                ("follow_up_due_on", models.DateField()),
                (
                    "within_time_limit",
                    models.BooleanField(
                        help_text="For prosecution referrals of summary-only offences: referred on or before the s.127 deadline.",
                        null=True,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outcome",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("kind__in", ["exited_no_conviction", "prosecution_referred"])
                        ),
                        name="checkpoint_outcome_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("follow_up_due_on__gt", models.F("decided_on"))),
                        name="outcome_follow_up_after_decision",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NeedItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("none", "No need"),
                            ("low", "Low"),
                            ("medium", "Medium"),
                            ("high", "High"),
                        ],
                        max_length=10,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                (
                    "needs_assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="checkpoint.needsassessment",
                    ),
                ),
                (
                    "pathway",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.pathway",
                    ),
                ),
            ],
            options={
                "ordering": ["pathway__display_order"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("level__in", ["none", "low", "medium", "high"])),
                        name="checkpoint_needitem_level_valid",
                    ),
                    models.UniqueConstraint(
                        fields=("needs_assessment", "pathway"), name="needitem_unique"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalNeedItem",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("none", "No need"),
                            ("low", "Low"),
                            ("medium", "Medium"),
                            ("high", "High"),
                        ],
                        max_length=10,
                    ),
                ),
                ("notes", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "needs_assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.needsassessment",
                    ),
                ),
                (
                    "pathway",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.pathway",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical need item",
                "verbose_name_plural": "historical need items",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PathwayReferral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "what",
                    models.CharField(help_text="What the participant will do.", max_length=200),
                ),
                (
                    "frequency",
                    models.CharField(help_text="How often, e.g. weekly.", max_length=100),
                ),
                ("required_sessions", models.PositiveSmallIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("completed", "Completed"),
                            ("not_completed", "Not completed"),
                            ("replaced", "Replaced by another referral"),
                            ("withdrawn", "Withdrawn (recorded in error)"),
                        ],
                        default="active",
                        max_length=20,
                    ),
                ),
                (
                    "status_reason",
                    models.TextField(
                        blank=True,
                        help_text="Why the referral counts as completed without its required attendance.",
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="referrals",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "pathway",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.pathway",
                    ),
                ),
            ],
            options={
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                ["active", "completed", "not_completed", "replaced", "withdrawn"],
                            )
                        ),
                        name="checkpoint_pathwayreferral_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("required_sessions__gte", 1), ("required_sessions__lte", 100)
                        ),
                        name="pathwayreferral_sessions_range",
                        violation_error_message="Required sessions must be between 1 and 100.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAppointment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("navigator", "Navigator meeting"),
                            ("service", "Pathway service session"),
                            ("restorative", "Restorative session"),
                            ("community", "Community work session"),
                        ],
                        max_length=20,
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                ("duration_minutes", models.PositiveSmallIntegerField(default=60)),
                ("location", models.CharField(blank=True, max_length=200)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("attended", "Attended"),
                            ("acceptable_absence", "Acceptable absence"),
                            ("unacceptable_absence", "Unacceptable absence"),
                            ("rescheduled", "Rescheduled"),
                        ],
                        max_length=25,
                    ),
                ),
                ("outcome_notes", models.TextField(blank=True)),
                ("outcome_recorded_at", models.DateTimeField(blank=True, null=True)),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("cancel_reason", models.TextField(blank=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "cancelled_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "outcome_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rescheduled_to",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.appointment",
                    ),
                ),
                (
                    "referral",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.pathwayreferral",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical appointment",
                "verbose_name_plural": "historical appointments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="appointment",
            name="referral",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="appointments",
                to="checkpoint.pathwayreferral",
            ),
        ),
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("given_name", models.CharField(max_length=100)),
                ("family_name", models.CharField(max_length=100)),
                ("date_of_birth", models.DateField()),
                ("pnc_id", models.CharField(blank=True, max_length=20, verbose_name="PNC ID")),
                (
                    "sex",
                    models.CharField(
                        choices=[
                            ("female", "Female"),
                            ("male", "Male"),
                            ("prefer_not_to_say", "Prefer not to say"),
                        ],
                        default="prefer_not_to_say",
                        max_length=20,
                    ),
                ),
                (
                    "ethnicity",
                    models.CharField(
                        choices=[
                            ("W1", "White: English, Welsh, Scottish, Northern Irish or British"),
                            ("W2", "White: Irish"),
                            ("W3", "White: Gypsy or Irish Traveller"),
                            ("W4", "White: Roma"),
                            ("W9", "White: any other White background"),
                            ("M1", "Mixed: White and Black Caribbean"),
                            ("M2", "Mixed: White and Black African"),
                            ("M3", "Mixed: White and Asian"),
                            ("M9", "Mixed: any other Mixed or multiple ethnic background"),
                            ("A1", "Asian or Asian British: Indian"),
                            ("A2", "Asian or Asian British: Pakistani"),
                            ("A3", "Asian or Asian British: Bangladeshi"),
                            ("A4", "Asian or Asian British: Chinese"),
                            ("A9", "Asian or Asian British: any other Asian background"),
                            ("B1", "Black or Black British: Caribbean"),
                            ("B2", "Black or Black British: African"),
                            ("B9", "Black or Black British: any other Black background"),
                            ("O1", "Other ethnic group: Arab"),
                            ("O9", "Other ethnic group: any other ethnic group"),
                            ("NS", "Prefer not to say"),
                        ],
                        default="NS",
                        max_length=2,
                    ),
                ),
                (
                    "veteran_status",
                    models.CharField(
                        choices=[
                            ("yes", "Yes, served in the armed forces"),
                            ("no", "No"),
                            ("prefer_not_to_say", "Prefer not to say"),
                        ],
                        default="prefer_not_to_say",
                        max_length=20,
                    ),
                ),
                (
                    "mobile",
                    models.CharField(
                        blank=True,
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(\\+44\\s?7\\d{3}|07\\d{3})\\s?\\d{3}\\s?\\d{3}$",
                                "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982",
                            )
                        ],
                    ),
                ),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("address_line_1", models.TextField(blank=True)),
                ("address_line_2", models.CharField(blank=True, max_length=100)),
                ("town", models.CharField(blank=True, max_length=60, verbose_name="Town or city")),
                ("county", models.CharField(blank=True, max_length=60, verbose_name="County")),
                ("postcode", models.CharField(blank=True, max_length=10)),
                ("no_fixed_abode", models.BooleanField(default=False)),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                        default="en",
                        max_length=2,
                        verbose_name="Language for letters and messages",
                    ),
                ),
                (
                    "needs_interpreter",
                    models.BooleanField(default=False, verbose_name="Needs an interpreter"),
                ),
                ("interpreter_language", models.CharField(blank=True, max_length=60)),
                (
                    "needs_easy_read",
                    models.BooleanField(default=False, verbose_name="Needs easy read documents"),
                ),
                (
                    "search_name",
                    models.CharField(blank=True, db_index=True, editable=False, max_length=210),
                ),
                ("sms_reminders", models.BooleanField(default=False)),
                ("email_reminders", models.BooleanField(default=False)),
                ("reminders_consent_on", models.DateField(blank=True, null=True)),
            ],
            options={
                "verbose_name_plural": "people",
                "ordering": ["family_name", "given_name"],
                "indexes": [
                    models.Index(
                        fields=["family_name", "given_name"], name="checkpoint__family__c197db_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("sex__in", ["female", "male", "prefer_not_to_say"])),
                        name="checkpoint_person_sex_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "ethnicity__in",
                                [
                                    "W1",
                                    "W2",
                                    "W3",
                                    "W4",
                                    "W9",
                                    "M1",
                                    "M2",
                                    "M3",
                                    "M9",
                                    "A1",
                                    "A2",
                                    "A3",
                                    "A4",
                                    "A9",
                                    "B1",
                                    "B2",
                                    "B9",
                                    "O1",
                                    "O9",
                                    "NS",
                                ],
                            )
                        ),
                        name="checkpoint_person_ethnicity_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("veteran_status__in", ["yes", "no", "prefer_not_to_say"])
                        ),
                        name="checkpoint_person_veteran_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("preferred_language__in", ["en", "cy"])),
                        name="checkpoint_person_preferred_language_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("needs_interpreter", True),
                            ("interpreter_language", ""),
                            _connector="OR",
                        ),
                        name="person_interpreter_language_needs_interpreter",
                        violation_error_message="Only record an interpreter's language when one is needed.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("sms_reminders", False),
                            models.Q(("mobile", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="person_sms_needs_mobile",
                        violation_error_message="SMS reminders need a mobile number.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("email_reminders", False),
                            models.Q(("email", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="person_email_needs_address",
                        violation_error_message="Email reminders need an email address.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalArrest",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("custody_reference", models.CharField(db_index=True, max_length=40)),
                ("arrested_at", models.DateTimeField()),
                ("station", models.CharField(blank=True, max_length=100)),
                ("arresting_officer", models.CharField(blank=True, max_length=100)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical arrest",
                "verbose_name_plural": "historical arrests",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="DisclosureLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("outcome_letter", "Outcome letter"),
                            ("prosecution_file", "Prosecution file"),
                            ("report_csv", "Report download (CSV)"),
                            ("contract", "Contract"),
                            ("appointment_letter", "Appointment letter"),
                            ("warning_letter", "Warning letter"),
                            ("breach_letter", "Breach decision letter"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "what",
                    models.CharField(
                        help_text="The document, or report table and filters.", max_length=300
                    ),
                ),
                ("recipient", models.CharField(max_length=200)),
                ("justification", models.TextField()),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
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
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.person",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["person", "at"], name="disclosurelog_person_at_idx"),
                    models.Index(fields=["user", "at"], name="disclosurelog_user_at_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "kind__in",
                                [
                                    "outcome_letter",
                                    "prosecution_file",
                                    "report_csv",
                                    "contract",
                                    "appointment_letter",
                                    "warning_letter",
                                    "breach_letter",
                                ],
                            )
                        ),
                        name="checkpoint_disclosurelog_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("justification", ""), _negated=True),
                            models.Q(("recipient", ""), _negated=True),
                        ),
                        name="disclosurelog_justified",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="case",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="checkpoint.person",
            ),
        ),
        migrations.AddField(
            model_name="arrest",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="arrests",
                to="checkpoint.person",
            ),
        ),
        migrations.CreateModel(
            name="AccessLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("page", models.CharField(help_text="The screen (URL name).", max_length=80)),
                ("path", models.CharField(max_length=300)),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
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
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.person",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(fields=["person", "at"], name="accesslog_person_at_idx"),
                    models.Index(fields=["user", "at"], name="accesslog_user_at_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="RearrestMatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("exact", "Same PNC ID"),
                            ("possible", "Same name and date of birth"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting the navigator"),
                            ("confirmed", "Confirmed: reported as a new offence"),
                            ("dismissed", "Not the same person"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("found_at", models.DateTimeField()),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.TextField(blank=True)),
                (
                    "active_case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rearrests",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "new_case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "report",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="match",
                        to="checkpoint.newoffencereport",
                    ),
                ),
            ],
            options={
                "ordering": ["-found_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["exact", "possible"])),
                        name="checkpoint_rearrestmatch_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "confirmed", "dismissed"])),
                        name="checkpoint_rearrestmatch_status_valid",
                    ),
                    models.UniqueConstraint(
                        fields=("active_case", "new_case"), name="rearrestmatch_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "pending"),
                            models.Q(("decided_by__isnull", False), ("decided_at__isnull", False)),
                            _connector="OR",
                        ),
                        name="rearrestmatch_decision_complete",
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
            name="RetentionReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due_on", models.DateField()),
                ("listed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting review"),
                            ("minimised", "Personal data erased"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="retention_review",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["due_on", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "minimised"])),
                        name="checkpoint_retentionreview_status_valid",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SchemeVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("version", models.PositiveIntegerField()),
                ("effective_from", models.DateField()),
                ("published_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "change_note",
                    models.TextField(blank=True, help_text="Why this version differs."),
                ),
                (
                    "contract_months",
                    models.PositiveSmallIntegerField(
                        default=4,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(24),
                        ],
                    ),
                ),
                ("hours_min", models.PositiveSmallIntegerField(default=18)),
                ("hours_max", models.PositiveSmallIntegerField(default=36)),
                ("gps_tag_allowed", models.BooleanField(default=True)),
                ("gps_tag_max_days", models.PositiveSmallIntegerField(default=120)),
                ("community_required", models.BooleanField(default=True)),
                ("pathway_required", models.BooleanField(default=True)),
                (
                    "signed_consent_required",
                    models.BooleanField(
                        default=False,
                        help_text="Consent must be a signed document, not in-person e-consent.",
                    ),
                ),
                (
                    "restorative_due_days",
                    models.PositiveSmallIntegerField(
                        default=56,
                        help_text="Days after the contract starts by which the restorative outcome must be recorded.",
                    ),
                ),
                (
                    "deadline_warning_days",
                    models.PositiveSmallIntegerField(
                        default=28,
                        help_text="Warn on screens when a prosecution deadline is this close.",
                    ),
                ),
                (
                    "max_extension_days",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Longest extension of the end date a supervisor may grant on a breach (0: extensions not allowed).",
                    ),
                ),
                (
                    "min_age",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        default=18,
                        help_text="Minimum age at arrest; empty for none.",
                        null=True,
                    ),
                ),
                ("require_evidential_test", models.BooleanField(default=True)),
                ("require_admission", models.BooleanField(default=True)),
                ("accept_no_comment_interview", models.BooleanField(default=False)),
                (
                    "offence_within_months",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="Leave empty for no limit.", null=True
                    ),
                ),
                (
                    "max_gravity_score",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Leave empty for no limit.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ],
                    ),
                ),
                (
                    "max_previous_convictions",
                    models.PositiveSmallIntegerField(
                        blank=True, help_text="Leave empty for no limit.", null=True
                    ),
                ),
                ("require_custody_unlikely", models.BooleanField(default=True)),
                ("allow_risk_low", models.BooleanField(default=True)),
                ("allow_risk_moderate", models.BooleanField(default=True)),
                ("allow_risk_high", models.BooleanField(default=False)),
                ("indictable_only_needs_dpp_consent", models.BooleanField(default=False)),
                (
                    "fixed_rules",
                    models.JSONField(
                        blank=True,
                        default=checkpoint.models.scheme.fixed_rules_default,
                        help_text="Eligibility rules no override may lift in this profile (rule codes). The evidential test, a time-barred offence and the minimum age are fixed in every profile.",
                    ),
                ),
                (
                    "excluded_categories",
                    models.ManyToManyField(blank=True, to="checkpoint.excludedcategory"),
                ),
                (
                    "scheme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="checkpoint.scheme",
                    ),
                ),
            ],
            options={
                "ordering": ["scheme", "-version"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scheme", "version"), name="schemeversion_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("hours_min__lte", models.F("hours_max"))),
                        name="schemeversion_hours_range_ordered",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("contract_months__gte", 1), ("contract_months__lte", 24)
                        ),
                        name="schemeversion_contract_months_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("max_gravity_score__isnull", True),
                            models.Q(("max_gravity_score__gte", 1), ("max_gravity_score__lte", 4)),
                            _connector="OR",
                        ),
                        name="schemeversion_gravity_range",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalEligibilityAssessment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("assessed_on", models.DateField()),
                ("evidential_test_met", models.BooleanField()),
                (
                    "admission",
                    models.CharField(
                        choices=[
                            ("admitted", "Admitted the offence"),
                            ("no_comment", "No-comment interview"),
                            ("denied", "Denied the offence"),
                        ],
                        max_length=20,
                    ),
                ),
                ("previous_convictions", models.PositiveSmallIntegerField()),
                ("custodial_sentence_likely", models.BooleanField()),
                (
                    "risk_band",
                    models.CharField(
                        choices=[("low", "Low"), ("moderate", "Moderate"), ("high", "High")],
                        max_length=10,
                    ),
                ),
                (
                    "risk_source",
                    models.CharField(
                        help_text="Where the risk band came from (tool, officer judgement).",
                        max_length=200,
                    ),
                ),
                (
                    "risk_tool_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        help_text="Advisory only.",
                        max_digits=6,
                        null=True,
                    ),
                ),
                ("dpp_consent", models.BooleanField(blank=True, null=True)),
                (
                    "is_eligible",
                    models.BooleanField(
                        help_text="Every rule passed or was overridden (kept in step by the services)."
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "assessed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "scheme_version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.schemeversion",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical eligibility assessment",
                "verbose_name_plural": "historical eligibility assessments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="eligibilityassessment",
            name="scheme_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="checkpoint.schemeversion",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="scheme_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="checkpoint.schemeversion",
            ),
        ),
        migrations.CreateModel(
            name="ServiceProvider",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=150)),
                ("description", models.TextField(blank=True)),
                ("women_only", models.BooleanField(default=False)),
                ("veteran_specific", models.BooleanField(default=False)),
                ("contact_name", models.CharField(blank=True, max_length=100)),
                ("phone", models.CharField(blank=True, max_length=30)),
                ("email", models.EmailField(blank=True, max_length=254)),
                ("address", models.TextField(blank=True)),
                ("website", models.URLField(blank=True)),
                ("active", models.BooleanField(default=True)),
                (
                    "pathways",
                    models.ManyToManyField(related_name="providers", to="checkpoint.pathway"),
                ),
            ],
            options={
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(fields=("name",), name="serviceprovider_name_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="pathwayreferral",
            name="provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="checkpoint.serviceprovider",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalPathwayReferral",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "what",
                    models.CharField(help_text="What the participant will do.", max_length=200),
                ),
                (
                    "frequency",
                    models.CharField(help_text="How often, e.g. weekly.", max_length=100),
                ),
                ("required_sessions", models.PositiveSmallIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("completed", "Completed"),
                            ("not_completed", "Not completed"),
                            ("replaced", "Replaced by another referral"),
                            ("withdrawn", "Withdrawn (recorded in error)"),
                        ],
                        default="active",
                        max_length=20,
                    ),
                ),
                (
                    "status_reason",
                    models.TextField(
                        blank=True,
                        help_text="Why the referral counts as completed without its required attendance.",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "contract",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.contract",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "pathway",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.pathway",
                    ),
                ),
                (
                    "provider",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.serviceprovider",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical pathway referral",
                "verbose_name_plural": "historical pathway referrals",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SweepRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("compliance", "Compliance sweep"),
                            ("deadlines", "Prosecution-deadline watch"),
                            ("digest", "Staff morning digest"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("running", "Running"),
                            ("succeeded", "Succeeded"),
                            ("failed", "Failed"),
                            ("abandoned", "Abandoned (worker stopped)"),
                        ],
                        default="running",
                        max_length=10,
                    ),
                ),
                ("started_at", models.DateTimeField()),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("for_date", models.DateField()),
                ("examined", models.PositiveIntegerField(default=0)),
                ("findings", models.PositiveIntegerField(default=0)),
                ("stats", models.JSONField(default=dict)),
                ("error", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["-started_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["compliance", "deadlines", "digest"])),
                        name="checkpoint_sweeprun_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["running", "succeeded", "failed", "abandoned"])
                        ),
                        name="checkpoint_sweeprun_status_valid",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("status", "running")),
                        fields=("kind",),
                        name="sweeprun_one_running_per_kind",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="StaffProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("job_title", models.CharField(blank=True, max_length=100)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_profile",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="checkpoint.team",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="HistoricalCase",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("reference", models.CharField(db_index=True, max_length=20)),
                (
                    "state",
                    django_fsm.FSMField(
                        choices=[
                            ("assessment", "Assessment"),
                            ("ineligible", "Ineligible"),
                            ("eligible", "Eligible"),
                            ("offered", "Offered"),
                            ("declined", "Declined"),
                            ("accepted", "Accepted"),
                            ("active", "Active"),
                            ("breach_review", "Breach review"),
                            ("completion_review", "Completion review"),
                            ("withdrawn", "Withdrawn"),
                            ("terminated", "Terminated"),
                            ("exited_no_conviction", "Exited without conviction"),
                            ("prosecution_referred", "Referred for prosecution"),
                        ],
                        default="assessment",
                        max_length=30,
                        protected=True,
                    ),
                ),
                ("prosecution_deadline", models.DateField(blank=True, db_index=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "arrest",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.arrest",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "navigator",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.person",
                    ),
                ),
                (
                    "scheme_version",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.schemeversion",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="checkpoint.team",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical case",
                "verbose_name_plural": "historical cases",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="case",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="checkpoint.team",
            ),
        ),
        migrations.CreateModel(
            name="VictimCondition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "approach",
                    models.CharField(
                        choices=[
                            ("no_victim", "No identifiable victim"),
                            ("victim_declined", "Victim declined a restorative approach"),
                            ("letter", "Letter of apology"),
                            ("face_to_face", "Face-to-face conference"),
                            ("shuttle", "Shuttle restorative justice"),
                        ],
                        max_length=20,
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("completed", "Completed"),
                            ("victim_withdrew", "Victim withdrew"),
                            ("not_completed", "Not completed by the participant"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("outcome_recorded_on", models.DateField(blank=True, null=True)),
                ("outcome_notes", models.TextField(blank=True)),
                (
                    "approach_reason",
                    models.TextField(
                        blank=True,
                        help_text="Why the approach differs from what the victim asked for.",
                    ),
                ),
                (
                    "contract",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="victim_condition",
                        to="checkpoint.contract",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "approach__in",
                                [
                                    "no_victim",
                                    "victim_declined",
                                    "letter",
                                    "face_to_face",
                                    "shuttle",
                                ],
                            )
                        ),
                        name="checkpoint_victimcondition_approach_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "outcome__in",
                                ["pending", "completed", "victim_withdrew", "not_completed"],
                            )
                        ),
                        name="checkpoint_victimcondition_outcome_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("outcome", "pending"),
                            ("outcome_recorded_on__isnull", False),
                            _connector="OR",
                        ),
                        name="victimcondition_outcome_dated",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="VictimWishes",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "name",
                    models.CharField(
                        help_text="Or the organisation, for business victims.", max_length=150
                    ),
                ),
                (
                    "restorative_preference",
                    models.CharField(
                        choices=[
                            ("no_contact", "No contact"),
                            ("letter", "Letter of apology"),
                            ("face_to_face", "Face-to-face conference"),
                            ("shuttle", "Shuttle (indirect) restorative justice"),
                        ],
                        max_length=20,
                    ),
                ),
                ("keep_informed", models.BooleanField(default=False)),
                ("mobile", models.CharField(blank=True, max_length=20)),
                ("email", models.EmailField(blank=True, max_length=254)),
                (
                    "preferred_language",
                    models.CharField(
                        choices=[("en", "English"), ("cy", "Welsh (Cymraeg)")],
                        default="en",
                        max_length=2,
                        verbose_name="Language for updates",
                    ),
                ),
                ("recorded_on", models.DateField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="victims",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "victim wishes",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "restorative_preference__in",
                                ["no_contact", "letter", "face_to_face", "shuttle"],
                            )
                        ),
                        name="checkpoint_victimwishes_restorative_preference_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("preferred_language__in", ["en", "cy"])),
                        name="checkpoint_victimwishes_preferred_language_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("keep_informed", False),
                            models.Q(("mobile", ""), _negated=True),
                            models.Q(("email", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="victimwishes_informed_needs_contact",
                        violation_error_message="To keep the victim informed, record a mobile or email.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AccessAuditLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("requested", "Change asked for"),
                            ("approved", "Change approved and applied"),
                            ("rejected", "Change rejected"),
                            ("applied", "Reduction applied"),
                            ("link_issued", "Enrolment link issued"),
                            ("link_opened", "Enrolment link used"),
                            ("authenticator_set_up", "Authenticator app set up"),
                            ("authenticator_removed", "Authenticator app removed"),
                        ],
                        max_length=30,
                    ),
                ),
                ("what", models.CharField(max_length=300)),
                ("reason", models.TextField(blank=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The account the step is about.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="checkpoint.accessrequest",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [models.Index(fields=["user", "at"], name="accessaudit_user_at_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "event__in",
                                [
                                    "requested",
                                    "approved",
                                    "rejected",
                                    "applied",
                                    "link_issued",
                                    "link_opened",
                                    "authenticator_set_up",
                                    "authenticator_removed",
                                ],
                            )
                        ),
                        name="checkpoint_accessauditlog_event_valid",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="BreachReview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("referred_at", models.DateTimeField()),
                ("recommendation", models.TextField()),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("continue", "Continue the contract"),
                            ("vary", "Vary the contract"),
                            ("terminate", "Terminate the contract"),
                        ],
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reasons", models.TextField(blank=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "referred_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="breach_reviews",
                        to="checkpoint.case",
                    ),
                ),
            ],
            options={
                "ordering": ["-referred_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("decision__in", ["continue", "vary", "terminate", ""])),
                        name="checkpoint_breachreview_decision_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("decision", ""),
                            models.Q(
                                ("decided_by__isnull", False),
                                ("decided_at__isnull", False),
                                models.Q(("reasons", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="breachreview_decision_complete",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("decision", "")),
                        fields=("case",),
                        name="breachreview_one_open",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CaseAllocation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField()),
                ("reason", models.TextField(blank=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allocations",
                        to="checkpoint.case",
                    ),
                ),
                (
                    "navigator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "previous_navigator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
                "indexes": [models.Index(fields=["case", "at"], name="caseallocation_case_at_idx")],
            },
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["team", "state"], name="case_team_state_idx"),
        ),
    ]


def _replayed(names):
    """The RunPython steps of the replaced migrations (reference data, keywords, statutory
    rules, append-only triggers on PostgreSQL), as those migrations define them."""
    for name in names:
        module = import_module(f"checkpoint.migrations.{name}")
        yield from (
            op for op in module.Migration.operations if isinstance(op, migrations.RunPython)
        )


Migration.operations += list(_replayed(name for _, name in Migration.replaces))
