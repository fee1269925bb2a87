"""Summary tables the reports read: one row per case (and per stay, per referral), rebuilt by
the scheduled work (``reports.services.report_facts_refresh``), never edited by hand.

They hold no names, references or dates of birth: only the dimensions the reports group by
(team, arrest date, sex, broad ethnic group, age band at arrest, veteran status) and what
happened. ``case_id`` links back for the rebuild only; no screen shows it.

Why a summary at all: the funnel needs "ever reached eligible / offered / accepted" from the
history rows and the equality dimensions from the person, and time in each state needs the
gaps between consecutive history rows. Joining those live over a million cases takes several
seconds; these tables turn every report into one scan with GROUP BY (bench/reports.py).
"""

from __future__ import annotations

from django.db import models

from checkpoint.models import Case, Pathway, ServiceProvider, Team


class CaseFact(models.Model):
    """One case as the reports see it: dimensions, how far it got, and how it ended."""

    # No database-level foreign keys: the table is rebuilt in one INSERT ... SELECT, and
    # checking a million references on each rebuild buys nothing (the rows come from the cases).
    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    arrested_on = models.DateField()
    decided_on = models.DateField(null=True)
    sex = models.CharField(max_length=20)
    ethnic_group = models.CharField(max_length=2)
    age_band = models.CharField(max_length=10)
    veteran_status = models.CharField(max_length=20)
    state = models.CharField(max_length=30)
    assessed = models.BooleanField()
    eligible = models.BooleanField()
    offered = models.BooleanField()
    accepted = models.BooleanField()
    completed = models.BooleanField()
    outcome_kind = models.CharField(max_length=25, blank=True)
    reoffended = models.BooleanField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["arrested_on"], name="casefact_arrested_idx"),
            models.Index(fields=["team", "arrested_on"], name="casefact_team_arrested_idx"),
        ]

    def __str__(self) -> str:
        return f"Case fact {self.pk}"


class StateStay(models.Model):
    """Whole time one case spent in one state (all its stays there added up), in hours.

    Only states the case has left count: a stay still running has no length yet.
    """

    case = models.ForeignKey(
        Case, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    arrested_on = models.DateField()
    state = models.CharField(max_length=30)
    hours = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["team", "arrested_on"], name="statestay_team_arrested_idx"),
            models.Index(fields=["arrested_on"], name="statestay_arrested_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.hours} hours"


class ReferralDimension(models.TextChoices):
    PATHWAY = "pathway", "Pathway"
    PROVIDER = "provider", "Provider"


class ReferralFact(models.Model):
    """One case referred to one pathway (or one provider), once however many referrals.

    Counting rows therefore counts people, which is what disclosure control needs.
    ``completed``: at least one of those referrals was completed.
    """

    case = models.ForeignKey(
        Case, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    arrested_on = models.DateField()
    dimension = models.CharField(max_length=10, choices=ReferralDimension.choices)
    pathway = models.ForeignKey(
        Pathway,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    completed = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["team", "arrested_on"], name="referralfact_team_arrested_idx"),
            models.Index(fields=["arrested_on"], name="referralfact_arrested_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} referral"


class FactRefresh(models.Model):
    """A completed rebuild of the summary tables: the reports say 'figures as at' this."""

    refreshed_at = models.DateTimeField()
    cases = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-refreshed_at", "-pk"]
        get_latest_by = "refreshed_at"

    def __str__(self) -> str:
        return f"Report figures as at {self.refreshed_at:%Y-%m-%d %H:%M}"
