"""Cases built against the real clock (the supervisor views call services with the real now)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from checkpoint import dates, services
from checkpoint.actors import SYSTEM
from checkpoint.models import Case
from tests import factories


def live_case(
    *, days_ago: int = 3, builder=factories.active_case, code: str = "THEFT-SHOP", **kwargs
) -> Case:
    """A case built ``days_ago`` days before now, for an offence 10 days before that."""
    start = timezone.now() - timedelta(days=days_ago)
    committed_on = dates.local_date(start) - timedelta(days=10)
    offence = factories.offence(code, committed_on=committed_on)
    return builder(now=start, offences=[offence], **kwargs)


def live_case_to_read(
    *, days_ago: int = 3, trait: str = "active", code: str = "THEFT-SHOP", dm, **kwargs
) -> Case:
    """The case ``live_case`` builds (``trait``: "active", "accepted"...), written by
    ``factories.CaseFactory``, for tests that only read it."""
    start = timezone.now() - timedelta(days=days_ago)
    return factories.CaseFactory(
        **{trait: True}, now=start, offence_code=code, opened_by=dm, **kwargs
    )


def breach_case(*, navigator, recommendation="Missed two sessions; suggest more hours", **kw):
    case = live_case(navigator=navigator, **kw)
    services.breach_refer(case_id=case.pk, by=navigator, recommendation=recommendation)
    return Case.objects.get(pk=case.pk)


def review_case(*, navigator, met: bool = True, **kw) -> Case:
    """A case whose contract ended yesterday, moved to completion review by the sweep."""
    case = live_case(navigator=navigator, days_ago=125, **kw)
    if met:
        factories.complete_conditions(case, navigator=navigator, now=timezone.now())
    services.completion_review_begin(case_id=case.pk, by=SYSTEM)
    return Case.objects.get(pk=case.pk)


def lock(case: Case) -> dict:
    """The hidden optimistic-locking fields of a form opened now."""
    version = Case.objects.get(pk=case.pk).lock_version
    return {"lock_version": version, "opened_at": timezone.now().isoformat()}


def url(name: str, case: Case) -> str:
    return reverse(f"supervisors:{name}", args=[case.reference])
