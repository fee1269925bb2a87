"""The service directory: pathways (needs domains) and the local providers that serve them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from django.db import models

from .base import TimeStamped


class Pathway(models.Model):
    """A needs domain / pathway (accommodation, mental health, drugs, ...). Held as data."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceProviderQuerySet(models.QuerySet["ServiceProvider"]):
    def active(self) -> Self:
        return self.filter(active=True)

    def for_pathways(self, pathway_ids: Iterable[int]) -> Self:
        return self.active().filter(pathways__in=pathway_ids).distinct()


class ServiceProvider(TimeStamped):
    """A local service a navigator can refer a participant to."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    pathways = models.ManyToManyField(Pathway, related_name="providers")
    women_only = models.BooleanField(default=False)
    veteran_specific = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)

    objects = ServiceProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="serviceprovider_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
